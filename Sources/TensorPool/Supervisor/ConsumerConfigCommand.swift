/// A `ConsumerConfig` message (spec §10.1.3) the supervisor decided to publish.
public struct ConsumerConfigCommand: Sendable, Hashable {
    /// `stream_id`.
    public var streamId: UInt32
    /// `consumer_id`.
    public var consumerId: UInt32
    /// `use_shm`.
    public var useShm: Bool
    /// `mode`.
    public var mode: ConsumerMode
    /// Meaningful for DECIMATED; 1 = every frame.
    public var decimation: UInt16
    /// `payload_fallback_uri`.
    public var payloadFallbackUri: String?

    /// A command for one consumer; defaults keep SHM transport, decimation 1 (every frame) and no fallback URI, so a
    /// mode change does not accidentally move the consumer off shared memory.
    public init(streamId: UInt32, consumerId: UInt32, useShm: Bool = true, mode: ConsumerMode,
                decimation: UInt16 = 1, payloadFallbackUri: String? = nil) {
        self.streamId = streamId
        self.consumerId = consumerId
        self.useShm = useShm
        self.mode = mode
        self.decimation = decimation
        self.payloadFallbackUri = payloadFallbackUri
    }
}
