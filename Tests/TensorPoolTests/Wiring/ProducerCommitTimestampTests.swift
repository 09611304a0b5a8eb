#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Synchronization
import Testing
import AeronClient
import MallocCounter
import TensorPoolCore
@testable import TensorPool

/// `FrameTimestamp.atCommit`: the producer stamps the slot header (and descriptor) with its own clock after the
/// payload is in the slot, right before the commit. Ordering checks against the monotonic clock, no timing bounds.
@Suite struct ProducerCommitTimestampTests {
    static let bytes = 1 << 16
    static let layout = TensorLayout(dtype: .uint8, shape: [bytes])

    static func committedHeader(_ producer: TensorPoolProducer, seq: UInt64) throws -> TensorSlotHeader {
        let ring = producer.regions.headerRing
        guard case .committed(let header) = SlotSnapshot.read(ring, slot: Int(seq) & ring.mask) else {
            throw SnapshotError(description: "slot of frame \(seq) is not committed")
        }
        try #require(header.frameId == seq)
        return header
    }

    struct SnapshotError: Error, CustomStringConvertible { let description: String }

    @Test func explicitTimestampIsWrittenUnchanged() throws {
        let env = try WiringTestEnvironment("stamp-explicit")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(), aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        let payload = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.bytes, alignment: 64)
        defer { payload.deallocate() }
        payload.initializeMemory(as: UInt8.self, repeating: 7)
        let now = TensorPoolClock.monotonicNs()
        let result = producer.publish(UnsafeRawBufferPointer(payload), layout: Self.layout, timestamp: .ns(12_345), nowNs: now)
        let seq = try #require(result.seq)
        #expect(try Self.committedHeader(producer, seq: seq).timestampNs == 12_345)
        // The UInt64 overload is the same as `.ns`.
        let second = producer.publish(UnsafeRawBufferPointer(payload), layout: Self.layout, timestampNs: 67_890, nowNs: now)
        #expect(try Self.committedHeader(producer, seq: try #require(second.seq)).timestampNs == 67_890)
    }

    @Test func publishAtCommitStampsBetweenCallAndReturn() throws {
        let env = try WiringTestEnvironment("stamp-publish")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(), aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        let payload = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.bytes, alignment: 64)
        defer { payload.deallocate() }
        payload.initializeMemory(as: UInt8.self, repeating: 3)
        for _ in 0..<8 {
            let before = TensorPoolClock.monotonicNs()
            // `nowNs` deliberately stale: the stamp must come from the clock at commit, not from `nowNs`.
            let result = producer.publish(UnsafeRawBufferPointer(payload), layout: Self.layout, timestamp: .atCommit, nowNs: 1)
            let after = TensorPoolClock.monotonicNs()
            let stamp = try Self.committedHeader(producer, seq: try #require(result.seq)).timestampNs
            #expect(stamp >= before && stamp <= after, "stamp \(stamp) outside [\(before), \(after)]")
        }
    }

    @Test func commitAtCommitStampsAfterTheFill() throws {
        let env = try WiringTestEnvironment("stamp-commit")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(), aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        for round in 0..<8 {
            let claim = try #require(producer.claim(byteCount: Self.bytes, nowNs: 1))
            claim.payload.initializeMemory(as: UInt8.self, repeating: UInt8(round))
            let filled = TensorPoolClock.monotonicNs()
            let result = producer.commit(claim, layout: Self.layout, valuesLength: Self.bytes, timestamp: .atCommit, nowNs: 1)
            let after = TensorPoolClock.monotonicNs()
            let stamp = try Self.committedHeader(producer, seq: try #require(result.seq)).timestampNs
            #expect(stamp >= filled && stamp <= after, "stamp \(stamp) outside [\(filled), \(after)]")
        }
    }

    /// The copy path's stamp is taken after the copy: the last page of the source is unreadable, so the copy
    /// faults there; the fault handler records the clock and makes the page readable. The header's stamp must be
    /// at or after that instant (a stamp taken before the copy would be earlier). Deterministic: no timing bound.
    @Test func publishAtCommitStampsAfterTheCopyReachedTheLastPage() throws {
        let env = try WiringTestEnvironment("stamp-after-copy")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(), aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let length = Self.bytes
        let mapped = try #require(mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        try #require(mapped != MAP_FAILED)
        defer { munmap(mapped, length) }
        memset(mapped, 0x5A, length)
        let lastPage = mapped + (length - page)

        try LastPageFault.withGuard(page: lastPage, pageBytes: page) {
            let before = TensorPoolClock.monotonicNs()
            let result = producer.publish(UnsafeRawBufferPointer(start: mapped, count: length), layout: Self.layout,
                                          timestamp: .atCommit, nowNs: before)
            let faultedAt = LastPageFault.faultNs.load(ordering: .acquiring)
            try #require(faultedAt != 0, "the copy never touched the guarded last page")
            let stamp = try Self.committedHeader(producer, seq: try #require(result.seq)).timestampNs
            #expect(faultedAt >= before)
            #expect(stamp >= faultedAt, "stamp \(stamp) taken before the copy reached the last page (\(faultedAt))")
            // The copy is complete: the slot holds the source's bytes, the guarded page included.
            let pool = producer.regions.pools[0]
            let slot = pool.buffer.base + pool.slotOffset(Int(result.seq! & UInt64(pool.nslots - 1)))
            #expect(memcmp(slot, mapped, length) == 0)
        }
    }

    @Test func atCommitPathsAllocateNothing() throws {
        let env = try WiringTestEnvironment("stamp-alloc")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(nslots: 1024), aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        // A subscriber on the descriptor stream, so the descriptor offers succeed (the whole publish path runs).
        let descriptors = try env.aeron.addSubscription(channel: "aeron:ipc", streamId: AeronEndpointConfiguration(aeronDir: env.aeronDir).descriptorStreamId)
        defer { try? descriptors.close() }
        try #require(env.pump(until: { producer.controlPlane.isConnected(.descriptor) }) { _ in })
        let payload = UnsafeMutableRawBufferPointer.allocate(byteCount: 256, alignment: 64)
        defer { payload.deallocate() }
        payload.initializeMemory(as: UInt8.self, repeating: 1)
        let layout = TensorLayout(dtype: .uint8, shape: [256])
        func run(_ n: Int) -> Int {
            var published = 0
            for _ in 0..<n {
                if case .published = producer.publish(UnsafeRawBufferPointer(payload), layout: layout, timestamp: .atCommit, nowNs: 1) {
                    published += 1
                }
                if let claim = producer.claim(byteCount: 256, nowNs: 1),
                   case .published = producer.commit(claim, layout: layout, valuesLength: 256, timestamp: .atCommit, nowNs: 1) {
                    published += 1
                }
            }
            return published
        }
        #expect(run(16) == 32)
        let before = malloc_counter_thread_allocations()
        let published = run(200)
        #expect(malloc_counter_thread_allocations() - before == 0)
        #expect(published == 400)
    }
}

/// A one-shot SIGSEGV guard over one page: the first read of the page records `CLOCK_MONOTONIC` and makes it
/// readable again; a fault anywhere else restores the previous handler so a real crash stays a crash.
enum LastPageFault {
    static let faultNs = Atomic<UInt64>(0)
    static let pageAddress = Atomic<UInt>(0)
    static let pageLength = Atomic<Int>(0)

    static func withGuard(page: UnsafeMutableRawPointer, pageBytes: Int, _ body: () throws -> Void) throws {
        faultNs.store(0, ordering: .releasing)
        pageAddress.store(UInt(bitPattern: page), ordering: .releasing)
        pageLength.store(pageBytes, ordering: .releasing)
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = { _, info, _ in
            let address = UInt(bitPattern: info?.pointee._sifields._sigfault.si_addr)
            let start = LastPageFault.pageAddress.load(ordering: .acquiring)
            let length = LastPageFault.pageLength.load(ordering: .acquiring)
            if start != 0, address >= start, address < start + UInt(length),
               let page = UnsafeMutableRawPointer(bitPattern: start) {
                var ts = timespec()
                clock_gettime(CLOCK_MONOTONIC, &ts)
                LastPageFault.faultNs.store(UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec), ordering: .releasing)
                mprotect(page, length, PROT_READ | PROT_WRITE)
            } else {
                signal(SIGSEGV, SIG_DFL)
            }
        }
        action.sa_flags = SA_SIGINFO
        sigemptyset(&action.sa_mask)
        var previous = sigaction()
        guard sigaction(SIGSEGV, &action, &previous) == 0 else { throw GuardError() }
        defer {
            sigaction(SIGSEGV, &previous, nil)
            pageAddress.store(0, ordering: .releasing)
        }
        guard mprotect(page, pageBytes, PROT_NONE) == 0 else { throw GuardError() }
        try body()
        mprotect(page, pageBytes, PROT_READ | PROT_WRITE)
    }

    struct GuardError: Error {}
}
