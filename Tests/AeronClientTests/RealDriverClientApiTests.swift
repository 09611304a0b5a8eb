import Testing
import Synchronization
import AeronClient
import AeronConcurrent
import AeronInteropSupport
#if canImport(Glibc)
import Glibc
#endif

/// The client APIs of 1.47+ drivers against the REAL Aeron C 1.53 media driver (and real C clients): image
/// rejection and publication errors, next available session id, revoke, bounded poll, the controlled fragment
/// assembler and response channels.
@Suite(.serialized) struct RealDriverClientApiTests {
    /// A real C driver whose IPC reject cool-down (image liveness timeout) is 2 s instead of 10 s.
    static func driver() throws -> RealAeronMediaDriver {
        var options = RealAeronMediaDriver.Options()
        options.imageLivenessTimeoutNs = 2_000_000_000
        return try RealAeronMediaDriver(options: options)
    }

    static func offer(_ publication: ExclusivePublication, _ aeron: Aeron, count: Int, size: Int = 100, firstIndex: Int = 0) {
        for i in firstIndex..<(firstIndex + count) {
            let message = MessagePattern.bytes(index: UInt64(i), size: size)
            #expect(message.withUnsafeBytes { b in ClientTestSupport.await(aeron, timeoutS: 10) { publication.offer(b).position != nil } })
        }
    }

    // MARK: Image rejection and publication errors

    @Test func rejectedImageReachesThePublisherAndComesBackAfterTheCoolDown() throws {
        let driver = try Self.driver()
        let publicationErrors = Mutex<[PublicationError]>([])
        let available = Mutex<Int>(0)
        let unavailable = Mutex<Int>(0)
        var context = ClientTestSupport.context(driver.path)
        context.publicationErrorHandler = { e in publicationErrors.withLock { $0.append(e) } }
        let aeron = try Aeron.connect(context)
        defer { aeron.close() }
        let subscription = try aeron.addSubscription(channel: "aeron:ipc", streamId: 61,
                                                     availableImageHandler: { _ in available.withLock { $0 += 1 } },
                                                     unavailableImageHandler: { _ in unavailable.withLock { $0 += 1 } })
        let publication = try aeron.addExclusivePublication(channel: "aeron:ipc", streamId: 61)
        #expect(ClientTestSupport.await(aeron) { available.withLock { $0 } == 1 && publication.isConnected })
        Self.offer(publication, aeron, count: 5)
        var received = 0
        #expect(ClientTestSupport.await(aeron) { received += subscription.poll(fragmentLimit: 10) { _, _ in }; return received == 5 })
        let image = try #require(subscription.images.first)
        #expect(image.correlationId == publication.registrationId)

        try image.rejectImage(reason: "too slow")

        #expect(ClientTestSupport.await(aeron) { publicationErrors.withLock { $0.count } == 1 })
        let error = try #require(publicationErrors.withLock { $0.first })
        #expect(error.registrationId == publication.registrationId)
        #expect(error.sessionId == publication.sessionId && error.streamId == 61)
        #expect(error.errorCode == .imageRejected && error.errorMessage == "too slow")
        #expect(error.destinationRegistrationId == -1 && error.receiverId == -1 && error.groupTag == -1)
        #expect(error.addressType == PublicationError.addressTypeIPv4 && error.sourcePort == 0)
        // The C driver writes INADDR_LOOPBACK without byte-order conversion (observed bytes 01 00 00 7f).
        #expect(error.sourceAddressBytes == [1, 0, 0, 127] + [UInt8](repeating: 0, count: 12))
        #expect(ClientTestSupport.await(aeron) { unavailable.withLock { $0 } == 1 && !publication.isConnected })
        #expect(image.isClosed)
        #expect(ClientTestSupport.await(aeron) {
            [UInt8](repeating: 1, count: 8).withUnsafeBytes { publication.offer($0) } == .notConnected
        })
        // After the image liveness timeout the driver links the subscription again: a fresh image, same stream.
        #expect(ClientTestSupport.await(aeron, timeoutS: 15) { available.withLock { $0 } == 2 && publication.isConnected })
        let again = try #require(subscription.images.first)
        #expect(again !== image && again.correlationId == publication.registrationId)
        // The new image joins at the driver's consumer position, which may lag what this subscriber had read when it
        // rejected (the C driver updates it once per duty cycle): messages after the join position come again.
        #expect(again.joinPosition <= 5 * 160 && again.joinPosition % 160 == 0)
        Self.offer(publication, aeron, count: 3, firstIndex: 5)
        var indices: [UInt64] = []
        #expect(ClientTestSupport.await(aeron) {
            _ = subscription.poll(fragmentLimit: 10) { p, _ in indices.append(p.loadUnaligned(as: UInt64.self)) }
            return again.position == publication.position
        })
        #expect(indices == Array(UInt64(again.joinPosition / 160)..<8))
    }

    @Test func rejectingAnUnknownImageIsADriverError() throws {
        let driver = try Self.driver()
        let aeron = try Aeron.connect(ClientTestSupport.context(driver.path))
        defer { aeron.close() }
        let subscription = try aeron.addSubscription(channel: "aeron:ipc", streamId: 60)
        #expect {
            try subscription.rejectImage(correlationId: 987_654_321, position: 0, reason: "who?")
        } throws: { error in
            guard case let .driver(code, message, _)? = error as? AeronError else { return false }
            return code == .genericError && message.contains("987654321")
        }
    }

    @Test func realCSubscriberRejectsASwiftPublication() throws {
        let driver = try Self.driver()
        let publicationErrors = Mutex<[PublicationError]>([])
        var context = ClientTestSupport.context(driver.path)
        context.publicationErrorHandler = { e in publicationErrors.withLock { $0.append(e) } }
        let aeron = try Aeron.connect(context)
        defer { aeron.close() }
        let peer = try AeronPeerProcess("reject", directory: driver.path,
                                        arguments: ["--stream", "62", "--count", "3", "--reason", "rejected by C", "--timeout-s", "30"])
        _ = try peer.waitForEvent("ready", timeout: 30)
        let publication = try aeron.addPublication(channel: "aeron:ipc", streamId: 62)
        #expect(ClientTestSupport.await(aeron) { publication.isConnected })
        for i in 0..<3 {
            let message = MessagePattern.bytes(index: UInt64(i), size: 64)
            #expect(message.withUnsafeBytes { b in ClientTestSupport.await(aeron) { publication.offer(b).position != nil } })
        }
        let run = try peer.waitForSuccess(timeout: 60)
        let rejected = try #require(run.last("rejected"))
        #expect(rejected.int("correlation_id") == publication.originalRegistrationId)
        #expect(ClientTestSupport.await(aeron) { publicationErrors.withLock { $0.count } == 1 })
        let error = try #require(publicationErrors.withLock { $0.first })
        #expect(error.registrationId == publication.originalRegistrationId && error.sessionId == publication.sessionId)
        #expect(error.errorCode == .imageRejected && error.errorMessage == "rejected by C")
    }

    @Test func swiftSubscriberRejectsARealCPublication() throws {
        let driver = try Self.driver()
        let aeron = try Aeron.connect(ClientTestSupport.context(driver.path))
        defer { aeron.close() }
        let subscription = try aeron.addSubscription(channel: "aeron:ipc", streamId: 63)
        let peer = try AeronPeerProcess("pub-error-watch", directory: driver.path,
                                        arguments: ["--stream", "63", "--count", "5", "--linger-s", "15", "--timeout-s", "30"])
        var received = 0
        #expect(ClientTestSupport.await(aeron) { received += subscription.poll(fragmentLimit: 10) { _, _ in }; return received == 5 })
        let image = try #require(subscription.images.first)
        try image.rejectImage(reason: "rejected by Swift")
        let error = try peer.waitForEvent("publication_error", timeout: 30)
        #expect(error.int("error_code") == 13)
        #expect(error.string("error_message") == "rejected by Swift")
        #expect(error.int("session_id") == Int64(image.sessionId))
        #expect(error.int("registration_id") == image.correlationId)
        #expect(error.int("address_type") == 1 && error.int("source_port") == 0)
        // The C publisher sees its publication connected again once the driver's cool-down ends.
        _ = try peer.waitForEvent("reconnected", timeout: 30)
        _ = try peer.waitForSuccess(timeout: 30)
    }

    // MARK: Session ids

    @Test func nextAvailableSessionIdComesFromTheDriver() throws {
        let driver = try Self.driver()
        let aeron = try Aeron.connect(ClientTestSupport.context(driver.path))
        defer { aeron.close() }
        #expect(aeron.controlProtocolVersion == 65536)
        /// The driver hands out consecutive ids, skipping its reserved range [-1, 1000].
        func follows(_ next: Int32, _ previous: Int32) -> Bool {
            next == previous &+ 1 || ((-1...1000).contains(previous &+ 1) && next == 1001)
        }
        let first = try aeron.nextAvailableSessionId(streamId: 64)
        let correlationId = try aeron.asyncNextAvailableSessionId(streamId: 64)
        var second: Int32?
        #expect(ClientTestSupport.await(aeron) { second = try? aeron.nextAvailableSessionId(correlationId: correlationId); return second != nil })
        #expect(follows(try #require(second), first))
        // The id is free: an exclusive publication can take it explicitly.
        let chosen = try aeron.nextAvailableSessionId(streamId: 64)
        let publication = try aeron.addExclusivePublication(
            channel: try ChannelUriStringBuilder(media: .ipc).sessionId(chosen).build(), streamId: 64)
        #expect(publication.sessionId == chosen)
        // A real C client asking next gets the following one (the driver's sequence is shared by all clients).
        let run = try AeronPeerProcess.run("next-session-id", directory: driver.path, arguments: ["--stream", "64"], timeout: 30)
        #expect(run.exit.succeeded, "\(run.stderr)")
        let fromC = try #require(run.last("next_session_id")?.int("session_id"))
        #expect(follows(Int32(fromC), chosen))
    }

    // MARK: Revoke

    @Test(arguments: [false, true])
    func revokeEndsTheStreamAtOnce(exclusive: Bool) throws {
        let driver = try Self.driver()
        let unavailable = Mutex<Int>(0)
        let aeron = try Aeron.connect(ClientTestSupport.context(driver.path))
        defer { aeron.close() }
        let subscription = try aeron.addSubscription(channel: "aeron:ipc", streamId: 65,
                                                     unavailableImageHandler: { _ in unavailable.withLock { $0 += 1 } })
        let message = [UInt8](repeating: 3, count: 100)
        /// Ten messages, four of them read, then revoked: the position it was revoked at and the subscriber's image.
        func publishAndRevoke<P: RevocablePublication>(_ publication: P) throws -> (position: Int64, image: Image) {
            #expect(ClientTestSupport.await(aeron) { publication.isConnected })
            for _ in 0..<10 { #expect(message.withUnsafeBytes { b in ClientTestSupport.await(aeron) { publication.offer(b).position != nil } }) }
            let position = publication.position
            #expect(subscription.poll(fragmentLimit: 4) { _, _ in } == 4)
            let image = try #require(subscription.images.first)
            try publication.revoke()
            #expect(publication.isClosed)
            try publication.revoke() // idempotent
            return (position, image)
        }
        let (revokedPosition, image) = try exclusive
            ? publishAndRevoke(aeron.addExclusivePublication(channel: "aeron:ipc", streamId: 65))
            : publishAndRevoke(aeron.addPublication(channel: "aeron:ipc", streamId: 65))
        #expect(ClientTestSupport.await(aeron, timeoutS: 15) { unavailable.withLock { $0 } == 1 })
        #expect(image.isPublicationRevoked)
        #expect(image.endOfStreamPosition == revokedPosition)
        #expect(image.isClosed)
        // Not drained: the six messages the subscriber had not read are gone with the image.
        #expect(image.position == 4 * 160)
        #expect(subscription.poll(fragmentLimit: 10) { _, _ in } == 0)
    }

    @Test func realCPublicationRevokeIsSeenByASwiftSubscriber() throws {
        let driver = try Self.driver()
        let unavailable = Mutex<Int>(0)
        let available = Mutex<Image?>(nil)
        let aeron = try Aeron.connect(ClientTestSupport.context(driver.path))
        defer { aeron.close() }
        _ = try aeron.addSubscription(channel: "aeron:ipc", streamId: 66,
                                      availableImageHandler: { image in available.withLock { $0 = image } },
                                      unavailableImageHandler: { _ in unavailable.withLock { $0 += 1 } })
        let peer = try AeronPeerProcess("pub", directory: driver.path,
                                        arguments: ["--stream", "66", "--count", "20", "--sizes", "64", "--exclusive", "--revoke", "--linger-s", "3"])
        let revoked = try peer.waitForEvent("revoked", timeout: 30)
        let image = try #require(available.withLock { $0 })
        #expect(ClientTestSupport.await(aeron, timeoutS: 15) { unavailable.withLock { $0 } == 1 })
        #expect(image.isPublicationRevoked)
        #expect(image.endOfStreamPosition == revoked.int("position"))
        _ = try peer.waitForSuccess(timeout: 30)
    }

    // MARK: Bounded poll and the controlled fragment assembler

    @Test func boundedPollAgainstTheRealDriver() throws {
        let driver = try Self.driver()
        let aeron = try Aeron.connect(ClientTestSupport.context(driver.path))
        defer { aeron.close() }
        let subscription = try aeron.addSubscription(channel: "aeron:ipc", streamId: 67)
        let publication = try aeron.addExclusivePublication(channel: "aeron:ipc", streamId: 67)
        #expect(ClientTestSupport.await(aeron) { publication.isConnected })
        Self.offer(publication, aeron, count: 10, size: 100)
        let image = try #require(subscription.images.first)
        var indices: [UInt64] = []
        func index(_ p: UnsafeRawBufferPointer) -> UInt64 { p.loadUnaligned(as: UInt64.self) }
        #expect(image.boundedPoll(limitPosition: 3 * 160, fragmentLimit: 10) { p, _ in indices.append(index(p)) } == 3)
        #expect(image.boundedControlledPoll(limitPosition: 6 * 160, fragmentLimit: 10) { p, _ in
            if index(p) == 5 { return .abort }
            indices.append(index(p)); return .continuePoll
        } == 2)
        #expect(image.position == 5 * 160)
        #expect(image.boundedControlledPoll(limitPosition: .max, fragmentLimit: 10) { p, _ in indices.append(index(p)); return .commit } == 5)
        #expect(indices == Array(0..<10))
        #expect(image.position == publication.position)
    }

    @Test func controlledFragmentAssemblerWithAbortOnRealCFragmentedMessages() throws {
        let driver = try Self.driver()
        let aeron = try Aeron.connect(ClientTestSupport.context(driver.path))
        defer { aeron.close() }
        let subscription = try aeron.addSubscription(channel: "aeron:ipc", streamId: 68)
        let sizes = [3000, 100, 5000, 1377]
        let count = 40
        let peer = try AeronPeerProcess("pub", directory: driver.path,
                                        arguments: ["--stream", "68", "--count", "\(count)", "--sizes", sizes.map(String.init).joined(separator: ",")])
        let assembler = ControlledFragmentAssembler()
        var delivered = 0
        var aborted = 0
        var mismatches = 0
        var abortNext = true
        #expect(ClientTestSupport.await(aeron, timeoutS: 30) {
            _ = subscription.controlledPoll(fragmentLimit: 7) { payload, header in
                assembler.onFragment(payload, header) { message, _ in
                    // Every message is aborted once when complete, then consumed on the re-read.
                    if abortNext { abortNext = false; aborted += 1; return .abort }
                    abortNext = true
                    if !MessagePattern.matches(message, index: UInt64(delivered), expectedSize: sizes[delivered % sizes.count]) { mismatches += 1 }
                    delivered += 1
                    return .commit
                }
            }
            return delivered == count
        })
        #expect(delivered == count && aborted == count && mismatches == 0)
        #expect(assembler.droppedFragments == 0)
        _ = try peer.waitForSuccess(timeout: 30)
    }

    // MARK: Response channels

    @Test func ipcResponseChannelPairsARequestWithItsResponse() throws {
        let driver = try Self.driver()
        try withExtendedLifetime(driver) {
            try exchangeOverResponseChannel(directory: driver.path, requestSubscriptionChannel: "aeron:ipc",
                                            responseSubscription: ChannelUriStringBuilder(media: .ipc).controlMode(.response),
                                            requestPublication: ChannelUriStringBuilder(media: .ipc),
                                            responsePublication: ChannelUriStringBuilder(media: .ipc), checkBystander: true)
        }
    }

    @Test func udpResponseChannelOnLocalhostPairsARequestWithItsResponse() throws {
        let driver = try Self.driver()
        let requestPort = Int.random(in: 20_000..<40_000)
        let responsePort = requestPort + Int.random(in: 1..<20_000)
        let request = ChannelUriStringBuilder(media: .udp).endpoint("localhost:\(requestPort)")
        let response = ChannelUriStringBuilder(media: .udp).controlEndpoint("localhost:\(responsePort)").controlMode(.response)
        try withExtendedLifetime(driver) {
            try exchangeOverResponseChannel(directory: driver.path, requestSubscriptionChannel: try request.build(),
                                            responseSubscription: response, requestPublication: request,
                                            responsePublication: response, checkBystander: false)
        }
    }

    /// Client: response subscription, then a request publication naming it. Server: request subscription; for the
    /// request image a response publication naming that image. The response reaches the client's response
    /// subscription and (IPC, `checkBystander`) not a second, unpaired response subscription on the same stream.
    func exchangeOverResponseChannel(directory: String, requestSubscriptionChannel: String,
                                     responseSubscription: ChannelUriStringBuilder, requestPublication: ChannelUriStringBuilder,
                                     responsePublication: ChannelUriStringBuilder, checkBystander: Bool) throws {
        let client = try Aeron.connect(ClientTestSupport.context(directory))
        defer { client.close() }
        let server = try Aeron.connect(ClientTestSupport.context(directory))
        defer { server.close() }
        let requestStream: Int32 = 70, responseStream: Int32 = 71
        let requests = try server.addSubscription(channel: requestSubscriptionChannel, streamId: requestStream)
        let responses = try client.addSubscription(channel: try responseSubscription.build(), streamId: responseStream)
        let bystander = checkBystander ? try client.addSubscription(channel: try responseSubscription.build(), streamId: responseStream) : nil
        let requestChannel = try requestPublication.responseCorrelationId(responses.registrationId).build()
        #expect(requestChannel.contains("response-correlation-id=\(responses.registrationId)"))
        let request = try client.addExclusivePublication(channel: requestChannel, streamId: requestStream)
        #expect(ClientTestSupport.await(server, timeoutS: 20) { requests.imageCount == 1 })
        let requestImage = try #require(requests.images.first)
        let reply = try server.addExclusivePublication(
            channel: try responsePublication.responseCorrelationId(requestImage.correlationId).build(), streamId: responseStream)
        #expect(ClientTestSupport.await(server, timeoutS: 20) { reply.isConnected && responses.imageCount == 1 })
        let question = [UInt8]("ping?".utf8), answer = [UInt8]("pong!".utf8)
        #expect(question.withUnsafeBytes { b in ClientTestSupport.await(client, timeoutS: 20) { request.offer(b).position != nil } })
        var got: [UInt8] = []
        #expect(ClientTestSupport.await(server, timeoutS: 20) { _ = requests.poll(fragmentLimit: 1) { p, _ in got = Array(p) }; return !got.isEmpty })
        #expect(got == question)
        #expect(answer.withUnsafeBytes { b in ClientTestSupport.await(server, timeoutS: 20) { reply.offer(b).position != nil } })
        var back: [UInt8] = []
        #expect(ClientTestSupport.await(client, timeoutS: 20) { _ = responses.poll(fragmentLimit: 1) { p, _ in back = Array(p) }; return !back.isEmpty })
        #expect(back == answer)
        #expect(responses.images.first?.sessionId == reply.sessionId)
        if let bystander { #expect(bystander.imageCount == 0) }
    }
}

/// What the revoke test needs of both publication kinds, so one body drives either.
protocol RevocablePublication {
    var isConnected: Bool { get }
    var isClosed: Bool { get }
    var position: Int64 { get }
    func offer(_ message: UnsafeRawBufferPointer) -> PublicationResult
    func revoke() throws(AeronError)
}

extension Publication: RevocablePublication {}
extension ExclusivePublication: RevocablePublication {}
