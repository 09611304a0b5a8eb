import Testing
import Synchronization
import SharedMemory
import AeronConcurrent
@testable import AeronClient

/// Bad driver input to the client's own parsing: counted and reported, never a crash.
@Suite struct ClientParsingTests {
    @Test func truncatedResponsesAreCountedNotFatal() throws {
        let fake = try FakeDriverDirectory()
        let errors = Mutex<[AeronError]>([])
        var context = AeronContext(directory: fake.path)
        context.useConductorAgentInvoker = true
        context.errorHandler = { e in errors.withLock { $0.append(e) } }
        let aeron = try Aeron.connect(context)
        defer { aeron.close() }
        let samples: [(Int32, any ControlMessage)] = [
            (ControlResponseTypeId.onError, ErrorResponse(offendingCommandCorrelationId: 1, errorCode: 1, errorMessage: "bad channel")),
            (ControlResponseTypeId.onPublicationReady, PublicationBuffersReady(correlationId: 1, registrationId: 1, sessionId: 2, streamId: 3, publicationLimitCounterId: 4, channelStatusIndicatorId: -1, logFileName: "/x.logbuffer")),
            (ControlResponseTypeId.onAvailableImage, ImageBuffersReady(correlationId: 1, sessionId: 2, streamId: 3, subscriptionRegistrationId: 4, subscriberPositionId: 5, logFileName: "/x", sourceIdentity: "aeron:ipc")),
            (ControlResponseTypeId.onUnavailableImage, ImageMessage(correlationId: 1, subscriptionRegistrationId: 2, streamId: 3, channel: "aeron:ipc")),
            (ControlResponseTypeId.onSubscriptionReady, SubscriptionReady(correlationId: 1, channelStatusIndicatorId: -1)),
            (ControlResponseTypeId.onCounterReady, CounterUpdate(correlationId: 1, counterId: 2)),
            (ControlResponseTypeId.onOperationSuccess, OperationSucceeded(correlationId: 1)),
            (ControlResponseTypeId.onClientTimeout, ClientTimeout(clientId: 1)),
        ]
        var expectedMalformed = 0
        for (typeId, message) in samples {
            let length = message.encodedLength
            for cut in [0, 1, 7, length - 1] where cut >= 0 && cut < length {
                fake.inject(aeron, typeId, message, truncateTo: cut)
                expectedMalformed += 1
            }
        }
        #expect(aeron.responseErrorCounts.malformed == expectedMalformed)
        #expect(errors.withLock { $0.filter { if case .malformedResponse = $0 { true } else { false } }.count } == expectedMalformed)
        #expect(!aeron.isClosed)
    }

    @Test func hostileStringLengthIsAnError() throws {
        let fake = try FakeDriverDirectory()
        let aeron = try fake.connect()
        defer { aeron.close() }
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 8)
        defer { scratch.deallocate() }
        let buffer = AtomicBuffer(base: scratch, capacity: 64)
        buffer.fill(0, at: 0, count: 64)
        buffer.setInt64(9, at: 0)
        buffer.setInt32(1, at: 8)
        buffer.setInt32(Int32.max, at: 12) // error message length far beyond the record
        aeron.conductor.injectResponse(typeId: ControlResponseTypeId.onError, buffer, length: 40)
        buffer.setInt32(-5, at: 12)
        aeron.conductor.injectResponse(typeId: ControlResponseTypeId.onError, buffer, length: 40)
        #expect(aeron.responseErrorCounts.malformed == 2)
    }

    @Test func unknownResponseTypeIsCounted() throws {
        let fake = try FakeDriverDirectory()
        let aeron = try fake.connect()
        defer { aeron.close() }
        fake.inject(aeron, 0x0FEE, OperationSucceeded(correlationId: 3))
        #expect(aeron.responseErrorCounts.unknown == 1)
    }

    @Test func publicationReadyWithMissingOrBadLogFileFailsTheRegistration() throws {
        let fake = try FakeDriverDirectory()
        let aeron = try fake.connect()
        defer { aeron.close() }
        let id = try aeron.asyncAddPublication(channel: "aeron:ipc", streamId: 1)
        fake.inject(aeron, ControlResponseTypeId.onPublicationReady,
                    PublicationBuffersReady(correlationId: id, registrationId: id, sessionId: 1, streamId: 1, publicationLimitCounterId: 0,
                                            channelStatusIndicatorId: -1, logFileName: fake.path + "/missing.logbuffer"))
        #expect(throws: AeronError.self) { _ = try aeron.publication(registrationId: id) }

        // A file too short to be a log buffer.
        let shortPath = fake.path + "/short.logbuffer"
        _ = try MappedFile.create(path: shortPath, length: 8192)
        let id2 = try aeron.asyncAddExclusivePublication(channel: "aeron:ipc", streamId: 1)
        fake.inject(aeron, ControlResponseTypeId.onExclusivePublicationReady,
                    PublicationBuffersReady(correlationId: id2, registrationId: id2, sessionId: 1, streamId: 1, publicationLimitCounterId: 0,
                                            channelStatusIndicatorId: -1, logFileName: shortPath))
        #expect(throws: AeronError.self) { _ = try aeron.exclusivePublication(registrationId: id2) }
    }

    @Test func driverErrorCompletesTheMatchingRegistrationOnly() throws {
        let fake = try FakeDriverDirectory()
        let aeron = try fake.connect()
        defer { aeron.close() }
        let a = try aeron.asyncAddSubscription(channel: "aeron:ipc", streamId: 1)
        let b = try aeron.asyncAddSubscription(channel: "aeron:ipc", streamId: 2)
        fake.inject(aeron, ControlResponseTypeId.onError, ErrorResponse(offendingCommandCorrelationId: b, errorCode: 1, errorMessage: "invalid channel"))
        #expect(try aeron.subscription(registrationId: a) == nil)
        #expect(throws: AeronError.driver(code: .invalidChannel, message: "invalid channel", correlationId: b)) {
            _ = try aeron.subscription(registrationId: b)
        }
    }

    @Test func commandsWrittenToTheRingDecodeBack() throws {
        let fake = try FakeDriverDirectory()
        let aeron = try fake.connect()
        defer { aeron.close() }
        let id = try aeron.asyncAddPublication(channel: "aeron:ipc?term-length=64k", streamId: 42)
        var decoded: PublicationMessage?
        var type: Int32 = 0
        _ = fake.ring.read { t, buffer, offset, length in
            type = t
            decoded = try? PublicationMessage(decoding: buffer, at: offset, length: length)
        }
        #expect(type == ControlCommandTypeId.addPublication)
        #expect(decoded == PublicationMessage(clientId: aeron.clientId, correlationId: id, streamId: 42, channel: "aeron:ipc?term-length=64k"))
    }
}
