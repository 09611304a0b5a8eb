/// The time source of a busy-spinning duty-cycle loop: a fresh ``TensorPoolClock/monotonicNs()`` reading for the
/// cycle after any cycle that did work and for every `idleReadInterval`-th consecutive idle cycle; the previous
/// reading for the idle cycles in between.
///
/// Reading `CLOCK_MONOTONIC` costs about 25 ns here, most of an idle consumer cycle (a poll that finds nothing).
/// A descriptor that arrives waits on average half a cycle before it is polled, so the clock read is latency on
/// every frame of a spinning consumer. Roles use the time for cadences and liveness, which count in
/// milliseconds; a reading that lags by a few idle spins (tens of nanoseconds each) changes none of them.
///
/// What lags with the reading: the `nowNs` a cycle hands to its role. A frame found in a cycle that reused the
/// reading carries that older time (``TensorFrame`` `nowNs`, the consumer's latency statistics), up to the reuse
/// span early; a handler that measures latency reads the clock itself.
///
/// Only for loops that spin. Behind an idle strategy that yields or parks, each idle cycle can last up to the
/// park period, and the lag grows with it: read the clock every cycle there (``TensorPoolAgent/doWork()``).
///
/// ```swift
/// var clock = DutyCycleClock()
/// while running {
///     let work = try consumer.doWork(nowNs: clock.now())
///     clock.cycleEnded(didWork: work > 0)
/// }
/// ```
public struct DutyCycleClock: Sendable {
    /// Consecutive idle cycles that may reuse one reading (the reading is refreshed on the next one).
    public let idleReadInterval: Int
    @usableFromInline var lastNs: UInt64 = 0
    /// Idle cycles since the last fresh reading; `idleReadInterval` forces a fresh one.
    @usableFromInline var idleCycles: Int
    @usableFromInline var fresh = false

    /// A clock whose first ``now()`` reads the real clock. `idleReadInterval` is at least 1 (1 reads every cycle).
    public init(idleReadInterval: Int = 16) {
        self.idleReadInterval = max(1, idleReadInterval)
        idleCycles = self.idleReadInterval
    }

    /// The time for this cycle.
    @inlinable
    public mutating func now() -> UInt64 {
        fresh = idleCycles >= idleReadInterval
        if fresh {
            lastNs = TensorPoolClock.monotonicNs()
            idleCycles = 0
        }
        return lastNs
    }

    /// Whether the reading of the next cycle may be reused: a cycle that did work always gets a fresh one.
    @inlinable
    public mutating func cycleEnded(didWork: Bool) {
        idleCycles = didWork ? idleReadInterval : idleCycles &+ 1
    }

    /// True when the last ``now()`` read the real clock (false when it reused the previous reading).
    @inlinable public var lastReadingWasFresh: Bool { fresh }
}
