/// The FALLBACK receive settings a consumer uses: its `[consumer]` `fallback_*` keys
/// (``ConsumerConfiguration``), each overridden by the matching ``ConsumerOptions`` field when that is set.
///
/// Resolved from the two every time a bridge subscription opens, so every way of building a consumer (`tp consumer`,
/// the decimator's and the bridge sender's source, library users) follows the configuration file unless the process
/// overrides it.
struct ConsumerFallbackSettings: Hashable {
    /// Bridge Aeron stream id for URIs without `stream-id=<n>`; `nil`: such URIs are refused.
    var bridgeStreamId: Int32?
    /// Largest frame accepted, in bytes (capacity of each of the two reassembly buffers).
    var maxFrameBytes: Int
    /// A frame with no chunk for this long is abandoned.
    var assemblyTimeoutNs: UInt64

    init(configuration: ConsumerConfiguration, options: ConsumerOptions) {
        bridgeStreamId = options.fallbackBridgeStreamId ?? configuration.fallbackBridgeStreamId
        maxFrameBytes = options.fallbackMaxFrameBytes ?? configuration.fallbackMaxFrameBytes
        // UInt32 milliseconds always fit in UInt64 nanoseconds.
        assemblyTimeoutNs = options.fallbackAssemblyTimeoutNs ?? UInt64(configuration.fallbackAssemblyTimeoutMs) * 1_000_000
    }
}
