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

    private func send<M: ControlMessage>(_ typeId: Int32, _ message: M) {
        let length = message.encodedLength
        guard length <= scratch.capacity else {
            onTransmitFailure("response type \(typeId) too long to broadcast: \(length) bytes")
            return
        }
        message.encode(into: scratch, at: 0)
        do {
            try transmitter.transmit(messageTypeId: typeId, from: scratch, offset: 0, length: length)
        } catch {
            onTransmitFailure("failed to broadcast response type \(typeId): \(error)")
        }
    }

    /// Bounded so a hostile channel or message cannot overrun the scratch buffer.
    private static func bounded(_ s: String, max: Int = 4096) -> String {
        s.utf8.count <= max ? s : String(decoding: s.utf8.prefix(max), as: UTF8.self)
    }

    func onError(correlationId: Int64, code: ControlErrorCode, message: String) {
        send(ControlResponseTypeId.onError, ErrorResponse(offendingCommandCorrelationId: correlationId, errorCode: code.rawValue,
                                                          errorMessage: Self.bounded(message, max: 8192)))
    }

    func onPublicationReady(correlationId: Int64, registrationId: Int64, sessionId: Int32, streamId: Int32,
                            publicationLimitCounterId: Int32, logFileName: String, isExclusive: Bool) {
        send(isExclusive ? ControlResponseTypeId.onExclusivePublicationReady : ControlResponseTypeId.onPublicationReady,
             PublicationBuffersReady(correlationId: correlationId, registrationId: registrationId, sessionId: sessionId,
                                     streamId: streamId, publicationLimitCounterId: publicationLimitCounterId,
                                     channelStatusIndicatorId: -1, logFileName: logFileName))
    }

    func onSubscriptionReady(correlationId: Int64) {
        send(ControlResponseTypeId.onSubscriptionReady, SubscriptionReady(correlationId: correlationId, channelStatusIndicatorId: -1))
    }

    func onAvailableImage(correlationId: Int64, sessionId: Int32, streamId: Int32, subscriptionRegistrationId: Int64,
                          subscriberPositionId: Int32, logFileName: String, sourceIdentity: String) {
        send(ControlResponseTypeId.onAvailableImage,
             ImageBuffersReady(correlationId: correlationId, sessionId: sessionId, streamId: streamId,
                               subscriptionRegistrationId: subscriptionRegistrationId, subscriberPositionId: subscriberPositionId,
                               logFileName: logFileName, sourceIdentity: sourceIdentity))
    }

    func onUnavailableImage(correlationId: Int64, subscriptionRegistrationId: Int64, streamId: Int32, channel: String) {
        send(ControlResponseTypeId.onUnavailableImage,
             ImageMessage(correlationId: correlationId, subscriptionRegistrationId: subscriptionRegistrationId, streamId: streamId,
                          channel: Self.bounded(channel)))
    }

    func onOperationSuccess(correlationId: Int64) {
        send(ControlResponseTypeId.onOperationSuccess, OperationSucceeded(correlationId: correlationId))
    }

    func onCounterReady(correlationId: Int64, counterId: Int32) {
        send(ControlResponseTypeId.onCounterReady, CounterUpdate(correlationId: correlationId, counterId: counterId))
    }

    func onStaticCounter(correlationId: Int64, counterId: Int32) {
        send(ControlResponseTypeId.onStaticCounter, CounterUpdate(correlationId: correlationId, counterId: counterId))
    }

    func onUnavailableCounter(registrationId: Int64, counterId: Int32) {
        send(ControlResponseTypeId.onUnavailableCounter, CounterUpdate(correlationId: registrationId, counterId: counterId))
    }

    func onClientTimeout(clientId: Int64) {
        send(ControlResponseTypeId.onClientTimeout, ClientTimeout(clientId: clientId))
    }

    func onPublicationError(_ frame: PublicationErrorFrame) {
        var bounded = frame
        bounded.errorMessage = Self.bounded(frame.errorMessage, max: 1023)
        send(ControlResponseTypeId.onPublicationError, bounded)
    }

    func onNextAvailableSessionId(correlationId: Int64, sessionId: Int32) {
        send(ControlResponseTypeId.onNextAvailableSessionId, NextAvailableSessionId(correlationId: correlationId, nextSessionId: sessionId))
    }
}
