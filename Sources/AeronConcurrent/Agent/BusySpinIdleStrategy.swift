import CSystemShims

/// Spins with a CPU relax hint (`pause` on x86-64) when idle: low latency while being kinder to a sibling
/// hyper-thread and to the memory bus than a bare retry.
public struct BusySpinIdleStrategy: IdleStrategy {
    public init() {}

    @inlinable public mutating func idle() { shims_cpu_pause() }
    @inlinable public mutating func reset() {}
    public var alias: String { "spin" }
}
