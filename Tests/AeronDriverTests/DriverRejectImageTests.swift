import Foundation
import Synchronization
import Testing
import SharedMemory
import AeronConcurrent
import AeronClient
import AeronInteropSupport
@testable import AeronDriver

/// REJECT_IMAGE on IPC images and GET_NEXT_AVAILABLE_SESSION_ID in the Swift driver, as the C 1.53 driver serves
/// them: protocol level, with the Swift client, and with real C clients.
@Suite struct DriverRejectImageTests {
    static func rejectContext() -> MediaDriverContext {
        var context = testContext()
        context.imageLivenessTimeoutNs = 300_000_000
        return context
    }

    @Test func rejectImageNotifiesPublishersUnlinksSubscribersAndRelinksAfterTheCoolDown() throws {
        let context = Self.rejectContext()
        let driver = try MediaDriver(context: context)
        defer { driver.close() }
        let client = try ProtocolClient(directory: context.aeronDirectory)
        let subscriptionId = try client.addSubscription("aeron:ipc", stream: 9)
        let publicationId = try client.addPublication("aeron:ipc", stream: 9)
        let setup = try client.pump(driver, count: 4)
        let image = try #require(setup.ofType(ControlResponseTypeId.onAvailableImage).first).decode(ImageBuffersReady.self)
        let ready = try #require(setup.ofType(ControlResponseTypeId.onPublicationReady).first).decode(PublicationBuffersReady.self)
        let log = try LogBuffers(path: ready.logFileName)
        #expect(LogBufferDescriptor.isConnected(log.metadata))

        let rejectId = client.nextCorrelationId()
        try client.send(ControlCommandTypeId.rejectImage,
                        RejectImageMessage(clientId: client.clientId, correlationId: rejectId, imageCorrelationId: image.correlationId,
                                           position: 0, reason: "too slow"))
        let responses = try client.pump(driver, count: 3)
        // The C driver's order: the publication error, the unavailable images, then the command's success.
        #expect(responses.map(\.typeId) == [ControlResponseTypeId.onPublicationError, ControlResponseTypeId.onUnavailableImage,
                                            ControlResponseTypeId.onOperationSuccess])
        let error = try responses[0].decode(PublicationErrorFrame.self)
        #expect(error == PublicationErrorFrame(registrationId: publicationId, destinationRegistrationId: -1, sessionId: ready.sessionId,
                                               streamId: 9, receiverId: -1, groupTag: -1, addressType: 1, sourcePort: 0,
                                               sourceAddress: [1, 0, 0, 127] + [UInt8](repeating: 0, count: 12), errorCode: 13,
                                               errorMessage: "too slow"))
        let gone = try responses[1].decode(ImageMessage.self)
        #expect(gone.correlationId == publicationId && gone.subscriptionRegistrationId == subscriptionId && gone.channel == "aeron:ipc")
        #expect(try responses[2].decode(OperationSucceeded.self).correlationId == rejectId)
        #expect(!LogBufferDescriptor.isConnected(log.metadata))
        #expect(driver.countersReader.state(image.subscriberPositionId) == .reclaimed)
        #expect(driver.countersReader.value(SystemCounters.imagesRejected) == 1)
        #expect(driver.errorLogEntries.contains { $0.text.hasPrefix("onPublicationError: registrationId=\(publicationId), ") && $0.text.hasSuffix("errorCode=13, errorMessage=too slow") })

        // During the cool-down a new subscription is not linked.
        let lateSubscriptionId = try client.addSubscription("aeron:ipc", stream: 9)
        let late = try client.pump(driver, count: 2, cycles: 20)
        #expect(late.map(\.typeId) == [ControlResponseTypeId.onSubscriptionReady])
        // After it, the timer links both subscriptions again with fresh positions.
        let relinked = try client.pumpUntil(driver, timeout: .seconds(10)) { $0.ofType(ControlResponseTypeId.onAvailableImage).count == 2 }
        let images = try relinked.ofType(ControlResponseTypeId.onAvailableImage).map { try $0.decode(ImageBuffersReady.self) }
        #expect(Set(images.map(\.subscriptionRegistrationId)) == [subscriptionId, lateSubscriptionId])
        #expect(images.allSatisfy { $0.correlationId == publicationId && $0.sessionId == ready.sessionId })
        #expect(LogBufferDescriptor.isConnected(log.metadata))
    }

    @Test func rejectingTwiceExtendsTheCoolDownWithoutUnlinkingAgain() throws {
        let context = Self.rejectContext()
        let driver = try MediaDriver(context: context)
        defer { driver.close() }
        let client = try ProtocolClient(directory: context.aeronDirectory)
        _ = try client.addSubscription("aeron:ipc", stream: 9)
        let publicationId = try client.addPublication("aeron:ipc", stream: 9)
        _ = try client.pump(driver, count: 4)
        for _ in 0..<2 {
            try client.send(ControlCommandTypeId.rejectImage,
                            RejectImageMessage(clientId: client.clientId, correlationId: client.nextCorrelationId(),
                                               imageCorrelationId: publicationId, position: 0, reason: "no"))
        }
        let responses = try client.pump(driver, count: 5)
        #expect(responses.map(\.typeId) == [ControlResponseTypeId.onPublicationError, ControlResponseTypeId.onUnavailableImage,
                                            ControlResponseTypeId.onOperationSuccess,
                                            ControlResponseTypeId.onPublicationError, ControlResponseTypeId.onOperationSuccess])
        #expect(driver.countersReader.value(SystemCounters.imagesRejected) == 2)
    }

    @Test func rejectingAnUnknownImageOrWithATooLongReasonIsAGenericError() throws {
        let context = Self.rejectContext()
        let driver = try MediaDriver(context: context)
        defer { driver.close() }
        let client = try ProtocolClient(directory: context.aeronDirectory)
        let publicationId = try client.addPublication("aeron:ipc", stream: 9)
        _ = try client.pump(driver, count: 2)
        let unknownId = client.nextCorrelationId()
        try client.send(ControlCommandTypeId.rejectImage,
                        RejectImageMessage(clientId: client.clientId, correlationId: unknownId, imageCorrelationId: 4242, position: 0, reason: "x"))
        let longId = client.nextCorrelationId()
        try client.send(ControlCommandTypeId.rejectImage,
                        RejectImageMessage(clientId: client.clientId, correlationId: longId, imageCorrelationId: publicationId, position: 0,
                                           reason: String(repeating: "r", count: 1024)))
        // A hostile reason length: the body says 1 MiB of reason in a 40-byte command.
        var raw = [UInt8](repeating: 0, count: 40)
        raw.withUnsafeMutableBytes { b in
            b.storeBytes(of: client.clientId, toByteOffset: 0, as: Int64.self)
            b.storeBytes(of: Int64(77), toByteOffset: 8, as: Int64.self)
            b.storeBytes(of: publicationId, toByteOffset: 16, as: Int64.self)
            b.storeBytes(of: Int32(1 << 20), toByteOffset: 32, as: Int32.self)
        }
        try client.sendRaw(ControlCommandTypeId.rejectImage, raw)
        let responses = try client.pump(driver, count: 3)
        let errors = try responses.ofType(ControlResponseTypeId.onError).map { try $0.decode(ErrorResponse.self) }
        try #require(errors.count == 3)
        #expect(errors[0].offendingCommandCorrelationId == unknownId && errors[0].errorCode == 11)
        #expect(errors[0].errorMessage.contains("Unable to resolve image for correlationId=4242"))
        #expect(errors[1].offendingCommandCorrelationId == longId && errors[1].errorCode == 11)
        #expect(errors[2].offendingCommandCorrelationId == 77 && errors[2].errorCode == 7)
        #expect(responses.ofType(ControlResponseTypeId.onPublicationError).isEmpty)
        #expect(driver.countersReader.value(SystemCounters.imagesRejected) == 0)
    }

    @Test func nextAvailableSessionIdSkipsIdsInUse() throws {
        let context = Self.rejectContext() // session ids start at 5000
        let driver = try MediaDriver(context: context)
        defer { driver.close() }
        let client = try ProtocolClient(directory: context.aeronDirectory)
        _ = try client.addPublication("aeron:ipc?session-id=5001", stream: 3)
        _ = try client.pump(driver, count: 2)
        var ids: [Int32] = []
        for _ in 0..<3 {
            let id = client.nextCorrelationId()
            try client.send(ControlCommandTypeId.getNextAvailableSessionId,
                            GetNextAvailableSessionIdMessage(clientId: client.clientId, correlationId: id, streamId: 3))
            let response = try #require(try client.pump(driver, count: 1).first)
            let next = try response.decode(NextAvailableSessionId.self)
            #expect(next.correlationId == id)
            ids.append(next.nextSessionId)
        }
        #expect(ids == [5000, 5002, 5003])
    }
}

/// The Swift client and real C clients on the Swift driver: image rejection, publication errors, session ids, revoke.
@Suite(.serialized) struct ClientsRejectImagesOnSwiftDriverTests {
    static func launch() throws -> MediaDriver {
        try RealCClientsOnSwiftDriverTests.launchDriver { $0.imageLivenessTimeoutNs = 1_000_000_000 }
    }

    static func context(_ driver: MediaDriver) -> AeronContext {
        var context = AeronContext(directory: driver.aeronDirectory)
        context.driverTimeoutMs = 5_000
        return context
    }

    @Test func swiftClientRejectsAnImageOnTheSwiftDriver() throws {
        let driver = try Self.launch()
        defer { driver.close() }
        let publicationErrors = Mutex<[PublicationError]>([])
        let available = Mutex<Int>(0)
        let unavailable = Mutex<Int>(0)
        var context = Self.context(driver)
        context.publicationErrorHandler = { e in publicationErrors.withLock { $0.append(e) } }
        let aeron = try Aeron.connect(context)
        defer { aeron.close() }
        #expect(aeron.controlProtocolVersion == 65536)
        let subscription = try aeron.addSubscription(channel: "aeron:ipc", streamId: 21,
                                                     availableImageHandler: { _ in available.withLock { $0 += 1 } },
                                                     unavailableImageHandler: { _ in unavailable.withLock { $0 += 1 } })
        let publication = try aeron.addExclusivePublication(channel: "aeron:ipc", streamId: 21)
        #expect(awaitCondition { available.withLock { $0 } == 1 && publication.isConnected })
        let image = try #require(subscription.images.first)
        try image.rejectImage(reason: "bad data")
        #expect(awaitCondition { publicationErrors.withLock { $0.count } == 1 && unavailable.withLock { $0 } == 1 })
        let error = try #require(publicationErrors.withLock { $0.first })
        #expect(error.registrationId == publication.registrationId && error.errorCode == .imageRejected && error.errorMessage == "bad data")
        #expect(!publication.isConnected)
        #expect(awaitCondition { available.withLock { $0 } == 2 && publication.isConnected })
        #expect {
            try subscription.rejectImage(correlationId: 123_456, position: 0, reason: "unknown")
        } throws: { error in
            if case .driver(.genericError, _, _)? = error as? AeronError { return true }
            return false
        }
        // Session ids come from the driver (control protocol 1.0.0 published in counter 43).
        let first = try aeron.nextAvailableSessionId(streamId: 21)
        let second = try aeron.nextAvailableSessionId(streamId: 21)
        #expect(second == first &+ 1 || second == 1001)
        #expect(first != publication.sessionId && second != publication.sessionId)
    }

    @Test func realCClientsRejectAndWatchPublicationErrorsOnTheSwiftDriver() throws {
        let driver = try Self.launch()
        defer { driver.close() }
        let watcher = try AeronPeerProcess("pub-error-watch", directory: driver.aeronDirectory,
                                           arguments: ["--stream", "22", "--count", "5", "--linger-s", "15", "--timeout-s", "40"])
        _ = try watcher.waitForEvent("publication", timeout: 30)
        let rejecter = try AeronPeerProcess("reject", directory: driver.aeronDirectory,
                                            arguments: ["--stream", "22", "--count", "5", "--reason", "C says no", "--wait-back-s", "15",
                                                        "--timeout-s", "40"])
        let rejectRun = try rejecter.waitForSuccess(timeout: 60)
        let rejected = try #require(rejectRun.last("rejected"))
        #expect(rejectRun.last("image_back")?.int("correlation_id") == rejected.int("correlation_id"))
        let error = try watcher.waitForEvent("publication_error", timeout: 30)
        #expect(error.int("error_code") == 13 && error.string("error_message") == "C says no")
        #expect(error.int("registration_id") == rejected.int("correlation_id"))
        #expect(error.string("source_address") == "0100007f000000000000000000000000")
        _ = try watcher.waitForEvent("reconnected", timeout: 30)
        _ = try watcher.waitForSuccess(timeout: 30)
        #expect(driver.countersReader.value(SystemCounters.imagesRejected) == 1)

        let ids = try AeronPeerProcess.run("next-session-id", directory: driver.aeronDirectory, arguments: ["--stream", "22", "--count", "2"], timeout: 30)
        #expect(ids.exit.succeeded, "\(ids.stderr)")
        let values = ids.all("next_session_id").compactMap { $0.int("session_id") }
        #expect(values.count == 2 && (values[1] == values[0] + 1 || values[1] == 1001))
    }

    @Test func swiftPublicationRevokeOnTheSwiftDriverIsSeenByARealCSubscriber() throws {
        let driver = try Self.launch()
        defer { driver.close() }
        let aeron = try Aeron.connect(Self.context(driver))
        defer { aeron.close() }
        let sub = try AeronPeerProcess("sub", directory: driver.aeronDirectory,
                                       arguments: ["--stream", "24", "--count", "10", "--sizes", "64", "--wait-image-gone", "15", "--timeout-s", "30"])
        _ = try sub.waitForEvent("ready", timeout: 30)
        let publication = try aeron.addPublication(channel: "aeron:ipc", streamId: 24)
        #expect(awaitCondition { publication.isConnected })
        for i in 0..<10 {
            let message = MessagePattern.bytes(index: UInt64(i), size: 64)
            #expect(message.withUnsafeBytes { b in awaitCondition { publication.offer(b).position != nil } })
        }
        _ = try sub.waitForEvent("done", timeout: 30)
        try publication.revoke()
        // The C subscriber's image goes (revoked: end of stream at once, no drain wait).
        let run = try sub.waitForSuccess(timeout: 30)
        #expect(run.last("image_gone") != nil)
        #expect(driver.countersReader.value(SystemCounters.publicationsRevoked) == 1)
    }

    @Test func realCExclusivePublicationRevokeOnTheSwiftDriver() throws {
        let driver = try Self.launch()
        defer { driver.close() }
        let unavailable = Mutex<Int>(0)
        let available = Mutex<Image?>(nil)
        let aeron = try Aeron.connect(Self.context(driver))
        defer { aeron.close() }
        _ = try aeron.addSubscription(channel: "aeron:ipc", streamId: 23,
                                      availableImageHandler: { image in available.withLock { $0 = image } },
                                      unavailableImageHandler: { _ in unavailable.withLock { $0 += 1 } })
        let peer = try AeronPeerProcess("pub", directory: driver.aeronDirectory,
                                        arguments: ["--stream", "23", "--count", "20", "--sizes", "64", "--exclusive", "--revoke", "--linger-s", "2"])
        let revoked = try peer.waitForEvent("revoked", timeout: 30)
        let image = try #require(available.withLock { $0 })
        #expect(awaitCondition { unavailable.withLock { $0 } == 1 })
        #expect(image.isPublicationRevoked)
        #expect(image.endOfStreamPosition == revoked.int("position"))
        _ = try peer.waitForSuccess(timeout: 30)
        #expect(driver.countersReader.value(SystemCounters.publicationsRevoked) == 1)
    }
}
