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
    /// A producer's `ShmPoolAnnounce` (spec §10.1.1, control stream, ~1 Hz): region paths, layout and epoch. Consumers
    /// map or remap from it; the supervisor uses it as a liveness signal.
    mutating func onShmPoolAnnounce(_ message: ShmPoolAnnounceDecoder, nowNs: UInt64) throws(SBEError)
    /// A consumer's `ConsumerHello` (spec §10.1.2, control stream): its id, mode and progress hints. Producers
    /// register the consumer; the supervisor tracks its liveness.
    mutating func onConsumerHello(_ message: ConsumerHelloDecoder, nowNs: UInt64) throws(SBEError)
    /// A `ConsumerConfig` (spec §10.1.3, control stream) from a producer or supervisor telling one consumer to change
    /// mode, decimation or transport; consumers check the ids before applying it.
    mutating func onConsumerConfig(_ message: ConsumerConfigDecoder, nowNs: UInt64) throws(SBEError)
    /// A `FrameDescriptor` (spec §10.2.1, descriptor stream): the canonical "frame `seq` committed in slot
    /// `header_index`" signal. The hot path: implementations allocate nothing here.
    mutating func onFrameDescriptor(_ message: FrameDescriptorDecoder, nowNs: UInt64) throws(SBEError)
    /// A `FrameProgress` (spec §10.2.2): partial fill of an in-flight slot, informational only until the descriptor
    /// arrives; only consumers that asked for progress handle it.
    mutating func onFrameProgress(_ message: FrameProgressDecoder, nowNs: UInt64) throws(SBEError)
    /// A consumer's `QosConsumer` (spec §10.4.1, QoS stream, ~1 Hz): `last_seq_seen`, `drops_gap`, `drops_late`, mode.
    mutating func onQosConsumer(_ message: QosConsumerDecoder, nowNs: UInt64) throws(SBEError)
    /// A producer's `QosProducer` (spec §10.4.2, QoS stream, ~1 Hz): epoch and `current_seq`.
    mutating func onQosProducer(_ message: QosProducerDecoder, nowNs: UInt64) throws(SBEError)
    /// A producer's `DataSourceAnnounce` (spec §10.3.1, metadata stream, ~1 Hz): discovery beacon with `meta_version`.
    mutating func onDataSourceAnnounce(_ message: DataSourceAnnounceDecoder, nowNs: UInt64) throws(SBEError)
    /// A producer's `DataSourceMeta` (spec §10.3.2, metadata stream): key/format/value attributes of `meta_version`,
    /// sent on change and periodically.
    mutating func onDataSourceMeta(_ message: DataSourceMetaDecoder, nowNs: UInt64) throws(SBEError)
    /// A `Heartbeat` (spec §15.16): liveness of a peer that has nothing else to send.
    mutating func onHeartbeat(_ message: HeartbeatDecoder, nowNs: UInt64) throws(SBEError)
    /// A `ControlResponse` (spec §15.18): the answer to a hello or config, or a rejection with an error code.
    mutating func onControlResponse(_ message: ControlResponseDecoder, nowNs: UInt64) throws(SBEError)
}

extension ControlMessageHandler {
    /// Ignores announces: only roles that map regions or track producers (consumer, supervisor) override it.
    public mutating func onShmPoolAnnounce(_ message: ShmPoolAnnounceDecoder, nowNs: UInt64) throws(SBEError) {}
    /// Ignores hellos: only roles that serve or track consumers (producer, supervisor) override it.
    public mutating func onConsumerHello(_ message: ConsumerHelloDecoder, nowNs: UInt64) throws(SBEError) {}
    /// Ignores `ConsumerConfig`: only consumers apply it.
    public mutating func onConsumerConfig(_ message: ConsumerConfigDecoder, nowNs: UInt64) throws(SBEError) {}
    /// Ignores descriptors: roles other than consumers see them only on a shared stream and have no use for them.
    public mutating func onFrameDescriptor(_ message: FrameDescriptorDecoder, nowNs: UInt64) throws(SBEError) {}
    /// Ignores progress: consumers that did not opt in rely on the `FrameDescriptor` alone (spec §10.2.2).
    public mutating func onFrameProgress(_ message: FrameProgressDecoder, nowNs: UInt64) throws(SBEError) {}
    /// Ignores consumer QoS: only roles that act on drop rates (producer, supervisor) override it.
    public mutating func onQosConsumer(_ message: QosConsumerDecoder, nowNs: UInt64) throws(SBEError) {}
    /// Ignores producer QoS: only monitoring roles (supervisor) override it.
    public mutating func onQosProducer(_ message: QosProducerDecoder, nowNs: UInt64) throws(SBEError) {}
    /// Ignores metadata announces: only roles that track data sources override it.
    public mutating func onDataSourceAnnounce(_ message: DataSourceAnnounceDecoder, nowNs: UInt64) throws(SBEError) {}
    /// Ignores metadata: consumers MAY ignore unknown or all attributes (spec §10.3.2).
    public mutating func onDataSourceMeta(_ message: DataSourceMetaDecoder, nowNs: UInt64) throws(SBEError) {}
    /// Ignores heartbeats: only liveness-tracking roles override it.
    public mutating func onHeartbeat(_ message: HeartbeatDecoder, nowNs: UInt64) throws(SBEError) {}
    /// Ignores responses: only roles that sent a request and want its outcome override it.
    public mutating func onControlResponse(_ message: ControlResponseDecoder, nowNs: UInt64) throws(SBEError) {}
}
