/// Does nothing when idle: the loop retries immediately. Lowest latency, burns a whole core without even a pause
/// hint; use only on a dedicated core.
public struct NoOpIdleStrategy: IdleStrategy {
    /// A no-op strategy (stateless).
    public init() {}

    /// Returns at once: the loop spins without even a pause hint.
    @inlinable public mutating func idle() {}
    /// Nothing to reset: the strategy keeps no state.
    @inlinable public mutating func reset() {}
    /// `noop`, Aeron's name for this strategy.
    public var alias: String { "noop" }
}
