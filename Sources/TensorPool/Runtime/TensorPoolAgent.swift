import AeronConcurrent

/// A tensor-pool role hosted as an Aeron-style ``Agent`` (Agrona model).
///
/// The duty cycle reads ``TensorPoolClock/monotonicNs()`` once and passes it to ``doWork(nowNs:)``, so a role
/// never reads the clock twice in a cycle and tests can drive it with explicit times.
///
/// Two hosting modes, as in Aeron:
/// - **Own thread**: `let runner = AgentRunner(agent: role, idleStrategy: BackoffIdleStrategy()); try runner.start()`,
///   later `try runner.close()`. Only the runner's thread touches the role.
/// - **Invoker**: `let invoker = AgentInvoker(agent: role); invoker.start()`, then `invoker.invoke()` from the
///   application's loop (or call ``doWork(nowNs:)`` with the loop's own clock reading).
public protocol TensorPoolAgent: Agent {
    /// One duty cycle at time `nowNs` (`CLOCK_MONOTONIC`): returns the work done (0 = idle).
    mutating func doWork(nowNs: UInt64) throws -> Int
}

extension TensorPoolAgent {
    /// Reads the clock once and runs ``doWork(nowNs:)``.
    public mutating func doWork() throws -> Int {
        try doWork(nowNs: TensorPoolClock.monotonicNs())
    }
}

/// Several tensor-pool agents sharing one thread and one clock reading per cycle (e.g. driver conductor,
/// producer and consumer in one loop for a small deployment).
public struct TensorPoolAgentGroup<First: TensorPoolAgent, Second: TensorPoolAgent>: TensorPoolAgent {
    /// The agent run first in each cycle and closed last, e.g. a driver conductor that others depend on.
    public private(set) var first: First
    /// The agent run second in each cycle and closed first, so it never runs against a closed ``first``.
    public private(set) var second: Second
    /// `first+second`, naming the shared `AgentRunner` thread after both roles.
    public let roleName: String

    /// Groups two agents; nest groups (`TensorPoolAgentGroup(a, TensorPoolAgentGroup(b, c))`) for more than two.
    public init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
        roleName = "\(first.roleName)+\(second.roleName)"
    }

    /// Starts ``first`` then ``second``; if ``first`` throws, ``second`` is not started.
    public mutating func onStart() throws {
        try first.onStart()
        try second.onStart()
    }

    /// Runs both agents with the same `nowNs`, so they agree on the time of the cycle; returns the sum of their work.
    /// An error from ``first`` skips ``second`` for this cycle and propagates to the runner.
    public mutating func doWork(nowNs: UInt64) throws -> Int {
        try first.doWork(nowNs: nowNs) + second.doWork(nowNs: nowNs)
    }

    /// Closes in reverse start order (``second`` then ``first``), as dependencies require.
    public mutating func onClose() {
        second.onClose()
        first.onClose()
    }
}
