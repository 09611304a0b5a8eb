/// Per-stream cap on PROGRESS messages across all in-flight frames (spec §10.2.2 "cap burstiness
/// with a per-stream max rate or token bucket"). Allocation-free token bucket driven by `nowNs`.
///
/// STARTED and COMPLETE are not charged: they bound each frame's message count already and COMPLETE
/// must always be sent. A PROGRESS refused by the budget is not lost: the throttler keeps the latest
/// state and its next `poll` emits it (see ``ProgressThrottler/update(payloadBytesFilled:rowsFilled:nowNs:budget:)``).
public struct ProgressRateBudget: Sendable, Hashable {
    /// Sustained PROGRESS messages per second; 0 = unlimited.
    public let maxRateHz: UInt32
    /// Largest burst.
    public let burst: UInt32
    private var tokensNano: UInt64
    private var lastRefillNs: UInt64?

    /// A bucket refilled at `maxRateHz` tokens per second (0 disables the cap), holding at most `burst` tokens (at
    /// least 1), and starting full so the first frames are not delayed.
    public init(maxRateHz: UInt32, burst: UInt32 = 4) {
        self.maxRateHz = maxRateHz
        self.burst = max(burst, 1)
        tokensNano = UInt64(max(burst, 1)) * 1_000_000_000
    }

    /// Takes one token if available at `nowNs`.
    public mutating func tryConsume(nowNs: UInt64) -> Bool {
        guard maxRateHz > 0 else { return true }
        let capacity = UInt64(burst) * 1_000_000_000
        if let last = lastRefillNs, nowNs > last {
            // tokens are scaled by 1e9: rate * elapsed_ns adds rate*elapsed/1e9 whole tokens.
            let (added, overflow) = UInt64(maxRateHz).multipliedReportingOverflow(by: nowNs - last)
            tokensNano = overflow ? capacity : min(capacity, tokensNano &+ min(added, capacity))
        }
        if lastRefillNs.map({ nowNs > $0 }) ?? true { lastRefillNs = nowNs }
        guard tokensNano >= 1_000_000_000 else { return false }
        tokensNano -= 1_000_000_000
        return true
    }
}
