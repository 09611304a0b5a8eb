/// What a producer learns about a consumer from its `ConsumerHello` (spec §10.1.2).
public struct ConsumerHint: Sendable, Hashable {
    /// `stream_id` from `ConsumerHello`.
    public var streamId: UInt32
    /// `consumer_id` from `ConsumerHello`.
    public var consumerId: UInt32
    /// `supports_shm` from `ConsumerHello`.
    public var supportsShm: Bool
    /// The consumer wants `FrameProgress` messages.
    public var supportsProgress: Bool
    /// `mode` from `ConsumerHello`.
    public var mode: ConsumerMode
    /// 0 = unlimited.
    public var maxRateHz: UInt16
    /// `expected_layout_version` from `ConsumerHello`.
    public var expectedLayoutVersion: UInt32
    /// Minimum interval between PROGRESS messages it wants, or `nil` (producer default).
    public var progressIntervalUs: UInt32?
    /// Minimum byte delta between PROGRESS messages, or `nil` (producer default).
    public var progressBytesDelta: UInt32?
    /// Minimum row delta between PROGRESS messages, or `nil`/0 (not row-major).
    public var progressRowsDelta: UInt32?

    /// A hint with the defaults of a minimal hello: SHM supported, no progress, STREAM mode, no rate limit, layout
    /// version 1 (spec §10.1.2) and no progress policy of its own (the producer's defaults apply).
    public init(streamId: UInt32, consumerId: UInt32, supportsShm: Bool = true, supportsProgress: Bool = false,
                mode: ConsumerMode = .stream, maxRateHz: UInt16 = 0, expectedLayoutVersion: UInt32 = 1,
                progressIntervalUs: UInt32? = nil, progressBytesDelta: UInt32? = nil,
                progressRowsDelta: UInt32? = nil) {
        self.streamId = streamId
        self.consumerId = consumerId
        self.supportsShm = supportsShm
        self.supportsProgress = supportsProgress
        self.mode = mode
        self.maxRateHz = maxRateHz
        self.expectedLayoutVersion = expectedLayoutVersion
        self.progressIntervalUs = progressIntervalUs
        self.progressBytesDelta = progressBytesDelta
        self.progressRowsDelta = progressRowsDelta
    }
}
