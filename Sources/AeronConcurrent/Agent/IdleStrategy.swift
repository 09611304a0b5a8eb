/// What a duty-cycle loop does when a cycle found no work: spin, yield, sleep or back off.
///
/// Strategies are value types used generically (`AgentRunner<A, I: IdleStrategy>`), so the call in the duty cycle
/// is direct and inlinable. Each instance belongs to one thread.
public protocol IdleStrategy {
    /// Idles if `workCount` is zero, otherwise resets any backoff state.
    mutating func idle(workCount: Int)
    /// Idles once, unconditionally (advancing any backoff state).
    mutating func idle()
    /// Forgets any backoff state: the next idle starts from the beginning.
    mutating func reset()
    /// Short name, e.g. `backoff` (as in Aeron's idle strategy configuration).
    var alias: String { get }
}

extension IdleStrategy {
    /// Resets after a cycle with work (so the next idle starts from the cheapest stage), idles after one without.
    @inlinable
    public mutating func idle(workCount: Int) {
        if workCount > 0 {
            reset()
        } else {
            idle()
        }
    }
}
