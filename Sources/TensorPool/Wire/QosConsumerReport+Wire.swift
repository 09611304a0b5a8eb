import TensorPoolCodecs

extension QosConsumerReport {
    /// The report carried by a decoded `QosConsumer`; an unknown mode is rejected.
    public init(_ d: QosConsumerDecoder) throws(WireDecodingError) {
        self.init(streamId: d.streamId, consumerId: d.consumerId, epoch: d.epoch, lastSeqSeen: d.lastSeqSeen,
                  dropsGap: d.dropsGap, dropsLate: d.dropsLate, mode: try ConsumerMode.decode(d.mode, field: "QosConsumer.mode"))
    }

    /// Writes this report into a `QosConsumer` encoder.
    public func encode(into e: QosConsumerEncoder) {
        e.streamId = streamId
        e.consumerId = consumerId
        e.epoch = epoch
        e.lastSeqSeen = lastSeqSeen
        e.dropsGap = dropsGap
        e.dropsLate = dropsLate
        e.mode = mode.wire
    }
}
