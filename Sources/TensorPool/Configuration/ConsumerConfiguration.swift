/// `[consumer]` section.
///
/// | key | default | rule |
/// |---|---|---|
/// | `stream_id` | 1 | u32 |
/// | `consumer_id` | none | u32; absent = a random id in `1..<UInt32.max` drawn when the ``TensorPoolConsumer`` is created |
/// | `mode` | `stream` | `stream`, `latest` or `decimated` |
/// | `decimation` | 1 | 1...65535 |
/// | `max_rate_hz` | 0 | u16, 0 = unlimited |
/// | `max_outstanding_seq_gap` | 256 | 0 disables resync |
/// | `use_shm` | true | |
/// | `payload_fallback_uri` | none | `aeron:...` or `bridge://...`; followed in FALLBACK when it is a bridge channel `aeron:<media>?...\|stream-id=<bridge stream>` (``BridgeFallbackURI``, docs/BRIDGE.md); `bridge://<id>` is accepted but not followed (diagnostic) |
/// | `fallback_bridge_stream_id` | none | i32; the bridge's Aeron stream id for a `payload_fallback_uri` without `stream-id=<n>`; absent: such URIs are refused |
/// | `fallback_max_frame_bytes` | 16777216 (16 MiB) | 1...1073741824 (1 GiB); largest frame accepted in FALLBACK (two buffers of this size) |
/// | `fallback_assembly_timeout_ms` | 1000 | > 0; a FALLBACK frame with no chunk for this long is abandoned |
/// | `supports_progress` | false | |
/// | `progress_interval_us`, `progress_bytes_delta`, `progress_rows_delta` | none | hints sent in `ConsumerHello` |
/// | `expected_layout_version` | 1 | |
/// | `announce_interval_ms` | 1000 | producer announce cadence the consumer expects (> 0) |
/// | `liveness_multiple` | 3 | announces/activity silent this many cadences → producer dead (> 0) |
/// | `hello_interval_ms`, `qos_interval_ms` | 1000 | > 0 |
/// | aeron keys | see ``AeronEndpointConfiguration`` | |
///
/// The `fallback_*` keys can be overridden per consumer by ``ConsumerOptions`` (`tp consumer`'s `--fallback-*`
/// flags set those), which win over the file and the environment.
public struct ConsumerConfiguration: Sendable, Hashable {
    /// `consumer.stream_id`
    public var streamId: UInt32 = 1
    /// `consumer.consumer_id`; `nil` makes the ``TensorPoolConsumer`` draw a random id in `1..<UInt32.max` at init.
    public var consumerId: UInt32?
    /// `mode`, `decimation`, `max_rate_hz`, `max_outstanding_seq_gap`.
    public var modeSettings = ConsumerModeSettings()
    /// `consumer.use_shm`
    public var useShm = true
    /// `consumer.payload_fallback_uri`: where frames come from in FALLBACK (``BridgeFallbackURI``). The bridge
    /// stream id is the URI's `stream-id=<n>` parameter, else ``fallbackBridgeStreamId``.
    public var payloadFallbackUri: String?
    /// `consumer.fallback_bridge_stream_id`: the bridge's Aeron stream id for a ``payloadFallbackUri`` without a
    /// `stream-id=<n>` parameter; `nil`: such URIs are refused. ``ConsumerOptions/fallbackBridgeStreamId`` overrides it.
    public var fallbackBridgeStreamId: Int32?
    /// `consumer.fallback_max_frame_bytes`: largest frame accepted in FALLBACK, in bytes (1 ...
    /// ``fallbackMaxFrameBytesLimit``). ``ConsumerOptions/fallbackMaxFrameBytes`` overrides it.
    public var fallbackMaxFrameBytes = 16 << 20
    /// `consumer.fallback_assembly_timeout_ms`: a FALLBACK frame with no chunk for this long is abandoned (> 0).
    /// ``ConsumerOptions/fallbackAssemblyTimeoutNs`` overrides it.
    public var fallbackAssemblyTimeoutMs: UInt32 = 1000
    /// `consumer.supports_progress`
    public var supportsProgress = false
    /// `consumer.progress_interval_us`
    public var progressIntervalUs: UInt32?
    /// `consumer.progress_bytes_delta`
    public var progressBytesDelta: UInt32?
    /// `consumer.progress_rows_delta`
    public var progressRowsDelta: UInt32?
    /// `consumer.expected_layout_version`
    public var expectedLayoutVersion: UInt32 = 1
    /// `consumer.announce_interval_ms`
    public var announceIntervalMs: UInt32 = 1000
    /// `consumer.liveness_multiple`
    public var livenessMultiple: UInt32 = 3
    /// `consumer.hello_interval_ms`
    public var helloIntervalMs: UInt32 = 1000
    /// `consumer.qos_interval_ms`
    public var qosIntervalMs: UInt32 = 1000
    /// Aeron directory, channel and stream ids of this role.
    public var aeron: AeronEndpointConfiguration

    /// The documented defaults with Aeron in `/dev/shm/aeron-<user>`; `user` is passed in (not read from the
    /// environment here) so tests and `tp` can build configurations for another user deterministically.
    public init(user: String) {
        aeron = AeronEndpointConfiguration(aeronDir: AeronEndpointConfiguration.defaultAeronDir(user: user))
    }

    /// Largest accepted `fallback_max_frame_bytes` (1 GiB): a bridge subscription allocates two buffers of that size.
    public static let fallbackMaxFrameBytesLimit = 1 << 30

    /// Parameters of the mapping state machine derived from this configuration.
    public var mappingParameters: ConsumerMappingStateMachine.Parameters {
        .init(streamId: streamId, expectedLayoutVersion: expectedLayoutVersion,
              announceCadenceNs: UInt64(announceIntervalMs) * 1_000_000, livenessMultiple: livenessMultiple,
              fallbackUri: payloadFallbackUri)
    }

    static func read(_ r: inout ConfigurationSectionReader, user: String) throws(ConfigurationError) -> ConsumerConfiguration {
        var c = ConsumerConfiguration(user: user)
        c.streamId = try r.integer("stream_id", default: c.streamId)
        c.consumerId = try r.optionalInteger("consumer_id", as: UInt32.self)
        let modeName = try r.string("mode", default: "stream")
        guard let mode = ConsumerMode(name: modeName) else {
            throw .invalidValue(key: r.path("mode"), value: String(reflecting: modeName),
                                reason: "unknown mode (expected stream, latest or decimated)", source: r.sourceOf("mode"))
        }
        c.modeSettings.mode = mode
        c.modeSettings.decimation = try r.integer("decimation", default: 1)
        if c.modeSettings.decimation == 0 {
            throw .invalidValue(key: r.path("decimation"), value: "0", reason: "must be >= 1 (1 = every frame)", source: r.sourceOf("decimation"))
        }
        c.modeSettings.maxRateHz = try r.integer("max_rate_hz", default: 0)
        c.modeSettings.maxOutstandingSeqGap = try r.integer("max_outstanding_seq_gap", default: 256)
        c.useShm = try r.bool("use_shm", default: true)
        c.payloadFallbackUri = try r.optionalString("payload_fallback_uri")
        if let uri = c.payloadFallbackUri, !ConsumerMappingStateMachine.isSupportedFallback(uri) {
            throw .invalidValue(key: r.path("payload_fallback_uri"), value: String(reflecting: uri),
                                reason: "unsupported scheme (expected aeron: or bridge://)", source: r.sourceOf("payload_fallback_uri"))
        }
        c.fallbackBridgeStreamId = try r.optionalInteger("fallback_bridge_stream_id", as: Int32.self)
        c.fallbackMaxFrameBytes = try r.integer("fallback_max_frame_bytes", default: c.fallbackMaxFrameBytes)
        if !(1...Self.fallbackMaxFrameBytesLimit).contains(c.fallbackMaxFrameBytes) {
            throw .invalidValue(key: r.path("fallback_max_frame_bytes"), value: String(c.fallbackMaxFrameBytes),
                                reason: "must be in 1...\(Self.fallbackMaxFrameBytesLimit) (1 GiB)",
                                source: r.sourceOf("fallback_max_frame_bytes"))
        }
        c.fallbackAssemblyTimeoutMs = try r.integer("fallback_assembly_timeout_ms", default: c.fallbackAssemblyTimeoutMs)
        try requirePositive(c.fallbackAssemblyTimeoutMs, key: "fallback_assembly_timeout_ms", r)
        c.supportsProgress = try r.bool("supports_progress", default: false)
        c.progressIntervalUs = try r.optionalInteger("progress_interval_us", as: UInt32.self)
        c.progressBytesDelta = try r.optionalInteger("progress_bytes_delta", as: UInt32.self)
        c.progressRowsDelta = try r.optionalInteger("progress_rows_delta", as: UInt32.self)
        // 0xFFFFFFFF is the wire null value of these optional fields: it cannot be sent as a hint.
        for key in ["progress_interval_us", "progress_bytes_delta", "progress_rows_delta"] {
            let value: UInt32? = switch key {
            case "progress_interval_us": c.progressIntervalUs
            case "progress_bytes_delta": c.progressBytesDelta
            default: c.progressRowsDelta
            }
            if value == UInt32.max {
                throw .invalidValue(key: r.path(key), value: String(UInt32.max),
                                    reason: "reserved as the wire null value", source: r.sourceOf(key))
            }
        }
        c.expectedLayoutVersion = try r.integer("expected_layout_version", default: 1)
        for (key, path) in [("announce_interval_ms", \ConsumerConfiguration.announceIntervalMs),
                            ("liveness_multiple", \.livenessMultiple), ("hello_interval_ms", \.helloIntervalMs),
                            ("qos_interval_ms", \.qosIntervalMs)] {
            c[keyPath: path] = try r.integer(key, default: c[keyPath: path])
            try requirePositive(c[keyPath: path], key: key, r)
        }
        c.aeron = try AeronEndpointConfiguration.read(&r, user: user)
        return c
    }
}
