import CSystemShims

/// The Linux timer slack of the calling thread: how much later than asked the kernel may end its timed sleeps
/// (50 µs by default, so that wake-ups batch). An agent parking for a few microseconds between polls (a
/// ``BackoffIdleStrategy`` with a short maximum park) sleeps at least the slack, which then dominates its latency.
/// Threads started afterwards by this thread inherit its slack, so set it before starting an ``AgentRunner``.
public enum TimerSlack {
    /// Sets the calling thread's timer slack. Returns 0, or the `errno` (`ENOTSUP` off Linux).
    @discardableResult
    public static func setForCurrentThread(nanoseconds: UInt64) -> Int32 {
        shims_set_current_thread_timer_slack(nanoseconds)
    }

    /// The calling thread's timer slack in nanoseconds; nil when it cannot be read (off Linux).
    public static var currentThreadNanoseconds: UInt64? {
        let value = shims_current_thread_timer_slack()
        return value >= 0 ? UInt64(value) : nil
    }
}
