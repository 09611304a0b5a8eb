/// Runs an ``Agent`` from the application's own loop instead of a dedicated thread (Agrona's `AgentInvoker`, Aeron's
/// "invoker mode"): each ``invoke()`` is one duty cycle. Not thread-safe: use it from one thread.
///
/// Errors thrown by `doWork` are counted and passed to the error handler and `invoke()` returns 0;
/// ``AgentTermination`` closes the agent.
public final class AgentInvoker<A: Agent> {
    /// Receives errors thrown by the agent.
    public typealias ErrorHandler = (any Error) -> Void

    /// The agent (the invoker's caller is its only thread).
    public private(set) var agent: A
    private let errorHandler: ErrorHandler?

    /// Whether ``start()`` has run.
    public private(set) var isStarted = false
    /// Whether the agent has been closed (by ``close()``, a failed start or ``AgentTermination``).
    public private(set) var isClosed = false
    /// Errors thrown by the agent so far (`AgentTermination` excluded).
    public private(set) var errorCount = 0

    /// Wraps `agent`, not yet started; `errorHandler` receives errors its `doWork()` throws (none when nil: they are only counted).
    public init(agent: A, errorHandler: ErrorHandler? = nil) {
        self.agent = agent
        self.errorHandler = errorHandler
    }

    /// Calls `onStart` once; if it throws, the error is reported and the agent is closed.
    public func start() {
        guard !isStarted, !isClosed else { return }
        isStarted = true
        do {
            try agent.onStart()
        } catch {
            report(error)
            close()
        }
    }

    /// One duty cycle: the agent's `doWork()` result, or 0 when not started, closed, or on error.
    @discardableResult
    public func invoke() -> Int {
        guard isStarted, !isClosed else { return 0 }
        do {
            return try agent.doWork()
        } catch is AgentTermination {
            close()
        } catch {
            report(error)
        }
        return 0
    }

    /// Calls `onClose` once (if started). Idempotent.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        if isStarted {
            agent.onClose()
        }
    }

    private func report(_ error: any Error) {
        errorCount += 1
        errorHandler?(error)
    }
}
