/// Decides when a periodic duty (announce, QoS, heartbeat, hello, liveness sweep) is due, driven by
/// the duty cycle's `nowNs`. Allocation-free.
///
/// The first call to ``isDue(nowNs:)`` is due immediately (announce on startup). After a firing the
/// next deadline is `previous deadline + interval`, so the cadence does not drift with late duty
/// cycles; after a stall longer than one interval it fires once and re-anchors on `nowNs` instead of
/// bursting to catch up.
public struct CadenceTimer: Sendable, Hashable {
    /// Interval in nanoseconds (0 = due on every check).
    public var intervalNs: UInt64
    /// Next deadline, or `nil` before the first firing.
    public private(set) var deadlineNs: UInt64?

    public init(intervalNs: UInt64) {
        self.intervalNs = intervalNs
    }

    /// Returns `true` (and schedules the next deadline) when the duty is due at `nowNs`.
    @inlinable
    public mutating func isDue(nowNs: UInt64) -> Bool {
        fire(nowNs: nowNs)
    }

    /// Makes the duty due at the next check (e.g. announce on change).
    public mutating func expedite() { deadlineNs = nil }

    @usableFromInline
    mutating func fire(nowNs: UInt64) -> Bool {
        guard let deadline = deadlineNs else {
            deadlineNs = nowNs &+ intervalNs
            return true
        }
        guard nowNs >= deadline else { return false }
        let next = deadline &+ intervalNs
        deadlineNs = next > nowNs ? next : nowNs &+ intervalNs
        return true
    }
}
