import Testing
import MallocCounter
@testable import TensorPool

/// Proves the per-descriptor consumer path and the progress throttler allocate nothing after warm-up.
@Suite struct HotPathAllocationTests {
    /// Offers `count` descriptors in every mode, validates and records each read.
    static func runAdmission(_ admission: inout FrameAdmission,
                             from start: UInt64, count: UInt64) -> UInt64 {
        var delivered: UInt64 = 0
        // Int range: a debug-build loop over a Range<UInt64> allocates per iteration in the test itself.
        for i in 0..<Int(count) {
            let seq = start + UInt64(i)
            // Every 7th sequence number missing: exercises gap accounting.
            if seq % 7 == 3 { continue }
            let d = FrameDescriptorValue(epoch: 3, seq: seq, headerIndex: UInt32(seq & 63), timestampNs: seq)
            let now = seq &* 1_000
            switch admission.offer(d, nowNs: now) {
            case .read:
                let outcome: SlotReadOutcome = seq % 11 == 0 ? .dropped(.torn) : seq % 13 == 0 ? .dropped(.frameIdMismatch) : .accepted
                admission.recordRead(seq: seq, outcome: outcome, nowNs: now)
                if outcome == .accepted { delivered &+= 1 }
            case .held, .drop, .remapRequired:
                break
            }
            if seq % 4 == 0, let latest = admission.takeLatest(nowNs: now) {
                admission.recordRead(seq: latest.seq, outcome: .accepted, nowNs: now)
            }
        }
        return delivered
    }

    @Test(arguments: [
        ConsumerModeSettings(mode: .stream),
        ConsumerModeSettings(mode: .latest),
        ConsumerModeSettings(mode: .decimated, decimation: 3),
        ConsumerModeSettings(mode: .stream, maxRateHz: 500, maxOutstandingSeqGap: 4),
    ])
    func admissionPathAllocatesNothing(settings: ConsumerModeSettings) {
        var admission = FrameAdmission(settings: settings)
        admission.mapped(epoch: 3, headerNslots: 64)
        _ = Self.runAdmission(&admission, from: 0, count: 1_000)   // warm-up
        let before = malloc_counter_thread_allocations()
        let delivered = Self.runAdmission(&admission, from: 1_000, count: 100_000)
        let allocations = malloc_counter_thread_allocations() - before
        #expect(allocations == 0)
        #expect(delivered > 0 || settings.mode == .latest)
        #expect(admission.counters.dropsGap > 0)
    }

    static func runThrottler(_ t: inout ProgressThrottler, frames: UInt64) -> UInt64 {
        var emitted: UInt64 = 0
        var now: UInt64 = 0
        var budget = ProgressRateBudget(maxRateHz: 2_000, burst: 2)
        for f in 0..<Int(frames) {
            let frame = UInt64(f)
            if t.start(frameId: frame, headerIndex: UInt32(frame & 15), nowNs: now, enabled: true) != nil { emitted &+= 1 }
            for s in 1...64 {
                let step = UInt64(s)
                now &+= 37_000
                if t.update(payloadBytesFilled: step * 16_384, rowsFilled: UInt32(step), nowNs: now, budget: &budget) != nil { emitted &+= 1 }
                if t.poll(nowNs: now, budget: &budget) != nil { emitted &+= 1 }
            }
            if t.complete(payloadBytesFilled: 64 * 16_384, rowsFilled: 64, nowNs: now) != nil { emitted &+= 1 }
        }
        return emitted
    }

    @Test func throttlerAllocatesNothing() {
        var t = ProgressThrottler(policy: ProgressPolicy(intervalNs: 250_000, bytesDelta: 65_536, rowsDelta: 8))
        _ = Self.runThrottler(&t, frames: 10)
        let before = malloc_counter_thread_allocations()
        let emitted = Self.runThrottler(&t, frames: 2_000)
        let allocations = malloc_counter_thread_allocations() - before
        #expect(allocations == 0)
        #expect(emitted > 2 * 2_000)
    }

    @Test func producerSlotAndPoolSelectionAllocateNothing() throws {
        var sequence = try #require(SequenceAllocator(headerNslots: 256))
        var selector = PayloadPoolSelector(pools: [.init(poolId: 1, strideBytes: 1 << 20), .init(poolId: 2, strideBytes: 4 << 20)])
        var sum: UInt64 = 0
        func run(_ n: Int) {
            for i in 0..<n {
                let slot = sequence.next()
                sum &+= UInt64(slot.headerIndex)
                if let pool = selector.select(valuesLength: UInt64(i % 6) << 20) { sum &+= UInt64(pool.poolId) }
            }
        }
        run(100)
        let before = malloc_counter_thread_allocations()
        run(100_000)
        let allocations = malloc_counter_thread_allocations() - before
        #expect(allocations == 0)
        #expect(selector.oversizeDrops > 0)
        #expect(sum > 0)
    }
}

extension HotPathAllocationTests {
    static func runCoordinator(_ c: inout ConsumerCoordinator, from start: UInt64, count: Int) -> UInt64 {
        var delivered: UInt64 = 0
        for i in 0..<count {
            let seq = start + UInt64(i)
            let d = FrameDescriptorValue(epoch: 9, seq: seq, headerIndex: UInt32(seq & 15))
            if c.offer(d, nowNs: seq) == .read {
                c.recordRead(d, outcome: .accepted, nowNs: seq)
                delivered &+= 1
            }
        }
        return delivered
    }

    @Test func coordinatorHotPathAllocatesNothing() {
        var c = ConsumerCoordinator(consumerId: 1, mappingParameters: .init(streamId: 1), settings: ConsumerModeSettings())
        let announce = AnnounceSummary(streamId: 1, producerId: 1, epoch: 9, layoutVersion: 1, headerRegionUri: "shm:file?path=/h",
                                       headerNslots: 16, pools: [.init(poolId: 1, nslots: 16, strideBytes: 4096, regionUri: "shm:file?path=/p")])
        _ = c.onAnnounce(announce, nowNs: 0)
        _ = c.mapSucceeded(epoch: 9, nowNs: 0)
        _ = Self.runCoordinator(&c, from: 0, count: 100)
        let before = malloc_counter_thread_allocations()
        let delivered = Self.runCoordinator(&c, from: 100, count: 50_000)
        let allocations = malloc_counter_thread_allocations() - before
        #expect(allocations == 0)
        #expect(delivered == 50_000)
    }
}
