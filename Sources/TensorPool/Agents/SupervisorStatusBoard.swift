import Synchronization

/// The latest ``SupervisorStatus`` snapshot published by the supervisor agent at its status interval, readable
/// from any thread (the `tp supervisor` printer, an embedding application, tests).
public final class SupervisorStatusBoard: Sendable {
    private let latest = Mutex<SupervisorStatus?>(nil)
    private let published = Atomic<UInt64>(0)

    /// An empty board: ``status`` is `nil` and ``publications`` 0 until the agent's first status interval elapses.
    public init() {}

    /// The newest snapshot, or `nil` before the first one.
    public var status: SupervisorStatus? { latest.withLock { $0 } }

    /// Number of snapshots published so far (a reader can wait for a fresh one).
    public var publications: UInt64 { published.load(ordering: .acquiring) }

    func publish(_ status: SupervisorStatus) {
        latest.withLock { $0 = status }
        published.wrappingAdd(1, ordering: .releasing)
    }
}
