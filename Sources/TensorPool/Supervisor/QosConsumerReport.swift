/// The fields of a `QosConsumer` message (spec §10.4.1) as a plain value.
public struct QosConsumerReport: Sendable, Hashable {
    /// `stream_id`.
    public var streamId: UInt32
    /// `consumer_id`.
    public var consumerId: UInt32
    /// `epoch`.
    public var epoch: UInt64
    /// `last_seq_seen`.
    public var lastSeqSeen: UInt64
    /// `drops_gap`.
    public var dropsGap: UInt64
    /// `drops_late`.
    public var dropsLate: UInt64
    /// `mode`.
    public var mode: ConsumerMode

    /// A report with the message's field values, copied out of the decoder so it outlives the received fragment.
    public init(streamId: UInt32, consumerId: UInt32, epoch: UInt64, lastSeqSeen: UInt64,
                dropsGap: UInt64, dropsLate: UInt64, mode: ConsumerMode) {
        self.streamId = streamId
        self.consumerId = consumerId
        self.epoch = epoch
        self.lastSeqSeen = lastSeqSeen
        self.dropsGap = dropsGap
        self.dropsLate = dropsLate
        self.mode = mode
    }

    /// `drops_gap + drops_late`.
    public var totalDrops: UInt64 { dropsGap &+ dropsLate }
}
