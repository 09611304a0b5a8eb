import Testing
import SharedMemory
@testable import AeronConcurrent

@Suite struct ControlMessageTests {
    static let samples: [any ControlMessage] = [
        CorrelatedMessage(clientId: 1, correlationId: 2),
        PublicationMessage(clientId: 1, correlationId: 2, streamId: 1001, channel: "aeron:ipc?term-length=64k"),
        RemovePublicationMessage(clientId: 1, correlationId: 2, registrationId: 3, flags: 1),
        SubscriptionMessage(clientId: 1, correlationId: 2, registrationCorrelationId: -1, streamId: 7, channel: "aeron:ipc"),
        RemoveMessage(clientId: 1, correlationId: 2, registrationId: 3),
        DestinationMessage(clientId: 1, correlationId: 2, registrationCorrelationId: 3, channel: "aeron:udp?endpoint=x:1"),
        CounterMessage(clientId: 1, correlationId: 2, typeId: 1001, key: [1, 2, 3, 4, 5], label: "my counter"),
        StaticCounterMessage(clientId: 1, correlationId: 2, registrationId: 9, typeId: 1001, key: [9], label: "static"),
        TerminateDriverMessage(clientId: 1, correlationId: 2, token: [1, 2, 3]),
        RejectImageMessage(clientId: 1, correlationId: 2, imageCorrelationId: 3, position: 4, reason: "bad"),
        DestinationByIdMessage(clientId: 1, correlationId: 2, resourceRegistrationId: 3, destinationRegistrationId: 4),
        GetNextAvailableSessionIdMessage(clientId: 1, correlationId: 2, streamId: 3),
        ErrorResponse(offendingCommandCorrelationId: 5, errorCode: 11, errorMessage: "(22) Invalid argument"),
        ImageBuffersReady(correlationId: 4, sessionId: -1614677566, streamId: 1001, subscriptionRegistrationId: 2, subscriberPositionId: 50,
                          logFileName: "/dev/shm/aeron-example/publications/4.logbuffer", sourceIdentity: "aeron:ipc"),
        PublicationBuffersReady(correlationId: 4, registrationId: 4, sessionId: -1614677566, streamId: 1001, publicationLimitCounterId: 48,
                                channelStatusIndicatorId: -1, logFileName: "/dev/shm/aeron-example/publications/4.logbuffer"),
        OperationSucceeded(correlationId: 9),
        ImageMessage(correlationId: 4, subscriptionRegistrationId: 2, streamId: 1001, channel: "aeron:ipc"),
        SubscriptionReady(correlationId: 2, channelStatusIndicatorId: -1),
        CounterUpdate(correlationId: 1, counterId: 46),
        ClientTimeout(clientId: 5),
        NextAvailableSessionId(correlationId: 3, nextSessionId: 77),
        PublicationErrorFrame(registrationId: 1, destinationRegistrationId: 2, sessionId: 3, streamId: 4, receiverId: 5, groupTag: 6,
                              addressType: 1, sourcePort: 40123, sourceAddress: [127, 0, 0, 1] + [UInt8](repeating: 0, count: 12),
                              errorCode: 13, errorMessage: "rejected"),
    ]

    func roundTrip<M: ControlMessage>(_ message: M, _ region: TestRegion) throws -> Bool {
        message.encode(into: region.buffer, at: 8)
        let decoded = try M(decoding: region.buffer, at: 8, length: message.encodedLength)
        return decoded == message
    }

    func truncations<M: ControlMessage>(_ message: M, _ region: TestRegion) -> Int {
        message.encode(into: region.buffer, at: 0)
        var failures = 0
        for cut in 0..<message.encodedLength {
            do { _ = try M(decoding: region.buffer, at: 0, length: cut) } catch { failures += 1 }
        }
        return failures
    }

    @Test(arguments: 0..<samples.count)
    func encodeDecodeRoundTripAndTruncation(index: Int) throws {
        let region = TestRegion(length: 4096)
        let message = Self.samples[index]
        #expect(try roundTrip(message, region))
        // Every proper prefix must fail to decode (RemovePublication accepts its 24-byte pre-1.48 form).
        let expected = message is RemovePublicationMessage ? message.encodedLength - 8 : message.encodedLength
        #expect(truncations(message, region) == expected)
    }

    @Test func appendixABytesDecode() throws {
        // ON_COUNTER_READY and ON_SUBSCRIPTION_READY bodies observed from the C 1.53 driver (PROTOCOL_FACTS Appendix A).
        let region = TestRegion(length: 64)
        let bytes: [UInt8] = [0x02, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]
        bytes.withUnsafeBytes { region.buffer.copy(from: $0.baseAddress!, count: 12, to: 0) }
        #expect(try SubscriptionReady(decoding: region.buffer, at: 0, length: 12) == SubscriptionReady(correlationId: 2, channelStatusIndicatorId: -1))
        // The image log name is padded 41 -> 44 before the source identity.
        let image = ImageBuffersReady(correlationId: 4, sessionId: 1, streamId: 1001, subscriptionRegistrationId: 2, subscriberPositionId: 50,
                                      logFileName: String(repeating: "a", count: 41), sourceIdentity: "aeron:ipc")
        #expect(image.encodedLength == 32 + 44 + 4 + 9)
    }

    @Test func removePublicationAcceptsThe24ByteForm() throws {
        let region = TestRegion(length: 64)
        RemoveMessage(clientId: 1, correlationId: 2, registrationId: 3).encode(into: region.buffer, at: 0)
        #expect(try RemovePublicationMessage(decoding: region.buffer, at: 0, length: 24) == RemovePublicationMessage(clientId: 1, correlationId: 2, registrationId: 3))
    }

    @Test func negativeOrOversizedStringLengthIsAnError() {
        let region = TestRegion(length: 64)
        region.buffer.setInt32(-1, at: 12)
        #expect(throws: ControlMessageError.self) { try ErrorResponse(decoding: region.buffer, at: 0, length: 40) }
        region.buffer.setInt32(1000, at: 12)
        #expect(throws: ControlMessageError.self) { try ErrorResponse(decoding: region.buffer, at: 0, length: 40) }
        #expect(throws: ControlMessageError.self) { try ErrorResponse(decoding: region.buffer, at: 60, length: 40) }
    }
}
