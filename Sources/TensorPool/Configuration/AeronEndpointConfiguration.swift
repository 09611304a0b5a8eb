/// Aeron directory, channel and stream ids a role uses (spec §15.11 defaults).
///
/// Keys (in each role section): `aeron_dir`, `channel`, `control_stream_id` (1000),
/// `descriptor_stream_id` (1100), `qos_stream_id` (1200), `metadata_stream_id` (1300).
public struct AeronEndpointConfiguration: Sendable, Hashable {
    /// Aeron directory; default `/dev/shm/aeron-$USER` (Aeron's Linux default).
    public var aeronDir: String
    /// Aeron channel for all tensor-pool streams; default `aeron:ipc`.
    public var channel: String
    /// `control_stream_id`
    public var controlStreamId: Int32
    /// `descriptor_stream_id`
    public var descriptorStreamId: Int32
    /// `qos_stream_id`
    public var qosStreamId: Int32
    /// `metadata_stream_id`
    public var metadataStreamId: Int32

    /// An endpoint in `aeronDir` with the spec §15.11 defaults: `aeron:ipc` and stream ids 1000 (control), 1100
    /// (descriptors), 1200 (QoS), 1300 (metadata); every role of one deployment must use the same values.
    public init(aeronDir: String, channel: String = "aeron:ipc", controlStreamId: Int32 = 1000,
                descriptorStreamId: Int32 = 1100, qosStreamId: Int32 = 1200, metadataStreamId: Int32 = 1300) {
        self.aeronDir = aeronDir
        self.channel = channel
        self.controlStreamId = controlStreamId
        self.descriptorStreamId = descriptorStreamId
        self.qosStreamId = qosStreamId
        self.metadataStreamId = metadataStreamId
    }

    /// Aeron's default directory for `user`.
    public static func defaultAeronDir(user: String) -> String { "/dev/shm/aeron-\(user)" }

    static func read(_ r: inout ConfigurationSectionReader, user: String) throws(ConfigurationError) -> AeronEndpointConfiguration {
        let dir = try r.string("aeron_dir", default: defaultAeronDir(user: user))
        try requireAbsolutePath(dir, key: "aeron_dir", r)
        let channel = try r.string("channel", default: "aeron:ipc")
        if !channel.hasPrefix("aeron:udp") && !channel.hasPrefix("aeron:ipc") {
            throw .invalidValue(key: r.path("channel"), value: String(reflecting: channel),
                                reason: "must be an Aeron channel (aeron:ipc or aeron:udp?...)", source: r.sourceOf("channel"))
        }
        return AeronEndpointConfiguration(
            aeronDir: dir, channel: channel,
            controlStreamId: try r.integer("control_stream_id", default: 1000),
            descriptorStreamId: try r.integer("descriptor_stream_id", default: 1100),
            qosStreamId: try r.integer("qos_stream_id", default: 1200),
            metadataStreamId: try r.integer("metadata_stream_id", default: 1300))
    }
}

/// Rejects empty or relative paths.
func requireAbsolutePath(_ path: String, key: String, _ r: ConfigurationSectionReader) throws(ConfigurationError) {
    if !path.hasPrefix("/") {
        throw .invalidValue(key: r.path(key), value: String(reflecting: path), reason: "must be an absolute path", source: r.sourceOf(key))
    }
}

/// Rejects values that are not strictly positive.
func requirePositive<T: FixedWidthInteger>(_ value: T, key: String, _ r: ConfigurationSectionReader) throws(ConfigurationError) {
    if value <= 0 {
        throw .invalidValue(key: r.path(key), value: String(value), reason: "must be > 0", source: r.sourceOf(key))
    }
}

/// `true` for 1, 2, 4, 8...
func isPowerOfTwo<T: FixedWidthInteger>(_ value: T) -> Bool {
    value > 0 && value & (value - 1) == 0
}
