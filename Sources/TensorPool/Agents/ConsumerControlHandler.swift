import SBE
import TensorPoolCodecs

/// A consumer handed to ``ControlPlane/poll(_:nowNs:fragmentLimit:)`` as its `inout` handler without a strong
/// reference. `var me = self` cost a retain/release pair (two atomic read-modify-writes) on every duty cycle, idle
/// ones included, which lengthened the idle loop a descriptor waits in. Built in
/// ``TensorPoolConsumer/doWork(nowNs:)``, which keeps the consumer alive for the whole poll. Forwards every `on…`
/// method the consumer implements (a new one must be forwarded here too, or its messages are ignored:
/// `ConsumerControlHandlerTests` checks each).
@usableFromInline
struct ConsumerControlHandler<Handler: TensorFrameHandler>: ControlMessageHandler {
    /// Called through `Unmanaged.withGuaranteedCall(_:)`: no retain or release per message.
    @usableFromInline let consumer: Unmanaged<TensorPoolConsumer<Handler>>

    @inlinable init(_ consumer: TensorPoolConsumer<Handler>) { self.consumer = .passUnretained(consumer) }

    @inlinable mutating func onShmPoolAnnounce(_ message: ShmPoolAnnounceDecoder, nowNs: UInt64) throws(SBEError) {
        try consumer.withGuaranteedCall { (c) throws(SBEError) in try c.onShmPoolAnnounce(message, nowNs: nowNs) }
    }
    @inlinable mutating func onFrameDescriptor(_ message: FrameDescriptorDecoder, nowNs: UInt64) throws(SBEError) {
        try consumer.withGuaranteedCall { (c) throws(SBEError) in try c.onFrameDescriptor(message, nowNs: nowNs) }
    }
    @inlinable mutating func onFrameProgress(_ message: FrameProgressDecoder, nowNs: UInt64) throws(SBEError) {
        try consumer.withGuaranteedCall { (c) throws(SBEError) in try c.onFrameProgress(message, nowNs: nowNs) }
    }
    @inlinable mutating func onConsumerConfig(_ message: ConsumerConfigDecoder, nowNs: UInt64) throws(SBEError) {
        try consumer.withGuaranteedCall { (c) throws(SBEError) in try c.onConsumerConfig(message, nowNs: nowNs) }
    }
    @inlinable mutating func onDataSourceAnnounce(_ message: DataSourceAnnounceDecoder, nowNs: UInt64) throws(SBEError) {
        try consumer.withGuaranteedCall { (c) throws(SBEError) in try c.onDataSourceAnnounce(message, nowNs: nowNs) }
    }
    @inlinable mutating func onDataSourceMeta(_ message: DataSourceMetaDecoder, nowNs: UInt64) throws(SBEError) {
        try consumer.withGuaranteedCall { (c) throws(SBEError) in try c.onDataSourceMeta(message, nowNs: nowNs) }
    }
    @inlinable mutating func onQosProducer(_ message: QosProducerDecoder, nowNs: UInt64) throws(SBEError) {
        try consumer.withGuaranteedCall { (c) throws(SBEError) in try c.onQosProducer(message, nowNs: nowNs) }
    }
    @inlinable mutating func onControlResponse(_ message: ControlResponseDecoder, nowNs: UInt64) throws(SBEError) {
        try consumer.withGuaranteedCall { (c) throws(SBEError) in try c.onControlResponse(message, nowNs: nowNs) }
    }
}
