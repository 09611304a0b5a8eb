import Testing
import MallocCounter
@testable import TensorPool

/// ``RoleStatistics`` writers: each counter has its own storage, copies share it, the consumer's drop-reason
/// counters sit after its cases, and the writers allocate nothing.
@Suite struct RoleStatisticsTests {
    /// Sets counter `i` to `base + i` for every case, then reads every case back.
    static func eachCounterIsIndependent<C: RoleStatisticsCounter>(_ statistics: RoleStatistics<C>, base: UInt64) -> Bool {
        for counter in C.allCases { statistics.set(counter, base + UInt64(counter.rawValue)) }
        return C.allCases.allSatisfy { statistics[$0] == base + UInt64($0.rawValue) }
    }

    @Test func setAndAddReachOnlyTheirCounter() {
        #expect(Self.eachCounterIsIndependent(ProducerStatistics(), base: 100))
        #expect(Self.eachCounterIsIndependent(DecimatorStatistics(), base: 200))
        #expect(Self.eachCounterIsIndependent(BridgeSenderStatistics(), base: 300))
        #expect(Self.eachCounterIsIndependent(BridgeReceiverStatistics(), base: 400))
        #expect(Self.eachCounterIsIndependent(FallbackStatistics(), base: 500))
        let statistics = ProducerStatistics()
        statistics.add(.framesPublished)
        statistics.add(.bytesPublished, 4096)
        statistics.add(.bytesPublished, 4096)
        #expect(statistics[.framesPublished] == 1)
        #expect(statistics[.bytesPublished] == 8192)
        #expect(statistics[.descriptorOfferFailures] == 0)
    }

    @Test func copiesShareStorage() {
        let owner = BridgeReceiverStatistics()
        let monitor = owner
        owner.add(.framesReceived, 3)
        #expect(monitor[.framesReceived] == 3)
    }

    @Test func consumerDropReasonsFollowTheCounters() {
        let statistics = ConsumerStatistics()
        #expect(Self.eachCounterIsIndependent(statistics, base: 1_000))
        var frames = ConsumerFrameCounters()
        for reason in DropReason.allCases { frames[reason] = 10_000 + UInt64(reason.rawValue) }
        frames.dropsGap = 7
        frames.resyncs = 9
        statistics.mirror(frames)
        for reason in DropReason.allCases { #expect(statistics[reason] == 10_000 + UInt64(reason.rawValue)) }
        #expect(statistics[.dropsGap] == 7)
        #expect(statistics[.dropsLate] == frames.dropsLate)
        #expect(statistics[.resyncs] == 9)
        // The last case keeps its own value: the first drop reason is stored after it, not on it.
        #expect(statistics[.metadataUpdates] == 1_000 + UInt64(ConsumerStatisticsCounter.metadataUpdates.rawValue))
    }

    @Test func writersAllocateNothing() {
        let producer = ProducerStatistics()
        let consumer = ConsumerStatistics()
        let fallback = FallbackStatistics()
        let frames = ConsumerFrameCounters()
        producer.add(.framesPublished)
        producer.set(.consumers, 1)
        consumer.mirror(frames)
        fallback.add(.chunksReceived)
        let before = malloc_counter_thread_allocations()
        for i in 0..<1_000 {
            producer.add(.framesPublished)
            producer.add(.bytesPublished, UInt64(i))
            producer.set(.consumers, UInt64(i))
            consumer.add(.framesDelivered)
            consumer.mirror(frames)
            fallback.add(.chunksReceived)
        }
        #expect(malloc_counter_thread_allocations() - before == 0)
        #expect(producer[.framesPublished] == 1_001)
    }
}
