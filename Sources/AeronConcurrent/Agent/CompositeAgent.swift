/// Two agents run as one, in order, on the same thread; nest to compose more
/// (`CompositeAgent(a, CompositeAgent(b, c))`). Type-level composition keeps the duty cycle free of existentials.
///
/// Both agents run every cycle even if the first throws, so one failing agent does not starve the other; the first
/// error is rethrown afterwards (an ``AgentTermination`` takes precedence).
public struct CompositeAgent<First: Agent, Second: Agent>: Agent {
    public private(set) var first: First
    public private(set) var second: Second
    public let roleName: String

    public init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
        self.roleName = "[\(first.roleName),\(second.roleName)]"
    }

    public mutating func onStart() throws {
        var failure: (any Error)?
        do { try first.onStart() } catch { failure = error }
        do { try second.onStart() } catch { failure = failure ?? error }
        if let failure { throw failure }
    }

    public mutating func doWork() throws -> Int {
        var work = 0
        var failure: (any Error)?
        do { work += try first.doWork() } catch { failure = error }
        do { work += try second.doWork() } catch { if failure == nil || error is AgentTermination { failure = error } }
        if let failure { throw failure }
        return work
    }

    public mutating func onClose() {
        first.onClose()
        second.onClose()
    }
}
