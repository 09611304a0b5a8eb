import SBE
import TensorPoolCodecs

/// Feeds raw tensor-pool messages into a producer's ``ProducerConsumerRegistry``: `ConsumerHello`
/// registers or updates a consumer, `QosConsumer` refreshes its liveness. Other messages are ignored;
/// malformed ones are counted and dropped.
public final class ProducerInbox {
    public let registry: ProducerConsumerRegistry
    public private(set) var counters = InboxCounters()
    /// Set when a hello changed the effective progress policy or whether progress is wanted.
    public private(set) var policyChanged = false

    public init(registry: ProducerConsumerRegistry) {
        self.registry = registry
    }

    /// Handles one message of `length` bytes at `buffer`.
    public func handle(_ buffer: UnsafeRawPointer, length: Int, nowNs: UInt64) {
        guard let template = MessageHeaderPeek.templateId(buffer, length: length) else {
            counters.foreignSchema &+= 1
            return
        }
        do {
            switch template {
            case TensorPoolSchema.TemplateId.consumerHello:
                let d = try ConsumerHelloDecoder(wrapAndCheckHeader: buffer, offset: 0, capacity: length)
                let hint = try ConsumerHint(d)
                guard hint.streamId == registry.streamId else {
                    counters.ignored &+= 1
                    return
                }
                if registry.onHello(hint, nowNs: nowNs) { policyChanged = true }
            case TensorPoolSchema.TemplateId.qosConsumer:
                let d = try QosConsumerDecoder(wrapAndCheckHeader: buffer, offset: 0, capacity: length)
                registry.onQos(streamId: d.streamId, consumerId: d.consumerId, nowNs: nowNs)
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

    /// Returns and clears ``policyChanged``.
    public func takePolicyChanged() -> Bool {
        defer { policyChanged = false }
        return policyChanged
    }
}
