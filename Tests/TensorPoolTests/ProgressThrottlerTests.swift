import Testing
import TensorPoolCore
@testable import TensorPool

@Suite struct ProgressThrottlerTests {
    let policy = ProgressPolicy(intervalNs: 1_000, bytesDelta: 100, rowsDelta: 0)

    @Test func startedProgressComplete() {
        var t = ProgressThrottler(policy: policy)
        let started = t.start(frameId: 7, headerIndex: 3, nowNs: 0, enabled: true)
        #expect(started == ProgressEmission(frameId: 7, headerIndex: 3, payloadBytesFilled: 0, rowsFilled: nil, state: .started))
        let early = t.update(payloadBytesFilled: 500, nowNs: 500)       // interval not elapsed
        #expect(early == nil)
        let due = t.poll(nowNs: 1_000)                                    // latest state sent when interval elapses
        #expect(due?.state == .progress)
        #expect(due?.payloadBytesFilled == 500)
        let small = t.update(payloadBytesFilled: 550, nowNs: 2_500)      // delta 50 < 100
        #expect(small == nil)
        let enough = t.update(payloadBytesFilled: 600, nowNs: 2_600)
        #expect(enough?.payloadBytesFilled == 600)
        let done = t.complete(payloadBytesFilled: 1_000, nowNs: 2_700)  // always, even within interval
        #expect(done?.state == .complete)
        #expect(done?.payloadBytesFilled == 1_000)
        #expect(!t.isActive)
        #expect(t.counters.started == 1)
        #expect(t.counters.progress == 2)
        #expect(t.counters.completed == 1)
        #expect(t.counters.suppressed == 2)
    }

    /// A frame with a row layout starts with `rows_filled = 0`; updates without rows stay byte updates, updates with
    /// rows carry them, and a frame without a row layout starts without rows.
    @Test func startedCarriesZeroRowsOnlyForRowLayouts() {
        var t = ProgressThrottler(policy: policy)
        let started = t.start(frameId: 7, headerIndex: 3, nowNs: 0, enabled: true, startRows: true)
        #expect(started == ProgressEmission(frameId: 7, headerIndex: 3, payloadBytesFilled: 0, rowsFilled: 0, state: .started))
        #expect(t.update(payloadBytesFilled: 500, nowNs: 1_000)?.rowsFilled == nil)
        #expect(t.update(payloadBytesFilled: 1_000, rowsFilled: 4, nowNs: 2_000)?.rowsFilled == 4)
        #expect(t.start(frameId: 8, headerIndex: 4, nowNs: 3_000, enabled: true)?.rowsFilled == nil)
        #expect(t.start(frameId: 9, headerIndex: 5, nowNs: 4_000, enabled: false, startRows: true) == nil)

        // Which staged headers start with rows: row-major, 2+ dims, rows readable (padded or not).
        func header(_ layout: TensorLayout) -> TensorSlotHeader { layout.header(valuesLength: 8192, timestampNs: 0, metaVersion: 0) }
        #expect(header(TensorLayout(dtype: .uint16, shape: [32, 100], strides: [256, 0])).startedRows)
        #expect(header(TensorLayout(dtype: .uint8, shape: [64, 64])).startedRows)
        #expect(!header(TensorLayout(dtype: .uint8, shape: [4096])).startedRows)
        #expect(!header(TensorLayout(dtype: .uint8, shape: [64, 64], majorOrder: .column)).startedRows)
        #expect(!header(TensorLayout(dtype: .uint8, shape: [64, 64], strides: [64, 2])).startedRows)
    }

    @Test func atMostOnePerIntervalUnderFlood() {
        var t = ProgressThrottler(policy: policy)
        _ = t.start(frameId: 1, headerIndex: 1, nowNs: 0, enabled: true)
        var emitted: [UInt64] = []
        for i: UInt64 in 1...10_000 {
            if let e = t.update(payloadBytesFilled: i * 10, nowNs: i * 10) { emitted.append(e.payloadBytesFilled) }
        }
        // 100_000 ns of updates at 1_000 ns interval → 100 PROGRESS messages.
        #expect(emitted.count == 100)
        #expect(emitted == emitted.sorted())
    }

    @Test func regressionIgnoredAndCompleteStaysMonotone() {
        var t = ProgressThrottler(policy: policy)
        _ = t.start(frameId: 1, headerIndex: 1, nowNs: 0, enabled: true)
        let p = t.update(payloadBytesFilled: 800, nowNs: 1_000)
        #expect(p?.payloadBytesFilled == 800)
        let back = t.update(payloadBytesFilled: 200, nowNs: 5_000)
        #expect(back == nil)
        #expect(t.counters.regressions == 1)
        let c = t.complete(payloadBytesFilled: 700, nowNs: 6_000)
        #expect(c?.payloadBytesFilled == 800)
        #expect(t.counters.regressions == 2)
    }

    @Test func rowsDeltaTriggersProgress() {
        var t = ProgressThrottler(policy: ProgressPolicy(intervalNs: 1_000, bytesDelta: 1 << 30, rowsDelta: 4))
        _ = t.start(frameId: 1, headerIndex: 1, nowNs: 0, enabled: true)
        let three = t.update(payloadBytesFilled: 300, rowsFilled: 3, nowNs: 2_000)
        #expect(three == nil)
        let four = t.update(payloadBytesFilled: 400, rowsFilled: 4, nowNs: 2_100)
        #expect(four?.rowsFilled == 4)
        #expect(four?.state == .progress)
        let rowsBack = t.update(payloadBytesFilled: 500, rowsFilled: 2, nowNs: 5_000)
        #expect(rowsBack == nil)
        #expect(t.counters.regressions == 1)
    }

    @Test func disabledEmitsNothing() {
        var t = ProgressThrottler(policy: policy)
        let s = t.start(frameId: 1, headerIndex: 1, nowNs: 0, enabled: false)
        let u = t.update(payloadBytesFilled: 10_000, nowNs: 10_000)
        let p = t.poll(nowNs: 20_000)
        let c = t.complete(payloadBytesFilled: 10_000, nowNs: 30_000)
        #expect(s == nil && u == nil && p == nil && c == nil)
        #expect(!t.isActive)
    }

    @Test func updatesWithoutStartAreIgnored() {
        var t = ProgressThrottler(policy: policy)
        let u = t.update(payloadBytesFilled: 10, nowNs: 10)
        let c = t.complete(payloadBytesFilled: 10, nowNs: 10)
        #expect(u == nil && c == nil)
    }

    @Test func restartBeforeCompleteCountsAbandoned() {
        var t = ProgressThrottler(policy: policy)
        _ = t.start(frameId: 1, headerIndex: 1, nowNs: 0, enabled: true)
        _ = t.update(payloadBytesFilled: 900, nowNs: 100)
        let s = t.start(frameId: 2, headerIndex: 2, nowNs: 200, enabled: true)
        #expect(s?.frameId == 2)
        #expect(s?.payloadBytesFilled == 0)
        #expect(t.counters.abandoned == 1)
    }
}

@Suite struct ProgressRateBudgetTests {
    @Test func tokenBucketRefillsAtRateUpToBurst() {
        var b = ProgressRateBudget(maxRateHz: 1_000, burst: 2)   // 1 token per ms
        var got: [Bool] = []
        for now: UInt64 in [0, 0, 0, 999_999, 1_000_000, 1_000_000, 1_000_000_000, 1_000_000_000, 1_000_000_000] {
            got.append(b.tryConsume(nowNs: now))
        }
        // Burst of 2, refill 1/ms; a long pause refills to the burst only.
        #expect(got == [true, true, false, false, true, false, true, true, false])
        var unlimited = ProgressRateBudget(maxRateHz: 0)
        var all = true
        for _ in 0..<1000 { all = all && unlimited.tryConsume(nowNs: 0) }
        #expect(all)
    }

    @Test func budgetCapsProgressAcrossFramesButNotCompleteAndDefersLatest() {
        let policy = ProgressPolicy(intervalNs: 1_000, bytesDelta: 1, rowsDelta: 0)
        var budget = ProgressRateBudget(maxRateHz: 1_000, burst: 1)
        var frames = [ProgressThrottler(policy: policy), ProgressThrottler(policy: policy)]
        _ = frames[0].start(frameId: 1, headerIndex: 1, nowNs: 0, enabled: true)
        _ = frames[1].start(frameId: 2, headerIndex: 2, nowNs: 0, enabled: true)
        let a = frames[0].update(payloadBytesFilled: 10, nowNs: 10_000, budget: &budget)
        let b = frames[1].update(payloadBytesFilled: 10, nowNs: 10_000, budget: &budget)
        #expect(a?.state == .progress)
        #expect(b == nil)                                          // budget exhausted
        #expect(frames[1].counters.budgetDeferred == 1)
        let later = frames[1].poll(nowNs: 1_010_000, budget: &budget)
        #expect(later?.payloadBytesFilled == 10)                  // latest state sent once budget allows
        let done = frames[0].complete(payloadBytesFilled: 20, nowNs: 1_010_001)
        #expect(done?.state == .complete)                         // COMPLETE is never charged
    }
}
