import Testing
import Synchronization
import AeronClient
import AeronInteropSupport
#if canImport(Glibc)
import Glibc
#endif

/// Images, end of stream, controlled poll, two-buffer offers and positions against the real C 1.53 driver.
@Suite(.serialized) struct RealDriverImageTests {
    @Test func imageHandlersAndEndOfStream() throws {
        let driver = try RealAeronMediaDriver()
        let available = Mutex<[Int32]>([])
        let unavailable = Mutex<[Int32]>([])
        let aeron = try Aeron.connect(ClientTestSupport.context(driver.path))
        defer { aeron.close() }
        let subscription = try aeron.addSubscription(channel: "aeron:ipc", streamId: 21,
                                                     availableImageHandler: { image in available.withLock { $0.append(image.sessionId) } },
                                                     unavailableImageHandler: { image in unavailable.withLock { $0.append(image.sessionId) } })
        let publication = try aeron.addExclusivePublication(channel: "aeron:ipc", streamId: 21)
        #expect(ClientTestSupport.await(aeron) { available.withLock { $0 == [publication.sessionId] } })
        let image = try #require(subscription.image(sessionId: publication.sessionId))
        #expect(image.sourceIdentity == "aeron:ipc")
        #expect(image.joinPosition == 0)
        let bytes = [UInt8](repeating: 1, count: 100)
        for _ in 0..<10 { _ = bytes.withUnsafeBytes { b in ClientTestSupport.await(aeron) { publication.offer(b).position != nil } } }
        let finalPosition = publication.position
        #expect(finalPosition == 10 * 160)
        #expect(!image.isEndOfStream)
        try publication.close()
        var count = 0
        #expect(ClientTestSupport.await(aeron) { count += subscription.poll(fragmentLimit: 10) { _, _ in }; return image.isEndOfStream })
        #expect(count == 10)
        #expect(image.position == finalPosition)
        #expect(image.endOfStreamPosition == finalPosition)
        #expect(ClientTestSupport.await(aeron, timeoutS: 15) { unavailable.withLock { $0 == [publication.sessionId] } })
        #expect(image.isClosed)
        #expect(subscription.imageCount == 0)
    }

    @Test func twoBufferOfferControlledPollAndPositions() throws {
        let driver = try RealAeronMediaDriver()
        let aeron = try Aeron.connect(ClientTestSupport.context(driver.path))
        defer { aeron.close() }
        let subscription = try aeron.addSubscription(channel: "aeron:ipc", streamId: 22)
        let publication = try aeron.addPublication(channel: "aeron:ipc", streamId: 22)
        #expect(ClientTestSupport.await(aeron) { subscription.imageCount == 1 && publication.isConnected })
        let head: [UInt8] = [1, 2, 3, 4]
        let body = [UInt8](repeating: 9, count: 3000) // two-buffer message, fragmented
        for i in 0..<5 {
            var h = head
            h[0] = UInt8(i)
            let r = h.withUnsafeBytes { hb in body.withUnsafeBytes { bb in publication.offer(hb, bb) } }
            #expect(r.position != nil)
        }
        #expect(publication.positionLimit > publication.position)
        let assembler = FragmentAssembler()
        var messages: [[UInt8]] = []
        var aborted = false
        // Abort the first fragment once, then consume; BREAK after each whole message.
        while messages.count < 5 {
            _ = subscription.controlledPoll(fragmentLimit: 10) { payload, header in
                if !aborted { aborted = true; return .abort }
                var complete = false
                assembler.onFragment(payload, header) { m, _ in messages.append(Array(m)); complete = true }
                return complete ? .breakPoll : .continuePoll
            }
        }
        #expect(messages.count == 5)
        #expect(messages.enumerated().allSatisfy { i, m in m.count == 3004 && m[0] == UInt8(i) && m[1...3] == [2, 3, 4] && m[4...].allSatisfy { $0 == 9 } })
        let image = try #require(subscription.images.first)
        #expect(image.position == publication.position)
        #expect(subscription.poll(fragmentLimit: 10) { _, _ in } == 0)
    }

    @Test func cPublisherGoneGivesEndOfStream() throws {
        let driver = try RealAeronMediaDriver()
        let unavailable = Mutex<Int>(0)
        let aeron = try Aeron.connect(ClientTestSupport.context(driver.path))
        defer { aeron.close() }
        let subscription = try aeron.addSubscription(channel: "aeron:ipc", streamId: 1001,
                                                     unavailableImageHandler: { _ in unavailable.withLock { $0 += 1 } })
        let pub = try AeronPeerProcess("pub", directory: driver.path, arguments: ["--count", "100", "--sizes", "64"])
        var received = 0
        #expect(ClientTestSupport.await(aeron, timeoutS: 30) {
            received += subscription.poll(fragmentLimit: 100) { _, _ in }
            return received == 100 && unavailable.withLock { $0 == 1 }
        })
        _ = try pub.waitForExit(timeout: 10)
        #expect(received == 100)
    }
}

@Suite(.serialized) struct ConductorCallbackReentryTests {
    @Test func blockingCallFromAnImageHandlerDoesNotDeadlock() throws {
        let driver = try RealAeronMediaDriver()
        let aeron = try Aeron.connect(ClientTestSupport.context(driver.path))
        defer { aeron.close() }
        let added = Mutex<Subscription?>(nil)
        let failure = Mutex<AeronError?>(nil)
        _ = try aeron.addSubscription(channel: "aeron:ipc", streamId: 41, availableImageHandler: { _ in
            do { let s = try aeron.addSubscription(channel: "aeron:ipc", streamId: 42); added.withLock { $0 = s } }
            catch { failure.withLock { $0 = error as? AeronError } }
        })
        let publication = try aeron.addExclusivePublication(channel: "aeron:ipc", streamId: 41)
        #expect(ClientTestSupport.await(aeron, timeoutS: 10) { added.withLock { $0 != nil } || failure.withLock { $0 != nil } })
        #expect(failure.withLock { $0 } == nil)
        #expect(added.withLock { $0?.streamId } == 42)
        _ = publication
    }
}
