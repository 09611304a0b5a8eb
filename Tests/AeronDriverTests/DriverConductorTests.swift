import Foundation
import Testing
import SharedMemory
import AeronConcurrent
@testable import AeronDriver

@Suite struct DriverConductorTests {
    @Test func firstAddPublicationAnnouncesTheClientHeartbeatThenTheLog() throws {
        let context = testContext()
        let driver = try MediaDriver(context: context)
        defer { driver.close() }
        let client = try ProtocolClient(directory: context.aeronDirectory)
        let registrationId = try client.addPublication("aeron:ipc?term-length=64k", stream: 1001)
        let responses = try client.pump(driver, count: 2)
        try #require(responses.count == 2)
        #expect(responses[0].typeId == ControlResponseTypeId.onCounterReady)
        let heartbeat = try responses[0].decode(CounterUpdate.self)
        #expect(heartbeat.correlationId == client.clientId)
        #expect(responses[1].typeId == ControlResponseTypeId.onPublicationReady)
        let ready = try responses[1].decode(PublicationBuffersReady.self)
        #expect(ready.correlationId == registrationId)
        #expect(ready.registrationId == registrationId)
        #expect(ready.sessionId == 5000)
        #expect(ready.streamId == 1001)
        #expect(ready.channelStatusIndicatorId == -1)
        #expect(ready.logFileName == context.aeronDirectory + "/publications/\(registrationId).logbuffer")

        let counters = driver.countersReader
        #expect(counters.typeId(heartbeat.counterId) == AeronCounterTypeId.clientHeartbeat)
        #expect(counters.label(heartbeat.counterId) == "client-heartbeat: id=\(client.clientId)")
        #expect(counters.keyBuffer(heartbeat.counterId).int64(at: 0) == client.clientId)
        #expect(counters.registrationId(heartbeat.counterId) == client.clientId)
        let limitId = ready.publicationLimitCounterId
        #expect(counters.typeId(limitId) == AeronCounterTypeId.publisherLimit)
        #expect(counters.label(limitId) == "pub-lmt: \(registrationId) 5000 1001 aeron:ipc?term-length=64k")
        #expect(counters.typeId(limitId - 1) == AeronCounterTypeId.publisherPosition)
        #expect(counters.label(limitId - 1) == "pub-pos (concurrent): \(registrationId) 5000 1001 aeron:ipc?term-length=64k")
        #expect(counters.ownerId(limitId) == client.clientId)
        #expect(counters.value(limitId) == 0, "no subscriber: the publisher cannot advance")

        let log = try LogBuffers(path: ready.logFileName)
        #expect(log.mappedFile.length == 200_704)
        let m = log.metadata
        #expect(LogBufferDescriptor.mtuLength(m) == 1408)
        #expect(LogBufferDescriptor.termLength(m) == 65536)
        #expect(LogBufferDescriptor.pageSize(m) == 4096)
        #expect(m.int64(at: LogBufferDescriptor.correlationIdOffset) == registrationId)
        #expect(LogBufferDescriptor.endOfStreamPosition(m) == .max)
        #expect(!LogBufferDescriptor.isConnected(m))
        let initialTermId = LogBufferDescriptor.initialTermId(m)
        #expect(LogBufferDescriptor.rawTailVolatile(m, 0) == Int64(initialTermId) << 32)
        #expect(LogBufferDescriptor.rawTailVolatile(m, 1) == Int64(initialTermId &- 2) << 32)
        #expect(LogBufferDescriptor.rawTailVolatile(m, 2) == Int64(initialTermId &- 1) << 32)
        // The default frame header Java publishers copy: version 0, flags 0xC0, type DATA, session, stream, term id.
        let h = LogBufferDescriptor.defaultFrameHeaderOffset
        #expect(m.int32(at: LogBufferDescriptor.defaultFrameHeaderLengthOffset) == 32)
        #expect(m.uint8(at: h + 4) == 0)
        #expect(m.uint8(at: h + 5) == 0xC0)
        #expect(m.int16(at: h + 6) == 1)
        #expect(m.int32(at: h + 12) == 5000)
        #expect(m.int32(at: h + 16) == 1001)
        #expect(m.int32(at: h + 20) == initialTermId)
        #expect(m.int32(at: LogBufferDescriptor.publicationWindowLengthOffset) == 32768)
        #expect(m.uint8(at: LogBufferDescriptor.publicationTypeOffset) == 0)
    }

    @Test func concurrentPublicationsShareOneLogAndExclusiveOnesDoNot() throws {
        let context = testContext()
        let driver = try MediaDriver(context: context)
        defer { driver.close() }
        let client = try ProtocolClient(directory: context.aeronDirectory)
        let first = try client.addPublication("aeron:ipc", stream: 7)
        let second = try client.addPublication("aeron:ipc", stream: 7)
        let exclusive = try client.addPublication("aeron:ipc", stream: 7, exclusive: true)
        let sessionRequest = client.nextCorrelationId()
        try client.send(ControlCommandTypeId.getNextAvailableSessionId,
                        GetNextAvailableSessionIdMessage(clientId: client.clientId, correlationId: sessionRequest, streamId: 7))
        let mismatch = try client.addPublication("aeron:ipc?term-length=128k", stream: 7)
        let responses = try client.pump(driver, count: 6)
        let ready = try responses.ofType(ControlResponseTypeId.onPublicationReady).map { try $0.decode(PublicationBuffersReady.self) }
        try #require(ready.count == 2)
        #expect(ready[0].correlationId == first && ready[0].registrationId == first)
        #expect(ready[1].correlationId == second && ready[1].registrationId == first)
        #expect(ready[0].sessionId == ready[1].sessionId)
        #expect(ready[0].publicationLimitCounterId == ready[1].publicationLimitCounterId)
        #expect(ready[0].logFileName == ready[1].logFileName)
        let exclusiveReady = try #require(responses.ofType(ControlResponseTypeId.onExclusivePublicationReady).first).decode(PublicationBuffersReady.self)
        #expect(exclusiveReady.correlationId == exclusive && exclusiveReady.registrationId == exclusive)
        #expect(exclusiveReady.sessionId == ready[0].sessionId + 1)
        let next = try #require(responses.ofType(ControlResponseTypeId.onNextAvailableSessionId).first).decode(NextAvailableSessionId.self)
        #expect(next.correlationId == sessionRequest && next.nextSessionId == exclusiveReady.sessionId + 1)
        let error = try #require(responses.ofType(ControlResponseTypeId.onError).first).decode(ErrorResponse.self)
        #expect(error.offendingCommandCorrelationId == mismatch && error.errorCode == 11)
        #expect(driver.publicationCount == 2)
    }

    @Test func subscriptionJoinsWithAPositionCounterAndMovesThePublisherLimit() throws {
        let context = testContext()
        let driver = try MediaDriver(context: context)
        defer { driver.close() }
        let client = try ProtocolClient(directory: context.aeronDirectory)
        let publication = try client.addPublication("aeron:ipc", stream: 9)
        let subscription = try client.addSubscription("aeron:ipc", stream: 9)
        let other = try client.addSubscription("aeron:ipc", stream: 10)
        let responses = try client.pump(driver, count: 5)
        let ready = try #require(responses.ofType(ControlResponseTypeId.onPublicationReady).first).decode(PublicationBuffersReady.self)
        #expect(responses.ofType(ControlResponseTypeId.onSubscriptionReady).count == 2)
        let images = try responses.ofType(ControlResponseTypeId.onAvailableImage).map { try $0.decode(ImageBuffersReady.self) }
        try #require(images.count == 1, "only the matching stream gets an image")
        let image = images[0]
        #expect(image.correlationId == publication)
        #expect(image.subscriptionRegistrationId == subscription)
        #expect(image.sessionId == ready.sessionId && image.streamId == 9)
        #expect(image.logFileName == ready.logFileName)
        #expect(image.sourceIdentity == "aeron:ipc")
        _ = other
        let counters = driver.countersReader
        let position = image.subscriberPositionId
        #expect(counters.typeId(position) == AeronCounterTypeId.subscriberPosition)
        #expect(counters.label(position) == "sub-pos: \(subscription) \(ready.sessionId) 9 aeron:ipc @0")
        #expect(counters.registrationId(position) == subscription)
        #expect(counters.referenceId(position) == publication)
        _ = try client.pump(driver, cycles: 2)
        #expect(counters.value(ready.publicationLimitCounterId) == 32768, "limit = slowest subscriber + term/2")
        let log = try LogBuffers(path: ready.logFileName)
        #expect(LogBufferDescriptor.isConnected(log.metadata))
    }

    @Test func termsAreCleanedBehindTheSlowestSubscriber() throws {
        let context = testContext()
        let driver = try MediaDriver(context: context)
        defer { driver.close() }
        let client = try ProtocolClient(directory: context.aeronDirectory)
        _ = try client.addPublication("aeron:ipc", stream: 3, exclusive: true)
        _ = try client.addSubscription("aeron:ipc", stream: 3)
        let responses = try client.pump(driver, count: 4)
        let ready = try #require(responses.ofType(ControlResponseTypeId.onExclusivePublicationReady).first).decode(PublicationBuffersReady.self)
        let image = try #require(responses.ofType(ControlResponseTypeId.onAvailableImage).first).decode(ImageBuffersReady.self)
        let log = try LogBuffers(path: ready.logFileName)
        let term = log.termBuffers[0]
        term.fill(0xAB, at: 0, count: 12288)
        let values = client.cnc.countersValuesBuffer
        values.setInt64Release(8192, at: Int(image.subscriberPositionId) * 128)
        _ = try client.pump(driver, cycles: 2)
        #expect(driver.countersReader.value(ready.publicationLimitCounterId) == 8192 + 32768)
        #expect(term.bytes(at: 0, count: 8192).allSatisfy { $0 == 0 }, "cleaned up to the subscriber position")
        #expect(term.uint8(at: 8192) == 0xAB, "not beyond it")
    }

    @Test func closingThePublicationEndsTheStreamAndReleasesTheLog() throws {
        let context = testContext()
        let driver = try MediaDriver(context: context)
        defer { driver.close() }
        let client = try ProtocolClient(directory: context.aeronDirectory)
        let publication = try client.addPublication("aeron:ipc", stream: 4)
        let subscription = try client.addSubscription("aeron:ipc", stream: 4)
        let responses = try client.pump(driver, count: 4)
        let ready = try #require(responses.ofType(ControlResponseTypeId.onPublicationReady).first).decode(PublicationBuffersReady.self)
        let image = try #require(responses.ofType(ControlResponseTypeId.onAvailableImage).first).decode(ImageBuffersReady.self)
        let log = try LogBuffers(path: ready.logFileName)
        // A publisher wrote 96 bytes.
        let initialTermId = LogBufferDescriptor.initialTermId(log.metadata)
        log.metadata.setInt64Release(LogBufferDescriptor.packTail(termId: initialTermId, termOffset: 96), at: 0)
        let remove = client.nextCorrelationId()
        try client.send(ControlCommandTypeId.removePublication,
                        RemovePublicationMessage(clientId: client.clientId, correlationId: remove, registrationId: publication))
        let removed = try client.pump(driver, count: 1)
        #expect(try removed.first?.decode(OperationSucceeded.self).correlationId == remove)
        #expect(LogBufferDescriptor.endOfStreamPosition(log.metadata) == 96)
        #expect(driver.countersReader.value(ready.publicationLimitCounterId) <= 96)
        // The subscriber has not read everything: the image stays.
        var later = try client.pumpUntil(driver, timeout: .milliseconds(200)) { !$0.ofType(ControlResponseTypeId.onUnavailableImage).isEmpty }
        #expect(later.ofType(ControlResponseTypeId.onUnavailableImage).isEmpty)
        client.cnc.countersValuesBuffer.setInt64Release(96, at: Int(image.subscriberPositionId) * 128)
        later = try client.pumpUntil(driver) { !$0.ofType(ControlResponseTypeId.onUnavailableImage).isEmpty }
        let unavailable = try #require(later.ofType(ControlResponseTypeId.onUnavailableImage).first).decode(ImageMessage.self)
        #expect(unavailable.correlationId == publication)
        #expect(unavailable.subscriptionRegistrationId == subscription)
        #expect(unavailable.streamId == 4 && unavailable.channel == "aeron:ipc")
        _ = try client.pumpUntil(driver) { _ in driver.publicationCount == 0 }
        #expect(driver.publicationCount == 0)
        #expect(!FileManager.default.fileExists(atPath: ready.logFileName))
        #expect(driver.countersReader.state(ready.publicationLimitCounterId) == .reclaimed)
        #expect(driver.countersReader.state(image.subscriberPositionId) == .reclaimed)
    }

    @Test func networkChannelsAndUnknownParametersAreRefusedWithTheRightError() throws {
        let context = testContext()
        let driver = try MediaDriver(context: context)
        defer { driver.close() }
        let client = try ProtocolClient(directory: context.aeronDirectory)
        let udp = try client.addPublication("aeron:udp?endpoint=localhost:40123", stream: 1)
        let spy = try client.addSubscription("aeron-spy:aeron:udp?endpoint=localhost:40123", stream: 1)
        let udpSub = try client.addSubscription("aeron:udp?endpoint=localhost:40123", stream: 1)
        let unknown = try client.addPublication("aeron:ipc?endpoint=localhost:40123", stream: 1)
        let badTerm = try client.addPublication("aeron:ipc?term-length=1000", stream: 1)
        let badScheme = try client.addPublication("aeron:ipcx", stream: 1)
        let responses = try client.pump(driver, count: 6)
        let errors = try responses.map { r -> ErrorResponse in
            #expect(r.typeId == ControlResponseTypeId.onError)
            return try r.decode(ErrorResponse.self)
        }
        try #require(errors.count == 6)
        #expect(errors.map(\.offendingCommandCorrelationId) == [udp, spy, udpSub, unknown, badTerm, badScheme])
        #expect(errors.map(\.errorCode) == [8, 8, 8, 1, 11, 1])
        for error in errors[0..<3] {
            #expect(error.errorMessage.contains("run the Aeron C or Java media driver for network channels"))
        }
        #expect(errors[3].errorMessage.contains("endpoint"))
        #expect(driver.clientCount == 0, "failed validation does not register the client")
        #expect(driver.errorLogEntries.count >= 5)
    }

    @Test func malformedAndUnknownCommandsAreCountedAndOtherClientsUnaffected() throws {
        let context = testContext()
        let driver = try MediaDriver(context: context)
        defer { driver.close() }
        let bad = try ProtocolClient(directory: context.aeronDirectory)
        let good = try ProtocolClient(directory: context.aeronDirectory)
        // Too short for the header; unknown type; a channel length far beyond the record; garbage strings.
        try bad.sendRaw(ControlCommandTypeId.addPublication, [1, 2, 3, 4, 5, 6, 7, 8])
        try bad.sendRaw(0x77, [UInt8](repeating: 0, count: 16))
        var huge = [UInt8](repeating: 0, count: 24)
        huge.withUnsafeMutableBytes { $0.storeBytes(of: Int32(100_000).littleEndian, toByteOffset: 20, as: Int32.self) }
        try bad.sendRaw(ControlCommandTypeId.addPublication, huge)
        var negative = [UInt8](repeating: 0xFF, count: 40)
        negative.withUnsafeMutableBytes { $0.storeBytes(of: Int32(-5).littleEndian, toByteOffset: 20, as: Int32.self) }
        try bad.sendRaw(ControlCommandTypeId.addCounter, negative)
        try bad.sendRaw(ControlCommandTypeId.addSubscription, (0..<64).map { _ in UInt8.random(in: 0...255) })
        try bad.sendRaw(ControlCommandTypeId.removePublication, [UInt8](repeating: 0, count: 20))
        let subscription = try good.addSubscription("aeron:ipc", stream: 5)
        let responses = try good.pump(driver, cycles: 20)
        let ready = responses.ofType(ControlResponseTypeId.onSubscriptionReady)
        #expect(try ready.contains { try $0.decode(SubscriptionReady.self).correlationId == subscription })
        let entries = driver.errorLogEntries
        #expect(entries.contains { $0.text.contains("malformed command") })
        #expect(entries.contains { $0.text.contains("unknown command type id: 119") })
        #expect(driver.countersReader.value(SystemCounters.errors) >= 5)
        #expect(driver.clientCount == 1 || driver.clientCount == 2)
    }

    @Test func removingUnknownResourcesAnswersWithTheirErrorCodes() throws {
        let context = testContext()
        let driver = try MediaDriver(context: context)
        defer { driver.close() }
        let client = try ProtocolClient(directory: context.aeronDirectory)
        let ids = (0..<3).map { _ in client.nextCorrelationId() }
        try client.send(ControlCommandTypeId.removePublication, RemovePublicationMessage(clientId: client.clientId, correlationId: ids[0], registrationId: 999))
        try client.send(ControlCommandTypeId.removeSubscription, RemoveMessage(clientId: client.clientId, correlationId: ids[1], registrationId: 999))
        try client.send(ControlCommandTypeId.removeCounter, RemoveMessage(clientId: client.clientId, correlationId: ids[2], registrationId: 999))
        let errors = try client.pump(driver, count: 3).map { try $0.decode(ErrorResponse.self) }
        #expect(errors.map(\.offendingCommandCorrelationId) == ids)
        #expect(errors.map(\.errorCode) == [3, 2, 5])
    }

    @Test func countersAndStaticCounters() throws {
        let context = testContext()
        let driver = try MediaDriver(context: context)
        defer { driver.close() }
        let client = try ProtocolClient(directory: context.aeronDirectory)
        let add = client.nextCorrelationId()
        try client.send(ControlCommandTypeId.addCounter, CounterMessage(clientId: client.clientId, correlationId: add, typeId: 1001, key: [1, 2, 3], label: "my counter"))
        let staticAdd = client.nextCorrelationId()
        try client.send(ControlCommandTypeId.addStaticCounter, StaticCounterMessage(clientId: client.clientId, correlationId: staticAdd, registrationId: 77, typeId: 1002, key: [], label: "static one"))
        let staticAgain = client.nextCorrelationId()
        try client.send(ControlCommandTypeId.addStaticCounter, StaticCounterMessage(clientId: client.clientId, correlationId: staticAgain, registrationId: 77, typeId: 1002, key: [], label: "static one"))
        let responses = try client.pump(driver, count: 4)
        let counter = try #require(responses.ofType(ControlResponseTypeId.onCounterReady).last).decode(CounterUpdate.self)
        #expect(counter.correlationId == add)
        #expect(driver.countersReader.label(counter.counterId) == "my counter")
        #expect(driver.countersReader.typeId(counter.counterId) == 1001)
        #expect(driver.countersReader.keyBuffer(counter.counterId).uint8(at: 2) == 3)
        #expect(driver.countersReader.registrationId(counter.counterId) == add)
        let statics = try responses.ofType(ControlResponseTypeId.onStaticCounter).map { try $0.decode(CounterUpdate.self) }
        #expect(statics.count == 2 && statics[0].counterId == statics[1].counterId)
        #expect(driver.countersReader.ownerId(statics[0].counterId) == -1)
        #expect(driver.countersReader.registrationId(statics[0].counterId) == 77)

        let remove = client.nextCorrelationId()
        try client.send(ControlCommandTypeId.removeCounter, RemoveMessage(clientId: client.clientId, correlationId: remove, registrationId: add))
        let removed = try client.pump(driver, count: 2)
        #expect(removed.map(\.typeId) == [ControlResponseTypeId.onOperationSuccess, ControlResponseTypeId.onUnavailableCounter])
        #expect(try removed[1].decode(CounterUpdate.self) == CounterUpdate(correlationId: add, counterId: counter.counterId))
        #expect(driver.countersReader.state(counter.counterId) == .reclaimed)
    }

    @Test func aClientThatStopsHeartbeatingIsTimedOutAndItsResourcesReleased() throws {
        var context = testContext()
        context.clientLivenessTimeoutNs = 300_000_000
        let driver = try MediaDriver(context: context)
        defer { driver.close() }
        let dying = try ProtocolClient(directory: context.aeronDirectory)
        let survivor = try ProtocolClient(directory: context.aeronDirectory)
        let publication = try dying.addPublication("aeron:ipc", stream: 11)
        let counter = dying.nextCorrelationId()
        try dying.send(ControlCommandTypeId.addCounter, CounterMessage(clientId: dying.clientId, correlationId: counter, typeId: 1001, key: [], label: "user"))
        _ = try dying.addSubscription("aeron:ipc", stream: 12)
        let survivorSub = try survivor.addSubscription("aeron:ipc", stream: 11)
        let setup = try survivor.pump(driver, count: 9)
        let heartbeats = try setup.ofType(ControlResponseTypeId.onCounterReady).map { try $0.decode(CounterUpdate.self) }
        let survivorHeartbeat = try #require(heartbeats.first { $0.correlationId == survivor.clientId }).counterId
        let dyingHeartbeat = try #require(heartbeats.first { $0.correlationId == dying.clientId }).counterId
        let image = try #require(setup.ofType(ControlResponseTypeId.onAvailableImage).first).decode(ImageBuffersReady.self)
        #expect(image.subscriptionRegistrationId == survivorSub)

        let events = try survivor.pumpUntil(driver) { responses in
            survivor.heartbeat(counterId: survivorHeartbeat)
            return responses.contains { $0.typeId == ControlResponseTypeId.onUnavailableImage }
        }
        let timeout = try #require(events.ofType(ControlResponseTypeId.onClientTimeout).first).decode(ClientTimeout.self)
        #expect(timeout.clientId == dying.clientId)
        let unavailable = try events.ofType(ControlResponseTypeId.onUnavailableCounter).map { try $0.decode(CounterUpdate.self) }
        #expect(unavailable.contains(CounterUpdate(correlationId: dying.clientId, counterId: dyingHeartbeat)))
        #expect(unavailable.contains { $0.correlationId == counter })
        #expect(try events.ofType(ControlResponseTypeId.onUnavailableImage).first?.decode(ImageMessage.self).correlationId == publication)
        #expect(driver.clientCount == 1)
        #expect(driver.subscriptionCount == 1)
        #expect(driver.countersReader.value(SystemCounters.clientTimeouts) == 1)
        #expect(driver.countersReader.state(dyingHeartbeat) == .reclaimed)
        #expect(driver.countersReader.state(survivorHeartbeat) == .allocated)
    }

    @Test func clientCloseReleasesWithoutATimeout() throws {
        let context = testContext()
        let driver = try MediaDriver(context: context)
        defer { driver.close() }
        let client = try ProtocolClient(directory: context.aeronDirectory)
        _ = try client.addSubscription("aeron:ipc", stream: 1)
        let setup = try client.pump(driver, count: 2)
        let heartbeat = try setup[0].decode(CounterUpdate.self)
        try client.send(ControlCommandTypeId.clientClose, CorrelatedMessage(clientId: client.clientId, correlationId: -1))
        let events = try client.pumpUntil(driver) { !$0.ofType(ControlResponseTypeId.onUnavailableCounter).isEmpty }
        #expect(events.ofType(ControlResponseTypeId.onClientTimeout).isEmpty)
        #expect(try events.ofType(ControlResponseTypeId.onUnavailableCounter).first?.decode(CounterUpdate.self) == heartbeat)
        #expect(driver.clientCount == 0 && driver.subscriptionCount == 0)
    }
}

@Suite struct DriverConductorSubscriberStateTests {
    @Test func untetheredSubscriberIsDroppedWhenItLagsThenRejoins() throws {
        let context = testContext()
        let driver = try MediaDriver(context: context)
        defer { driver.close() }
        let client = try ProtocolClient(directory: context.aeronDirectory)
        let publication = try client.addPublication(
            "aeron:ipc?untethered-window-limit-timeout=100ms|untethered-linger-timeout=100ms|untethered-resting-timeout=100ms", stream: 40)
        let tethered = try client.addSubscription("aeron:ipc", stream: 40)
        let untethered = try client.addSubscription("aeron:ipc?tether=false", stream: 40)
        let setup = try client.pump(driver, count: 6)
        let ready = try #require(setup.ofType(ControlResponseTypeId.onPublicationReady).first).decode(PublicationBuffersReady.self)
        let images = try setup.ofType(ControlResponseTypeId.onAvailableImage).map { try $0.decode(ImageBuffersReady.self) }
        let fast = try #require(images.first { $0.subscriptionRegistrationId == tethered })
        let slow = try #require(images.first { $0.subscriptionRegistrationId == untethered })
        let log = try LogBuffers(path: ready.logFileName)
        let initialTermId = LogBufferDescriptor.initialTermId(log.metadata)
        // The publisher writes 30 KiB and the tethered subscriber reads it; the untethered one stays at 0.
        log.metadata.setInt64Release(LogBufferDescriptor.packTail(termId: initialTermId, termOffset: 30_720), at: 0)
        client.cnc.countersValuesBuffer.setInt64Release(30_720, at: Int(fast.subscriberPositionId) * 128)
        _ = try client.pump(driver, cycles: 2)
        let limit = driver.countersReader.value(ready.publicationLimitCounterId)
        #expect(limit == 32_768, "the untethered subscriber at 0 still holds the limit: \(limit)")

        let dropped = try client.pumpUntil(driver) { !$0.ofType(ControlResponseTypeId.onUnavailableImage).isEmpty }
        let unavailable = try #require(dropped.ofType(ControlResponseTypeId.onUnavailableImage).first).decode(ImageMessage.self)
        #expect(unavailable.correlationId == publication && unavailable.subscriptionRegistrationId == untethered)
        _ = try client.pump(driver, cycles: 2)
        #expect(driver.countersReader.value(ready.publicationLimitCounterId) == 30_720 + 32_768,
                "a lingering untethered subscriber no longer holds the publisher back")

        let rejoined = try client.pumpUntil(driver) { !$0.ofType(ControlResponseTypeId.onAvailableImage).isEmpty }
        let image = try #require(rejoined.ofType(ControlResponseTypeId.onAvailableImage).first).decode(ImageBuffersReady.self)
        #expect(image.subscriptionRegistrationId == untethered)
        #expect(image.subscriberPositionId == slow.subscriberPositionId, "same position counter")
        #expect(driver.countersReader.value(slow.subscriberPositionId) == 30_720, "rejoins at the join position")
    }

    @Test func revokedPublicationEndsAtOnce() throws {
        let context = testContext()
        let driver = try MediaDriver(context: context)
        defer { driver.close() }
        let client = try ProtocolClient(directory: context.aeronDirectory)
        let publication = try client.addPublication("aeron:ipc", stream: 41)
        _ = try client.addSubscription("aeron:ipc", stream: 41)
        let setup = try client.pump(driver, count: 4)
        let ready = try #require(setup.ofType(ControlResponseTypeId.onPublicationReady).first).decode(PublicationBuffersReady.self)
        let log = try LogBuffers(path: ready.logFileName)
        let initialTermId = LogBufferDescriptor.initialTermId(log.metadata)
        log.metadata.setInt64Release(LogBufferDescriptor.packTail(termId: initialTermId, termOffset: 64), at: 0)
        try client.send(ControlCommandTypeId.removePublication, RemovePublicationMessage(
            clientId: client.clientId, correlationId: client.nextCorrelationId(), registrationId: publication, flags: RemovePublicationMessage.revokeFlag))
        // The subscriber never read the 64 bytes, yet the image goes: revoked logs do not drain.
        let events = try client.pumpUntil(driver) { !$0.ofType(ControlResponseTypeId.onUnavailableImage).isEmpty }
        #expect(!events.ofType(ControlResponseTypeId.onUnavailableImage).isEmpty)
        #expect(LogBufferDescriptor.isPublicationRevoked(log.metadata))
        #expect(LogBufferDescriptor.endOfStreamPosition(log.metadata) == 64)
        #expect(driver.countersReader.value(SystemCounters.publicationsRevoked) == 1)
        _ = try client.pumpUntil(driver) { _ in driver.publicationCount == 0 }
        #expect(driver.publicationCount == 0)
    }

    @Test func explicitSessionIdsClashOrMustMatchTheSharedPublication() throws {
        let context = testContext()
        let driver = try MediaDriver(context: context)
        defer { driver.close() }
        let client = try ProtocolClient(directory: context.aeronDirectory)
        _ = try client.addPublication("aeron:ipc?session-id=77", stream: 42)
        let same = try client.addPublication("aeron:ipc?session-id=77", stream: 42)
        let different = try client.addPublication("aeron:ipc?session-id=78", stream: 42)
        let clash = try client.addPublication("aeron:ipc?session-id=77", stream: 42, exclusive: true)
        let responses = try client.pump(driver, count: 5)
        let ready = try responses.ofType(ControlResponseTypeId.onPublicationReady).map { try $0.decode(PublicationBuffersReady.self) }
        #expect(ready.count == 2 && ready.allSatisfy { $0.sessionId == 77 })
        #expect(ready.last?.correlationId == same)
        let errors = try responses.ofType(ControlResponseTypeId.onError).map { try $0.decode(ErrorResponse.self) }
        #expect(errors.map(\.offendingCommandCorrelationId) == [different, clash])
        #expect(errors.map(\.errorCode) == [11, 1])
    }
}

@Suite struct DriverUnblockTests {
    @Test func aCommandClaimedButNeverCommittedIsUnblockedAndLaterCommandsServed() throws {
        var context = testContext()
        context.commandUnblockTimeoutNs = 100_000_000
        let driver = try MediaDriver(context: context)
        defer { driver.close() }
        let stuck = try ProtocolClient(directory: context.aeronDirectory)
        let healthy = try ProtocolClient(directory: context.aeronDirectory)
        // A client dies between claim and commit: its record keeps a negative length at the head.
        let index = try stuck.toDriver.tryClaim(messageTypeId: ControlCommandTypeId.addSubscription, length: 40)
        #expect(index >= 0)
        let subscription = try healthy.addSubscription("aeron:ipc", stream: 50)
        let responses = try healthy.pumpUntil(driver) { !$0.ofType(ControlResponseTypeId.onSubscriptionReady).isEmpty }
        #expect(try responses.ofType(ControlResponseTypeId.onSubscriptionReady).first?.decode(SubscriptionReady.self).correlationId == subscription)
        #expect(driver.countersReader.value(SystemCounters.unblockedCommands) == 1)
    }

    @Test func aPublisherThatDiedMidFrameIsUnblocked() throws {
        var context = testContext()
        context.publicationUnblockTimeoutNs = 100_000_000
        let driver = try MediaDriver(context: context)
        defer { driver.close() }
        let client = try ProtocolClient(directory: context.aeronDirectory)
        _ = try client.addPublication("aeron:ipc", stream: 51)
        _ = try client.addSubscription("aeron:ipc", stream: 51)
        let setup = try client.pump(driver, count: 4)
        let ready = try #require(setup.ofType(ControlResponseTypeId.onPublicationReady).first).decode(PublicationBuffersReady.self)
        let log = try LogBuffers(path: ready.logFileName)
        let term = log.termBuffers[0]
        let initialTermId = LogBufferDescriptor.initialTermId(log.metadata)
        // Publisher A claimed [0, 64) and died (negative length); publisher B committed [64, 128).
        term.setInt32Release(-64, at: 0)
        term.setInt32(64, at: 64 + 8)
        term.setInt16(DataFrameHeader.typeData, at: 64 + 6)
        term.setInt32Release(64, at: 64)
        log.metadata.setInt64Release(LogBufferDescriptor.packTail(termId: initialTermId, termOffset: 128), at: 0)
        _ = try client.pumpUntil(driver) { _ in driver.countersReader.value(SystemCounters.unblockedPublications) > 0 }
        #expect(driver.countersReader.value(SystemCounters.unblockedPublications) == 1)
        #expect(DataFrameHeader.frameLengthVolatile(term, 0) == 64)
        #expect(DataFrameHeader.isPaddingFrame(term, 0))
        #expect(term.int32(at: 12) == ready.sessionId, "padding written from the default header")
        #expect(term.int32(at: 20) == initialTermId)
    }
}

@Suite struct DriverStartPositionTests {
    @Test func positionalParametersStartTheLogMidStream() throws {
        let context = testContext()
        let driver = try MediaDriver(context: context)
        defer { driver.close() }
        let client = try ProtocolClient(directory: context.aeronDirectory)
        _ = try client.addPublication("aeron:ipc?init-term-id=100|term-id=102|term-offset=64", stream: 60, exclusive: true)
        let incomplete = try client.addPublication("aeron:ipc?init-term-id=100|term-id=102", stream: 61)
        _ = try client.addSubscription("aeron:ipc", stream: 60)
        let responses = try client.pump(driver, count: 5)
        let ready = try #require(responses.ofType(ControlResponseTypeId.onExclusivePublicationReady).first).decode(PublicationBuffersReady.self)
        let log = try LogBuffers(path: ready.logFileName)
        let m = log.metadata
        #expect(LogBufferDescriptor.initialTermId(m) == 100)
        #expect(LogBufferDescriptor.activeTermCount(m) == 2)
        #expect(LogBufferDescriptor.rawTailVolatile(m, 2) == (Int64(102) << 32) | 64)
        #expect(LogBufferDescriptor.rawTailVolatile(m, 0) == Int64(100) << 32)
        #expect(LogBufferDescriptor.rawTailVolatile(m, 1) == Int64(101) << 32)
        let start: Int64 = 2 * 65536 + 64
        let image = try #require(responses.ofType(ControlResponseTypeId.onAvailableImage).first).decode(ImageBuffersReady.self)
        #expect(driver.countersReader.value(image.subscriberPositionId) == start)
        _ = try client.pump(driver, cycles: 2)
        #expect(driver.countersReader.value(ready.publicationLimitCounterId) == start + 32768)
        #expect(driver.countersReader.value(ready.publicationLimitCounterId - 1) == start, "pub-pos")
        let error = try #require(responses.ofType(ControlResponseTypeId.onError).first).decode(ErrorResponse.self)
        #expect(error.offendingCommandCorrelationId == incomplete && error.errorCode == 11)
    }
}
