/// Why an ``AgentRunner`` could not start or close.
public enum AgentRunnerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `start()` on a runner that was already started or closed.
    case alreadyStarted(role: String)
    /// `pthread_create` failed with this errno.
    case threadCreationFailed(role: String, errno: Int32)
    /// The agent thread could not be pinned to `cpu` (`pthread_setaffinity_np` errno); it ran unpinned.
    case pinningFailed(role: String, cpu: Int32, errno: Int32)
    /// The agent did not leave its duty cycle within the timeout (a `doWork()` that blocks); `close()` may be retried.
    case closeTimedOut(role: String, timeoutNs: Int64)

    /// The runner's role and what failed, with the errno or timeout, for logs.
    public var description: String {
        switch self {
        case .alreadyStarted(let role): return "agent runner '\(role)' was already started"
        case .threadCreationFailed(let role, let errno): return "agent runner '\(role)': pthread_create failed (errno \(errno))"
        case .pinningFailed(let role, let cpu, let errno):
            return "agent runner '\(role)': could not pin to CPU \(cpu) (errno \(errno)); running unpinned"
        case .closeTimedOut(let role, let ns): return "agent '\(role)' did not stop within \(ns / 1_000_000) ms"
        }
    }
}
