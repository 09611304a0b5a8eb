import AeronConcurrent
import Foundation
import Testing

@Suite struct AgentIdleStrategyTests {
    @Test func backoffSpinsThenYieldsThenParksWithDoublingPeriods() {
        var idle = BackoffIdleStrategy(maxSpins: 3, maxYields: 2, minParkPeriodNs: 1, maxParkPeriodNs: 8)
        #expect(idle.state == .notIdle)
        var trace: [String] = []
        for _ in 0..<10 {
            idle.idle()
            switch idle.state {
            case .notIdle: trace.append("n")
            case .spinning: trace.append("s\(idle.spins)")
            case .yielding: trace.append("y\(idle.yields)")
            case .parking: trace.append("p\(idle.parkPeriodNs)")
            }
        }
        // After each park the next period doubles, capped at the maximum.
        #expect(trace == ["s1", "s2", "s3", "y1", "y2", "p2", "p4", "p8", "p8", "p8"])
        idle.idle(workCount: 1)
        #expect(idle.state == .notIdle)
        #expect(idle.spins == 0 && idle.yields == 0 && idle.parkPeriodNs == 1)
        idle.idle(workCount: 0)
        #expect(idle.state == .spinning && idle.spins == 1)
    }

    @Test func backoffWithoutSpinsOrYieldsParksAtOnce() {
        var idle = BackoffIdleStrategy(maxSpins: 0, maxYields: 0, minParkPeriodNs: 1, maxParkPeriodNs: 1)
        idle.idle()
        #expect(idle.state == .parking)
    }

    @Test func backoffClampsNonsenseParameters() {
        let idle = BackoffIdleStrategy(maxSpins: -1, maxYields: -5, minParkPeriodNs: 0, maxParkPeriodNs: -3)
        #expect(idle.maxSpins == 0 && idle.maxYields == 0)
        #expect(idle.minParkPeriodNs == 1 && idle.maxParkPeriodNs == 1)
    }

    @Test func sleepingSleepsAtLeastItsPeriod() {
        var idle = SleepingIdleStrategy(sleepPeriodNs: 2_000_000)
        let clock = ContinuousClock()
        let start = clock.now
        idle.idle()
        // nanosleep never returns early (EINTR is resumed), so this lower bound is deterministic.
        #expect(clock.now - start >= .milliseconds(2))
        idle.idle(workCount: 5)  // work: no sleep needed
        #expect(SleepingIdleStrategy(sleepPeriodNs: 0).sleepPeriodNs == 1)
    }

    @Test func aliasesMatchAeronsNames() {
        #expect(NoOpIdleStrategy().alias == "noop")
        #expect(BusySpinIdleStrategy().alias == "spin")
        #expect(YieldingIdleStrategy().alias == "yield")
        #expect(SleepingIdleStrategy().alias == "sleep-ns")
        #expect(BackoffIdleStrategy().alias == "backoff")
        #expect(ShortSpinIdleStrategy().alias == "short-spin")
    }

    @Test func shortSpinKeepsACountOfZeroOrMore() {
        #expect(ShortSpinIdleStrategy().iterations == 16)
        #expect(ShortSpinIdleStrategy(iterations: 3).iterations == 3)
        #expect(ShortSpinIdleStrategy(iterations: -5).iterations == 0)
    }

    @Test func spinningStrategiesReturn() {
        var spin = BusySpinIdleStrategy()
        var yielding = YieldingIdleStrategy()
        var noop = NoOpIdleStrategy()
        var shortSpin = ShortSpinIdleStrategy()
        for _ in 0..<1_000 {
            shortSpin.idle()
            spin.idle()
            yielding.idle()
            noop.idle()
        }
    }
}
