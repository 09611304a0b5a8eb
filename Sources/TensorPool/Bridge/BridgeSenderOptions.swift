/// Where and how a ``TensorPoolBridgeSender`` sends.
public struct BridgeSenderOptions: Sendable {
    /// Aeron channel of the bridge, e.g. `aeron:udp?endpoint=receiver-host:40123` (needs a media driver with
    /// UDP, e.g. the Aeron C driver; the embedded Swift driver is IPC only).
    public var channel: String
    /// Aeron stream id of the bridge on ``channel``.
    public var streamId: Int32
    /// Largest frame the sender stages (bytes); larger source frames are counted and skipped.
    public var maxFrameBytes: Int
    /// Payload bytes per chunk. `nil`: as many as fit one Aeron frame (`maxPayloadLength`, i.e. one MTU), so
    /// the receiver copies each chunk straight from the Aeron term into the slot. Larger values are fragmented
    /// by Aeron and reassembled by the receiver; always capped so a chunk fits the publication's
    /// `maxMessageLength`.
    public var chunkBytes: Int?
    /// Options of the source consumer.
    public var source: ConsumerOptions
    /// Interval of the periodic re-send of the source's metadata (`BridgeDataSourceMeta`) and beacon
    /// (`BridgeDataSourceAnnounce`: name, summary), so a receiver that joins late gets them; a change is sent at
    /// once. Default 1 s.
    public var metadataIntervalNs: UInt64 = 1_000_000_000

    /// Options for a sender on `channel`/`streamId` staging frames of up to `maxFrameBytes` bytes.
    public init(channel: String, streamId: Int32, maxFrameBytes: Int, chunkBytes: Int? = nil,
                source: ConsumerOptions = ConsumerOptions()) {
        self.channel = channel
        self.streamId = streamId
        self.maxFrameBytes = maxFrameBytes
        self.chunkBytes = chunkBytes
        self.source = source
    }
}
