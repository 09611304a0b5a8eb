import SBE
import TensorPoolCodecs

/// Feeds raw tensor-pool messages (one Aeron fragment each, starting with the SBE header) into a
/// ``SupervisorRegistry``. Malformed messages are counted and dropped, never trusted.
///
/// Consumed: `ShmPoolAnnounce`, `DataSourceAnnounce`, `Heartbeat`, `QosProducer`, `ConsumerHello`,
/// `QosConsumer`. Everything else of the schema is counted as ignored.
public final class SupervisorInbox {
    public let registry: SupervisorRegistry
    public private(set) var counters = InboxCounters()

    public init(registry: SupervisorRegistry) {
        self.registry = registry
    }

    /// Handles one message of `length` bytes at `buffer`, sent from Aeron session `sessionId`.
    public func handle(_ buffer: UnsafeRawPointer, length: Int, sessionId: Int32?, nowNs: UInt64) {
        guard let template = MessageHeaderPeek.templateId(buffer, length: length) else {
            counters.foreignSchema &+= 1
            return
        }
        do {
            switch template {
            case TensorPoolSchema.TemplateId.shmPoolAnnounce:
                let d = try ShmPoolAnnounceDecoder(wrapAndCheckHeader: buffer, offset: 0, capacity: length)
                registry.onAnnounce(ProducerKey(streamId: d.streamId, producerId: d.producerId), epoch: d.epoch, nowNs: nowNs)
            case TensorPoolSchema.TemplateId.dataSourceAnnounce:
                let d = try DataSourceAnnounceDecoder(wrapAndCheckHeader: buffer, offset: 0, capacity: length)
                registry.onAnnounce(ProducerKey(streamId: d.streamId, producerId: d.producerId), epoch: d.epoch, nowNs: nowNs)
            case TensorPoolSchema.TemplateId.heartbeat:
                let d = try HeartbeatDecoder(wrapAndCheckHeader: buffer, offset: 0, capacity: length)
                registry.onHeartbeat(ProducerKey(streamId: d.streamId, producerId: d.producerId), epoch: d.epoch, nowNs: nowNs)
            case TensorPoolSchema.TemplateId.qosProducer:
                let d = try QosProducerDecoder(wrapAndCheckHeader: buffer, offset: 0, capacity: length)
                registry.onQosProducer(ProducerKey(streamId: d.streamId, producerId: d.producerId), epoch: d.epoch,
                                       currentSeq: d.currentSeq, nowNs: nowNs)
            case TensorPoolSchema.TemplateId.consumerHello:
                let d = try ConsumerHelloDecoder(wrapAndCheckHeader: buffer, offset: 0, capacity: length)
                registry.onConsumerHello(try ConsumerHint(d), session: sessionId, nowNs: nowNs)
            case TensorPoolSchema.TemplateId.qosConsumer:
                let d = try QosConsumerDecoder(wrapAndCheckHeader: buffer, offset: 0, capacity: length)
                registry.onQosConsumer(try QosConsumerReport(d), session: sessionId, nowNs: nowNs)
            default:
                counters.ignored &+= 1
                return
            }
            counters.applied &+= 1
        } catch let error as SBEError {
            counters.malformed &+= 1
            counters.lastError = .sbe(error)
        } catch let error as WireDecodingError {
            counters.malformed &+= 1
            counters.lastError = error
        } catch {
            counters.malformed &+= 1
        }
    }
}
