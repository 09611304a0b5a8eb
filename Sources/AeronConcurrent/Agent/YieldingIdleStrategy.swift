#if canImport(Glibc)
    import Glibc
#endif

/// Gives the CPU to another runnable thread (`sched_yield`) when idle.
public struct YieldingIdleStrategy: IdleStrategy {
    public init() {}

    @inlinable public mutating func idle() { _ = sched_yield() }
    @inlinable public mutating func reset() {}
    public var alias: String { "yield" }
}
