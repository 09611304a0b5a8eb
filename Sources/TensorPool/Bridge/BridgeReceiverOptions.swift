/// Where a ``TensorPoolBridgeReceiver`` listens and how it assembles frames.
public struct BridgeReceiverOptions: Sendable {
    /// Aeron channel of the bridge, e.g. `aeron:udp?endpoint=0.0.0.0:40123`.
    public var channel: String
    /// Aeron stream id of the bridge on ``channel``.
    public var streamId: Int32
    /// Accept only chunks of this source stream id (`nil`: any; one sender per bridge channel and stream).
    public var sourceStreamId: UInt32?
    /// A frame in progress with no chunk for this long is aborted (sender died or was cut off mid-frame).
    public var assemblyTimeoutNs: UInt64 = 1_000_000_000
    /// Fragments polled per duty cycle.
    public var fragmentLimit = 256
    /// Options of the local producer.
    public var producer: ProducerOptions

    /// Options for a receiver on `channel`/`streamId`, optionally restricted to one source stream.
    public init(channel: String, streamId: Int32, sourceStreamId: UInt32? = nil, producer: ProducerOptions = ProducerOptions()) {
        self.channel = channel
        self.streamId = streamId
        self.sourceStreamId = sourceStreamId
        self.producer = producer
    }
}
