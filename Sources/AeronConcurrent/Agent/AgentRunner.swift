import CSystemShims
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Runs an ``Agent`` on a dedicated thread: `onStart`, then `doWork` + `idle(workCount:)` until closed, then
/// `onClose`, all on that thread (Agrona's `AgentRunner`).
///
/// Generic over the agent and idle strategy, so the duty cycle makes direct calls and allocates nothing of its own.
/// Errors thrown by `doWork` are counted, passed to the error handler, followed by one idle, and the cycle goes on;
/// ``AgentTermination`` ends it. Always ``close(timeout:)`` a started runner: its thread keeps it alive until then.
public final class AgentRunner<A: Agent, I: IdleStrategy>: @unchecked Sendable {
    /// Receives errors thrown by the agent, on the agent's thread.
    public typealias ErrorHandler = @Sendable (any Error) -> Void

    private enum Lifecycle {
        case new
        case started
        case closed
    }

    /// The agent's role name, also the thread's name (first 15 bytes).
    public let roleName: String

    // Owned by the agent thread between start() and the end of its run (then by whoever closes).
    private var agent: A
    private var idleStrategy: I
    private let errorHandler: ErrorHandler?
    private let cpu: Int32?

    private let running = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    private let errors = Atomic<Int>(0)
    private let terminatedByAgent = Atomic<Bool>(false)
    private let lifecycle = Mutex<Lifecycle>(.new)
    private var thread = pthread_t()

    /// - Parameters:
    ///   - agent: taken over by the runner; touched only by the runner's thread while it runs.
    ///   - idleStrategy: used after every duty cycle with the work count.
    ///   - errorHandler: called on the agent thread with each error `onStart`/`doWork` throws.
    ///   - cpu: pin the agent thread to this CPU before `onStart`; failing to pin is reported to the error handler
    ///     (``AgentRunnerError/pinningFailed(role:cpu:errno:)``) and the agent runs unpinned.
    public init(agent: A, idleStrategy: I, errorHandler: ErrorHandler? = nil, cpu: Int32? = nil) {
        self.agent = agent
        self.roleName = agent.roleName
        self.idleStrategy = idleStrategy
        self.errorHandler = errorHandler
        self.cpu = cpu
    }

    deinit {
        // Reached only when the thread has released the runner (or never ran). Joining here could be a self-join when
        // the last reference went away on the agent thread, so an unjoined thread is detached instead.
        if lifecycle.withLock({ $0 }) == .started {
            pthread_detach(thread)
        }
    }

    /// Errors thrown by the agent so far (`AgentTermination` excluded).
    public var errorCount: Int { errors.load(ordering: .acquiring) }

    /// Whether the agent thread is inside its run (started and not yet past `onClose`).
    public var isRunning: Bool { lifecycle.withLock { $0 == .started } && !finished.load(ordering: .acquiring) }

    /// Whether the agent left its duty cycle by throwing ``AgentTermination``.
    public var wasTerminatedByAgent: Bool { terminatedByAgent.load(ordering: .acquiring) }

    /// Whether ``close(timeout:)`` has completed.
    public var isClosed: Bool { lifecycle.withLock { $0 == .closed } }

    /// The agent, once the runner is closed (or before it started); `nil` while its thread may touch it.
    public var agentIfStopped: A? {
        lifecycle.withLock { state in state != .started ? agent : nil }
    }

    /// Starts the agent thread.
    public func start() throws {
        try lifecycle.withLock { state in
            guard state == .new else { throw AgentRunnerError.alreadyStarted(role: roleName) }
            running.store(true, ordering: .releasing)
            let start = Unmanaged.passRetained(AgentThreadStart { [self] in self.run() }).toOpaque()
            let rc = pthread_create(&thread, nil, { context in
                Unmanaged<AgentThreadStart>.fromOpaque(context!).takeRetainedValue().body()
                return nil
            }, start)
            guard rc == 0 else {
                Unmanaged<AgentThreadStart>.fromOpaque(start).release()
                running.store(false, ordering: .releasing)
                throw AgentRunnerError.threadCreationFailed(role: roleName, errno: rc)
            }
            state = .started
        }
    }

    /// Signals the agent to stop and waits (up to `timeout`) for its thread to run `onClose` and exit, then joins it.
    /// Closing a runner that never started just marks it closed. Idempotent. Called from the agent's own thread
    /// (inside `doWork`), it only signals: the cycle ends after that `doWork`, and a later `close()` joins.
    ///
    /// - Throws: ``AgentRunnerError/closeTimedOut(role:timeoutNs:)`` if the agent is stuck in `doWork`; the runner
    ///   stays signalled and `close` can be called again.
    public func close(timeout: Duration = .seconds(10)) throws {
        let state = lifecycle.withLock { state -> Lifecycle in
            if state == .new { state = .closed; return .new }
            return state
        }
        guard state == .started else { return }
        running.store(false, ordering: .releasing)
        if pthread_equal(pthread_self(), thread) != 0 {
            // Called by the agent itself: the duty cycle ends after this doWork; a thread cannot join itself, so
            // joining is left to a later close() from another thread.
            return
        }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while !finished.load(ordering: .acquiring) {
            if clock.now >= deadline {
                let (seconds, attoseconds) = timeout.components
                throw AgentRunnerError.closeTimedOut(
                    role: roleName, timeoutNs: seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
            }
            ThreadPark.sleep(nanoseconds: 1_000_000)
        }
        lifecycle.withLock { state in
            if state == .started {
                pthread_join(thread, nil)
                state = .closed
            }
        }
    }

    // MARK: - On the agent thread

    private func run() {
        // Pinned before it is named: a thread that shows its role's name is already where it will run.
        if let cpu {
            let rc = shims_pin_current_thread(cpu)
            if rc != 0 { report(AgentRunnerError.pinningFailed(role: roleName, cpu: cpu, errno: rc)) }
        }
        nameCurrentThread()
        var started = true
        do {
            try agent.onStart()
        } catch {
            started = false
            report(error)
        }
        if started {
            dutyCycle()
        }
        agent.onClose()
        finished.store(true, ordering: .releasing)
    }

    private func dutyCycle() {
        while running.load(ordering: .acquiring) {
            do {
                let workCount = try agent.doWork()
                idleStrategy.idle(workCount: workCount)
            } catch let termination as AgentTermination {
                _ = termination
                terminatedByAgent.store(true, ordering: .releasing)
                return
            } catch {
                report(error)
                idleStrategy.idle(workCount: 0)
            }
        }
    }

    private func report(_ error: any Error) {
        errors.wrappingAdd(1, ordering: .releasing)
        errorHandler?(error)
    }

    private func nameCurrentThread() {
        var name = Array(roleName.utf8.prefix(15))
        name.append(0)
        name.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { _ = shims_set_current_thread_name($0.baseAddress!) }
        }
    }
}

/// The body handed to `pthread_create` (a C entry point cannot be generic).
final class AgentThreadStart {
    let body: () -> Void

    init(_ body: @escaping () -> Void) {
        self.body = body
    }
}
