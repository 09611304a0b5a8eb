/// `[driver]` section: the embedded Aeron media driver.
///
/// | key | default | rule |
/// |---|---|---|
/// | `aeron_dir` | `/dev/shm/aeron-$USER` | absolute path |
/// | `term_buffer_length` | 16 MiB | power of two, 64 KiB...1 GiB |
/// | `ipc_term_buffer_length` | 64 MiB | power of two, 64 KiB...1 GiB |
/// | `mtu_length` | 1408 | multiple of 32, 32...65504 |
/// | `client_liveness_timeout_ms` | 10000 | > 0 |
/// | `dir_delete_on_start` | false | |
public struct DriverConfiguration: Sendable, Hashable {
    /// `driver.aeron_dir`
    public var aeronDir: String
    /// `driver.term_buffer_length`
    public var termBufferLength: UInt32 = 16 << 20
    /// `driver.ipc_term_buffer_length`
    public var ipcTermBufferLength: UInt32 = 64 << 20
    /// `driver.mtu_length`
    public var mtuLength: UInt32 = 1408
    /// `driver.client_liveness_timeout_ms`
    public var clientLivenessTimeoutMs: UInt32 = 10_000
    /// `driver.dir_delete_on_start`
    public var dirDeleteOnStart = false

    /// The defaults in the table above, with the Aeron directory `/dev/shm/aeron-<user>` (Aeron's own Linux default),
    /// so a driver started by `tp driver` and clients using Aeron defaults meet without configuration.
    public init(user: String) {
        aeronDir = AeronEndpointConfiguration.defaultAeronDir(user: user)
    }

    static func read(_ r: inout ConfigurationSectionReader, user: String) throws(ConfigurationError) -> DriverConfiguration {
        var c = DriverConfiguration(user: user)
        c.aeronDir = try r.string("aeron_dir", default: c.aeronDir)
        try requireAbsolutePath(c.aeronDir, key: "aeron_dir", r)
        for (key, path) in [("term_buffer_length", \DriverConfiguration.termBufferLength),
                            ("ipc_term_buffer_length", \.ipcTermBufferLength)] {
            c[keyPath: path] = try r.integer(key, default: c[keyPath: path])
            let v = c[keyPath: path]
            if !isPowerOfTwo(v) || v < 64 << 10 || v > 1 << 30 {
                throw .invalidValue(key: r.path(key), value: String(v),
                                    reason: "must be a power of two between 65536 and 1073741824", source: r.sourceOf(key))
            }
        }
        c.mtuLength = try r.integer("mtu_length", default: c.mtuLength)
        if c.mtuLength < 32 || c.mtuLength > 65504 || c.mtuLength % 32 != 0 {
            throw .invalidValue(key: r.path("mtu_length"), value: String(c.mtuLength),
                                reason: "must be a multiple of 32 between 32 and 65504", source: r.sourceOf("mtu_length"))
        }
        c.clientLivenessTimeoutMs = try r.integer("client_liveness_timeout_ms", default: c.clientLivenessTimeoutMs)
        try requirePositive(c.clientLivenessTimeoutMs, key: "client_liveness_timeout_ms", r)
        c.dirDeleteOnStart = try r.bool("dir_delete_on_start", default: false)
        return c
    }
}
