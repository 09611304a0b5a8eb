import SBE
import TensorPoolCodecs

extension ConsumerCoordinator {
    /// Handles one raw tensor-pool message (an Aeron fragment starting with the SBE header).
    ///
    /// Consumed: `FrameDescriptor` (hot path, allocation-free), `ShmPoolAnnounce`, `ConsumerConfig`
    /// (for this consumer), `QosProducer`, and `FrameProgress` when `followProgress` is set. Messages
    /// for other streams and other templates are ignored; malformed ones are counted in
    /// ``inboxCounters`` and dropped.
    public mutating func handle(_ buffer: UnsafeRawPointer, length: Int, nowNs: UInt64,
                                followProgress: Bool = false) -> ConsumerInboxEvent {
        guard let template = MessageHeaderPeek.templateId(buffer, length: length) else {
            inboxCounters.foreignSchema &+= 1
            return .none
        }
        do throws(WireDecodingError) {
            let event: ConsumerInboxEvent?
            switch template {
            case TensorPoolSchema.TemplateId.frameDescriptor:
                event = try handleDescriptor(buffer, length: length, nowNs: nowNs)
            case TensorPoolSchema.TemplateId.shmPoolAnnounce:
                event = try handleAnnounce(buffer, length: length, nowNs: nowNs)
            case TensorPoolSchema.TemplateId.consumerConfig:
                event = try handleConfig(buffer, length: length, nowNs: nowNs)
            case TensorPoolSchema.TemplateId.qosProducer:
                let d = try Self.sbe { () throws(SBEError) in try QosProducerDecoder(wrapAndCheckHeader: buffer, offset: 0, capacity: length) }
                if d.streamId == streamId {
                    onProducerSeq(epoch: d.epoch, currentSeq: d.currentSeq)
                    event = ConsumerInboxEvent.none
                } else {
                    event = nil
                }
            case TensorPoolSchema.TemplateId.frameProgress where followProgress:
                event = try handleProgress(buffer, length: length)
            default:
                event = nil
            }
            guard let event else {
                inboxCounters.ignored &+= 1
                return .none
            }
            inboxCounters.applied &+= 1
            return event
        } catch {
            inboxCounters.malformed &+= 1
            inboxCounters.lastError = error
            return .none
        }
    }

    private mutating func handleDescriptor(_ buffer: UnsafeRawPointer, length: Int, nowNs: UInt64) throws(WireDecodingError) -> ConsumerInboxEvent? {
        let d = try Self.sbe { () throws(SBEError) in try FrameDescriptorDecoder(wrapAndCheckHeader: buffer, offset: 0, capacity: length) }
        guard d.streamId == streamId else { return nil }
        let descriptor = FrameDescriptorValue(d)
        switch offer(descriptor, nowNs: nowNs) {
        case .read: return .read(descriptor)
        case .held, .drop: return ConsumerInboxEvent.none
        case .remapRequired: return .actions(takeRemapActions())
        }
    }

    private mutating func handleAnnounce(_ buffer: UnsafeRawPointer, length: Int, nowNs: UInt64) throws(WireDecodingError) -> ConsumerInboxEvent? {
        var d = try Self.sbe { () throws(SBEError) in try ShmPoolAnnounceDecoder(wrapAndCheckHeader: buffer, offset: 0, capacity: length) }
        guard d.streamId == streamId else { return nil }
        let actions = onAnnounce(try AnnounceSummary(&d), nowNs: nowNs)
        return actions.isEmpty ? ConsumerInboxEvent.none : .actions(actions)
    }

    private mutating func handleConfig(_ buffer: UnsafeRawPointer, length: Int, nowNs: UInt64) throws(WireDecodingError) -> ConsumerInboxEvent? {
        var d = try Self.sbe { () throws(SBEError) in try ConsumerConfigDecoder(wrapAndCheckHeader: buffer, offset: 0, capacity: length) }
        guard d.streamId == streamId, d.consumerId == consumerId else { return nil }
        let actions = onConsumerConfig(try ConsumerConfigCommand(&d), nowNs: nowNs)
        return actions.isEmpty ? ConsumerInboxEvent.none : .actions(actions)
    }

    private mutating func handleProgress(_ buffer: UnsafeRawPointer, length: Int) throws(WireDecodingError) -> ConsumerInboxEvent? {
        let d = try Self.sbe { () throws(SBEError) in try FrameProgressDecoder(wrapAndCheckHeader: buffer, offset: 0, capacity: length) }
        guard d.streamId == streamId else { return nil }
        guard let state = FrameProgressState(rawValue: d.state.rawValue) else {
            throw .unrecognizedEnum(field: "FrameProgress.state", raw: d.state.rawValue)
        }
        guard admission.wantsProgress(epoch: d.epoch, frameId: d.frameId) else { return ConsumerInboxEvent.none }
        return .progress(FrameProgressObservation(epoch: d.epoch, frameId: d.frameId, headerIndex: d.headerIndex,
                                                  payloadBytesFilled: d.payloadBytesFilled, rowsFilled: d.rowsFilled, state: state))
    }

    private static func sbe<T>(_ body: () throws(SBEError) -> T) throws(WireDecodingError) -> T {
        do { return try body() } catch { throw .sbe(error) }
    }
}
