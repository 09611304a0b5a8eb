import AeronConcurrent
import SharedMemory

/// Encodes driver responses (§5.3) and broadcasts them to every client on the to-clients buffer.
final class ClientProxy {
    private let transmitter: BroadcastTransmitter
    private let scratchMemory: UnsafeMutableRawPointer
    private let scratch: AtomicBuffer
    private let onTransmitFailure: (String) -> Void
    static let scratchLength = 16 * 1024

    init(transmitter: BroadcastTransmitter, onTransmitFailure: @escaping (String) -> Void) {
        self.transmitter = transmitter
        self.onTransmitFailure = onTransmitFailure
        scratchMemory = .allocate(byteCount: Self.scratchLength, alignment: 64)
        scratchMemory.initializeMemory(as: UInt8.self, repeating: 0, count: Self.scratchLength)
        scratch = AtomicBuffer(base: scratchMemory, capacity: Self.scratchLength)
    }

    deinit { scratchMemory.deallocate() }

    private func send(_ typeId: Int32, _ encode: (inout ControlMessageEncoder) -> Void) {
        var encoder = ControlMessageEncoder(scratch, offset: 0)
        encode(&encoder)
        do {
            try transmitter.transmit(messageTypeId: typeId, from: scratch, offset: 0, length: encoder.position)
        } catch {
            onTransmitFailure("failed to broadcast response type \(typeId): \(error)")
        }
    }

    /// Bounded so a hostile channel or message cannot overrun the scratch buffer.
    private static func bytes(_ s: String, max: Int = 4096) -> [UInt8] { Array(s.utf8.prefix(max)) }

    func onError(correlationId: Int64, code: ControlErrorCode, message: String) {
        send(ControlResponseTypeId.onError) { e in
            e.int64(correlationId)
            e.int32(code.rawValue)
            e.lengthPrefixedBytes(Self.bytes(message, max: 8192), padded: false)
        }
    }

    func onPublicationReady(correlationId: Int64, registrationId: Int64, sessionId: Int32, streamId: Int32,
                            publicationLimitCounterId: Int32, logFileName: String, isExclusive: Bool) {
        send(isExclusive ? ControlResponseTypeId.onExclusivePublicationReady : ControlResponseTypeId.onPublicationReady) { e in
            e.int64(correlationId)
            e.int64(registrationId)
            e.int32(sessionId)
            e.int32(streamId)
            e.int32(publicationLimitCounterId)
            e.int32(-1) // channel status indicator: none for IPC
            e.lengthPrefixedBytes(Self.bytes(logFileName), padded: false)
        }
    }

    func onSubscriptionReady(correlationId: Int64) {
        send(ControlResponseTypeId.onSubscriptionReady) { e in
            e.int64(correlationId)
            e.int32(-1)
        }
    }

    func onAvailableImage(correlationId: Int64, sessionId: Int32, streamId: Int32, subscriptionRegistrationId: Int64,
                          subscriberPositionId: Int32, logFileName: String, sourceIdentity: String) {
        send(ControlResponseTypeId.onAvailableImage) { e in
            e.int64(correlationId)
            e.int32(sessionId)
            e.int32(streamId)
            e.int64(subscriptionRegistrationId)
            e.int32(subscriberPositionId)
            e.lengthPrefixedBytes(Self.bytes(logFileName), padded: true)
            e.lengthPrefixedBytes(Self.bytes(sourceIdentity), padded: false)
        }
    }

    func onUnavailableImage(correlationId: Int64, subscriptionRegistrationId: Int64, streamId: Int32, channel: String) {
        send(ControlResponseTypeId.onUnavailableImage) { e in
            e.int64(correlationId)
            e.int64(subscriptionRegistrationId)
            e.int32(streamId)
            e.lengthPrefixedBytes(Self.bytes(channel), padded: false)
        }
    }

    func onOperationSuccess(correlationId: Int64) {
        send(ControlResponseTypeId.onOperationSuccess) { e in e.int64(correlationId) }
    }

    func onCounterReady(correlationId: Int64, counterId: Int32) {
        send(ControlResponseTypeId.onCounterReady) { e in
            e.int64(correlationId)
            e.int32(counterId)
        }
    }

    func onStaticCounter(correlationId: Int64, counterId: Int32) {
        send(ControlResponseTypeId.onStaticCounter) { e in
            e.int64(correlationId)
            e.int32(counterId)
        }
    }

    func onUnavailableCounter(registrationId: Int64, counterId: Int32) {
        send(ControlResponseTypeId.onUnavailableCounter) { e in
            e.int64(registrationId)
            e.int32(counterId)
        }
    }

    func onClientTimeout(clientId: Int64) {
        send(ControlResponseTypeId.onClientTimeout) { e in e.int64(clientId) }
    }

    func onNextAvailableSessionId(correlationId: Int64, sessionId: Int32) {
        send(ControlResponseTypeId.onNextAvailableSessionId) { e in
            e.int64(correlationId)
            e.int32(sessionId)
        }
    }
}
