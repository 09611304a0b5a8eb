import SBE
import TensorPoolCodecs

/// Receives the decoded messages of a ``ControlPlane`` poll, one method per message type (schema 900).
///
/// Used as a generic parameter (`poll(_ handler: inout H)`), never as an existential, so dispatch is a direct
/// call. Every method has an empty default: a role implements only what it consumes. Decoders are flyweights
/// over the received fragment, valid only during the call. Reading a group or variable-length field may throw
/// `SBEError` when the message is truncated or inconsistent; let it propagate: the control plane counts it as
/// ``ControlMessageRejection/malformedBody`` (or ``ControlMessageRejection/truncated``) and logs it.
public protocol ControlMessageHandler {
    mutating func onShmPoolAnnounce(_ message: ShmPoolAnnounceDecoder, nowNs: UInt64) throws(SBEError)
    mutating func onConsumerHello(_ message: ConsumerHelloDecoder, nowNs: UInt64) throws(SBEError)
    mutating func onConsumerConfig(_ message: ConsumerConfigDecoder, nowNs: UInt64) throws(SBEError)
    mutating func onFrameDescriptor(_ message: FrameDescriptorDecoder, nowNs: UInt64) throws(SBEError)
    mutating func onFrameProgress(_ message: FrameProgressDecoder, nowNs: UInt64) throws(SBEError)
    mutating func onQosConsumer(_ message: QosConsumerDecoder, nowNs: UInt64) throws(SBEError)
    mutating func onQosProducer(_ message: QosProducerDecoder, nowNs: UInt64) throws(SBEError)
    mutating func onDataSourceAnnounce(_ message: DataSourceAnnounceDecoder, nowNs: UInt64) throws(SBEError)
    mutating func onDataSourceMeta(_ message: DataSourceMetaDecoder, nowNs: UInt64) throws(SBEError)
    mutating func onHeartbeat(_ message: HeartbeatDecoder, nowNs: UInt64) throws(SBEError)
    mutating func onControlResponse(_ message: ControlResponseDecoder, nowNs: UInt64) throws(SBEError)
}

extension ControlMessageHandler {
    public mutating func onShmPoolAnnounce(_ message: ShmPoolAnnounceDecoder, nowNs: UInt64) throws(SBEError) {}
    public mutating func onConsumerHello(_ message: ConsumerHelloDecoder, nowNs: UInt64) throws(SBEError) {}
    public mutating func onConsumerConfig(_ message: ConsumerConfigDecoder, nowNs: UInt64) throws(SBEError) {}
    public mutating func onFrameDescriptor(_ message: FrameDescriptorDecoder, nowNs: UInt64) throws(SBEError) {}
    public mutating func onFrameProgress(_ message: FrameProgressDecoder, nowNs: UInt64) throws(SBEError) {}
    public mutating func onQosConsumer(_ message: QosConsumerDecoder, nowNs: UInt64) throws(SBEError) {}
    public mutating func onQosProducer(_ message: QosProducerDecoder, nowNs: UInt64) throws(SBEError) {}
    public mutating func onDataSourceAnnounce(_ message: DataSourceAnnounceDecoder, nowNs: UInt64) throws(SBEError) {}
    public mutating func onDataSourceMeta(_ message: DataSourceMetaDecoder, nowNs: UInt64) throws(SBEError) {}
    public mutating func onHeartbeat(_ message: HeartbeatDecoder, nowNs: UInt64) throws(SBEError) {}
    public mutating func onControlResponse(_ message: ControlResponseDecoder, nowNs: UInt64) throws(SBEError) {}
}
