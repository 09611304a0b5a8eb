import CSystemShims

/// Spins with a CPU relax hint (`pause` on x86-64) when idle: low latency while being kinder to a sibling
/// hyper-thread and to the memory bus than a bare retry.
public struct BusySpinIdleStrategy: IdleStrategy {
    /// A busy-spin strategy (stateless).
    public init() {}

    /// Executes one CPU pause hint and returns.
    @inlinable public mutating func idle() { shims_cpu_pause() }
    /// Nothing to reset: the strategy keeps no state.
    @inlinable public mutating func reset() {}
    /// `spin`, Aeron's name for this strategy.
    public var alias: String { "spin" }
}
