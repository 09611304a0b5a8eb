import Testing
import MallocCounter
import SharedMemory
import AeronConcurrent
@testable import AeronClient

/// offer, tryClaim/commit and poll allocate nothing in steady state.
@Suite struct HotPathAllocationTests {
    /// A publication and a subscription image over one hand-built log (no driver needed).
    func setUp(_ fake: FakeDriverDirectory, _ aeron: Aeron, exclusive: Bool) throws -> (offer: (UnsafeRawBufferPointer) -> PublicationResult,
                                                                                         claim: (Int, inout BufferClaim) -> PublicationResult,
                                                                                         subscription: Subscription) {
        let logPath = try fake.createLog(name: exclusive ? "excl" : "conc")
        fake.setCounter(0, Int64.max / 2) // publisher limit
        fake.setCounter(1, 0)             // subscriber position
        let pubId = exclusive ? try aeron.asyncAddExclusivePublication(channel: "aeron:ipc", streamId: 1001)
                              : try aeron.asyncAddPublication(channel: "aeron:ipc", streamId: 1001)
        fake.inject(aeron, exclusive ? ControlResponseTypeId.onExclusivePublicationReady : ControlResponseTypeId.onPublicationReady,
                    PublicationBuffersReady(correlationId: pubId, registrationId: pubId, sessionId: 77, streamId: 1001,
                                            publicationLimitCounterId: 0, channelStatusIndicatorId: -1, logFileName: logPath))
        let subId = try aeron.asyncAddSubscription(channel: "aeron:ipc", streamId: 1001)
        fake.inject(aeron, ControlResponseTypeId.onSubscriptionReady, SubscriptionReady(correlationId: subId, channelStatusIndicatorId: -1))
        let subscription = try #require(try aeron.subscription(registrationId: subId))
        fake.inject(aeron, ControlResponseTypeId.onAvailableImage,
                    ImageBuffersReady(correlationId: pubId, sessionId: 77, streamId: 1001, subscriptionRegistrationId: subId,
                                      subscriberPositionId: 1, logFileName: logPath, sourceIdentity: "aeron:ipc"))
        #expect(subscription.imageCount == 1)
        if exclusive {
            let p = try #require(try aeron.exclusivePublication(registrationId: pubId))
            return ({ p.offer($0) }, { p.tryClaim(length: $0, into: &$1) }, subscription)
        }
        let p = try #require(try aeron.publication(registrationId: pubId))
        return ({ p.offer($0) }, { p.tryClaim(length: $0, into: &$1) }, subscription)
    }

    func exercise(exclusive: Bool) throws {
        let fake = try FakeDriverDirectory()
        let aeron = try fake.connect()
        defer { aeron.close() }
        let (offer, claimFn, subscription) = try setUp(fake, aeron, exclusive: exclusive)
        let message = [UInt8](repeating: 0x5A, count: 3000) // fragmented: 3 frames
        var claim = BufferClaim()
        var received = 0
        var bytes = 0
        let assembler = FragmentAssembler()
        let sizes = [32, 100, 3000]
        let log = try LogBuffers(path: fake.path + (exclusive ? "/excl" : "/conc") + ".logbuffer")
        var cleanPosition: Int64 = 0
        func cycle(_ n: Int) {
            for i in 0..<n {
                let size = sizes[i % 3]
                var result = message.withUnsafeBytes { offer(UnsafeRawBufferPointer(rebasing: $0[0..<size])) }
                while result == .adminAction { result = message.withUnsafeBytes { offer(UnsafeRawBufferPointer(rebasing: $0[0..<size])) } }
                var claimed = claimFn(64, &claim)
                while claimed == .adminAction { claimed = claimFn(64, &claim) }
                if claimed.position != nil { claim.payload.storeBytes(of: UInt64(i), as: UInt64.self); claim.commit() }
                while subscription.poll(fragmentLimit: 16, { payload, header in
                    assembler.onFragment(payload, header) { m, _ in received += 1; bytes += m.count }
                }) > 0 {}
                // Stand in for the driver: clean what the subscriber consumed.
                cleanPosition = TermCleaner.clean(log, from: cleanPosition, to: subscription.images[0].position)
            }
        }
        cycle(3_000) // warm up: rotates through all three terms, grows the assembler's buffer
        let before = malloc_counter_thread_allocations()
        cycle(30_000)
        let allocations = malloc_counter_thread_allocations() - before
        #expect(allocations == 0)
        #expect(received == 2 * 33_000)
    }

    @Test func concurrentPublicationOfferClaimAndPollAllocateNothing() throws { try exercise(exclusive: false) }
    @Test func exclusivePublicationOfferClaimAndPollAllocateNothing() throws { try exercise(exclusive: true) }
}
