/// Two agents run as one, in order, on the same thread; nest to compose more
/// (`CompositeAgent(a, CompositeAgent(b, c))`). Type-level composition keeps the duty cycle free of existentials.
///
/// Both agents run every cycle even if the first throws, so one failing agent does not starve the other; the first
/// error is rethrown afterwards (an ``AgentTermination`` takes precedence).
public struct CompositeAgent<First: Agent, Second: Agent>: Agent {
    /// The agent that runs first in every cycle.
    public private(set) var first: First
    /// The agent that runs second in every cycle, even when the first throws.
    public private(set) var second: Second
    /// `[first,second]`: both role names, so thread names and messages show what the composite runs.
    public let roleName: String

    /// Runs `first` then `second` on one thread.
    public init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
        self.roleName = "[\(first.roleName),\(second.roleName)]"
    }

    /// Starts both agents, even if the first fails, and rethrows the first failure.
    public mutating func onStart() throws {
        var failure: (any Error)?
        do { try first.onStart() } catch { failure = error }
        do { try second.onStart() } catch { failure = failure ?? error }
        if let failure { throw failure }
    }

    /// Runs both agents' duty cycles and returns their total work; rethrows the first error (``AgentTermination`` first).
    public mutating func doWork() throws -> Int {
        var work = 0
        var failure: (any Error)?
        do { work += try first.doWork() } catch { failure = error }
        do { work += try second.doWork() } catch { if failure == nil || error is AgentTermination { failure = error } }
        if let failure { throw failure }
        return work
    }

    /// Closes both agents, first then second.
    public mutating func onClose() {
        first.onClose()
        second.onClose()
    }
}
