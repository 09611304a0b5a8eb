/// A unit of work run in a duty cycle by an ``AgentRunner`` (on its own thread) or an ``AgentInvoker`` (from the
/// application's own loop), in the style of Agrona's `Agent`.
///
/// The runner owns the agent: between ``onStart()`` and ``onClose()`` only the runner's thread touches it.
/// ``doWork()`` must not block; it returns how much work it did so the idle strategy can back off when there was none.
public protocol Agent {
    /// Name of the agent's role, used for thread names and messages.
    var roleName: String { get }
    /// Called once on the agent's thread before the first ``doWork()``. A thrown error is reported and the agent is
    /// closed without running.
    mutating func onStart() throws
    /// One duty cycle: do what is due and return the amount of work done (0 = nothing to do, idle).
    /// A thrown error is counted and reported and the cycle continues, except for ``AgentTermination``, which stops
    /// the agent.
    mutating func doWork() throws -> Int
    /// Called once on the agent's thread after the last ``doWork()``.
    mutating func onClose()
}

extension Agent {
    /// Does nothing: most agents need no start-up on their own thread.
    public mutating func onStart() throws {}
    /// Does nothing: most agents hold nothing that must be released on their own thread.
    public mutating func onClose() {}
}

/// Thrown from ``Agent/doWork()`` to stop the agent: its runner leaves the duty cycle and closes it.
public struct AgentTermination: Error, Sendable, Equatable {
    /// Why the agent stopped.
    public let reason: String

    /// A termination with a reason for the runner's log (the default says the agent asked for it).
    public init(reason: String = "agent requested termination") {
        self.reason = reason
    }
}
