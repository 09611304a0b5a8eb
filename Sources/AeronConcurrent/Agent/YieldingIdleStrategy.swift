#if canImport(Glibc)
    import Glibc
#endif

/// Gives the CPU to another runnable thread (`sched_yield`) when idle.
public struct YieldingIdleStrategy: IdleStrategy {
    /// A yielding strategy (stateless).
    public init() {}

    /// Calls `sched_yield` once: other runnable threads on this core go first.
    @inlinable public mutating func idle() { _ = sched_yield() }
    /// Nothing to reset: the strategy keeps no state.
    @inlinable public mutating func reset() {}
    /// `yield`, Aeron's name for this strategy.
    public var alias: String { "yield" }
}
