import Testing
import AeronClient
import AeronConcurrent
import AeronInteropSupport
#if canImport(Glibc)
import Glibc
#endif

/// Swift client against the real C 1.53 media driver (pyaeron wheel).
@Suite(.serialized) struct RealDriverPubSubTests {
    static let sizes = [0, 1, 8, 31, 32, 100, 1376, 1377, 3000, 4096, 10_000, 65_536]

    @Test func connectsAndReadsDriverFacts() throws {
        let driver = try RealAeronMediaDriver()
        let aeron = try Aeron.connect(ClientTestSupport.context(driver.path))
        defer { aeron.close() }
        #expect(aeron.clientId >= 1)
        #expect(aeron.controlProtocolVersion == 65_536)
        var labels: [String] = []
        aeron.countersReader.forEach { _, _, label in labels.append(label) }
        #expect(labels.contains { $0.hasPrefix("Bytes sent") })
    }

    func roundTrip(exclusive: Bool, tryClaim: Bool = false, count: Int, sizes: [Int], invoker: Bool) throws {
        let driver = try RealAeronMediaDriver()
        let aeron = try Aeron.connect(ClientTestSupport.context(driver.path, invoker: invoker))
        defer { aeron.close() }
        let subscription = try aeron.addSubscription(channel: "aeron:ipc", streamId: 1001)
        let offer: (UnsafeRawBufferPointer) -> PublicationResult
        var claim = BufferClaim()
        if exclusive {
            let publication = try aeron.addExclusivePublication(channel: "aeron:ipc", streamId: 1001)
            offer = { bytes in
                guard tryClaim else { return publication.offer(bytes) }
                let r = publication.tryClaim(length: bytes.count, into: &claim)
                if r.position != nil { claim.payload.copyMemory(from: bytes); claim.commit() }
                return r
            }
        } else {
            let publication = try aeron.addPublication(channel: "aeron:ipc", streamId: 1001)
            offer = { bytes in
                guard tryClaim else { return publication.offer(bytes) }
                let r = publication.tryClaim(length: bytes.count, into: &claim)
                if r.position != nil { claim.payload.copyMemory(from: bytes); claim.commit() }
                return r
            }
        }
        #expect(ClientTestSupport.await(aeron) { subscription.imageCount == 1 })
        let assembler = FragmentAssembler()
        var received = 0
        var mismatches = 0
        var sent = 0
        let deadline = AeronClock.nanoTime() + 60_000_000_000
        while received < count && AeronClock.nanoTime() < deadline {
            if sent < count {
                let bytes = MessagePattern.bytes(index: UInt64(sent), size: sizes[sent % sizes.count])
                let result = bytes.withUnsafeBytes { offer($0) }
                if result.position != nil { sent += 1 }
                else if case .closed = result { break }
            }
            _ = subscription.poll(fragmentLimit: 10) { payload, header in
                assembler.onFragment(payload, header) { message, _ in
                    if !MessagePattern.matches(message, index: UInt64(received), expectedSize: sizes[received % sizes.count]) { mismatches += 1 }
                    received += 1
                }
            }
            if invoker { aeron.doWork() }
        }
        #expect(sent == count)
        #expect(received == count)
        #expect(mismatches == 0)
    }

    @Test func concurrentPublicationToSwiftSubscriptionAllSizes() throws {
        try roundTrip(exclusive: false, count: 2_000, sizes: Self.sizes, invoker: false)
    }

    @Test func exclusivePublicationToSwiftSubscriptionInvokerMode() throws {
        try roundTrip(exclusive: true, count: 2_000, sizes: Self.sizes, invoker: true)
    }

    @Test func tryClaimBothKinds() throws {
        try roundTrip(exclusive: true, tryClaim: true, count: 5_000, sizes: [0, 32, 1376], invoker: false)
        try roundTrip(exclusive: false, tryClaim: true, count: 5_000, sizes: [0, 32, 1376], invoker: false)
    }
}
