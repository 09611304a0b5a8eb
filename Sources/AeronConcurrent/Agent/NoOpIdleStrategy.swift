/// Does nothing when idle: the loop retries immediately. Lowest latency, burns a whole core without even a pause
/// hint; use only on a dedicated core.
public struct NoOpIdleStrategy: IdleStrategy {
    public init() {}

    @inlinable public mutating func idle() {}
    @inlinable public mutating func reset() {}
    public var alias: String { "noop" }
}
