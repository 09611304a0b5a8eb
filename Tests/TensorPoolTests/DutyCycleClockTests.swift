import Foundation
import Testing
import TensorPool

/// `DutyCycleClock`: a fresh reading after work and every `idleReadInterval` idle cycles, the previous one between.
@Suite struct DutyCycleClockTests {
    /// Sleeps long enough that a fresh `CLOCK_MONOTONIC` reading must differ from the previous one.
    func letTimePass() { usleep(200) }

    @Test func idleCyclesReuseTheReadingUntilTheInterval() {
        var clock = DutyCycleClock(idleReadInterval: 4)
        let first = clock.now()
        #expect(clock.lastReadingWasFresh)
        clock.cycleEnded(didWork: false)
        // Idle cycles 1, 2, 3 reuse the first reading however much time passes.
        for _ in 1...3 {
            letTimePass()
            #expect(clock.now() == first)
            #expect(!clock.lastReadingWasFresh)
            clock.cycleEnded(didWork: false)
        }
        letTimePass()
        let refreshed = clock.now()
        #expect(clock.lastReadingWasFresh)
        #expect(refreshed > first)
    }

    @Test func aCycleThatDidWorkGetsAFreshReadingNext() {
        var clock = DutyCycleClock(idleReadInterval: 1_000)
        let first = clock.now()
        clock.cycleEnded(didWork: false)
        letTimePass()
        #expect(clock.now() == first)
        clock.cycleEnded(didWork: true)
        letTimePass()
        #expect(clock.now() > first)
        #expect(clock.lastReadingWasFresh)
    }

    @Test func anIntervalOfOneReadsEveryCycle() {
        var clock = DutyCycleClock(idleReadInterval: 0)  // clamped to 1
        #expect(clock.idleReadInterval == 1)
        var previous = clock.now()
        for _ in 0..<3 {
            clock.cycleEnded(didWork: false)
            letTimePass()
            let now = clock.now()
            #expect(clock.lastReadingWasFresh)
            #expect(now > previous)
            previous = now
        }
    }
}
