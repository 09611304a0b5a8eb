#if canImport(Glibc)
    import Glibc
#endif

/// Sleeps a fixed period (`nanosleep`) when idle: cheap on CPU, adds up to the period (plus timer slack) of latency.
public struct SleepingIdleStrategy: IdleStrategy {
    /// Sleep per idle call, in nanoseconds.
    public let sleepPeriodNs: Int

    /// - Parameter sleepPeriodNs: sleep per idle call (default 1 ms); clamped to at least 1 ns.
    public init(sleepPeriodNs: Int = 1_000_000) {
        self.sleepPeriodNs = max(1, sleepPeriodNs)
    }

    /// Sleeps `sleepPeriodNs` (plus timer slack).
    @inlinable public mutating func idle() { ThreadPark.sleep(nanoseconds: sleepPeriodNs) }
    /// Nothing to reset: every idle sleeps the same period.
    @inlinable public mutating func reset() {}
    /// `sleep-ns`, Aeron's name for this strategy.
    public var alias: String { "sleep-ns" }
}
