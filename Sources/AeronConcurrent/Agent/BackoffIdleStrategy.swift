import CSystemShims

#if canImport(Glibc)
    import Glibc
#endif

/// Backs off in stages while no work is found: spin (with a CPU pause hint) up to `maxSpins` times, then yield up to
/// `maxYields` times, then park (sleep) for `minParkPeriodNs`, doubling each time up to `maxParkPeriodNs`. Any work
/// resets it to the start. The usual compromise between latency and CPU use (Aeron's default `backoff`).
public struct BackoffIdleStrategy: IdleStrategy {
    /// The stage the strategy is in.
    public enum State: Sendable, Equatable {
        /// Work was found on the last cycle: the next idle starts spinning.
        case notIdle
        /// Spinning with a pause hint, up to `maxSpins` times.
        case spinning
        /// Yielding the CPU, up to `maxYields` times.
        case yielding
        /// Sleeping, the period doubling from `minParkPeriodNs` up to `maxParkPeriodNs`.
        case parking
    }

    /// Pause-hint spins before yielding (lowest wake-up latency, a full core while spinning).
    public let maxSpins: Int
    /// `sched_yield` calls before parking.
    public let maxYields: Int
    /// First park (sleep) period, in nanoseconds.
    public let minParkPeriodNs: Int
    /// Longest park period, in nanoseconds: bounds the wake-up latency once fully backed off.
    public let maxParkPeriodNs: Int

    /// Current stage.
    public private(set) var state: State = .notIdle
    /// Spins done in the spinning stage.
    public private(set) var spins: Int = 0
    /// Yields done in the yielding stage.
    public private(set) var yields: Int = 0
    /// The next park period, in nanoseconds (meaningful in the parking stage).
    public private(set) var parkPeriodNs: Int

    /// Defaults as Aeron's: 10 spins, 5 yields, parks from 1 µs doubling up to 1 ms.
    public init(maxSpins: Int = 10, maxYields: Int = 5, minParkPeriodNs: Int = 1_000, maxParkPeriodNs: Int = 1_000_000) {
        self.maxSpins = max(0, maxSpins)
        self.maxYields = max(0, maxYields)
        self.minParkPeriodNs = max(1, minParkPeriodNs)
        self.maxParkPeriodNs = max(self.minParkPeriodNs, maxParkPeriodNs)
        self.parkPeriodNs = self.minParkPeriodNs
    }

    /// Advances one step of the spin → yield → park progression (called when a cycle found no work).
    public mutating func idle() {
        switch state {
        case .notIdle:
            state = .spinning
            spins = 0
            fallthrough
        case .spinning:
            if spins < maxSpins {
                spins += 1
                shims_cpu_pause()
                return
            }
            state = .yielding
            yields = 0
            fallthrough
        case .yielding:
            if yields < maxYields {
                yields += 1
                _ = sched_yield()
                return
            }
            state = .parking
            parkPeriodNs = minParkPeriodNs
            fallthrough
        case .parking:
            ThreadPark.sleep(nanoseconds: parkPeriodNs)
            parkPeriodNs = min(parkPeriodNs &* 2, maxParkPeriodNs)
        }
    }

    /// Back to the start of the progression: called when a cycle found work.
    public mutating func reset() {
        state = .notIdle
        spins = 0
        yields = 0
        parkPeriodNs = minParkPeriodNs
    }

    /// `backoff`, Aeron's name for this strategy.
    public var alias: String { "backoff" }
}
