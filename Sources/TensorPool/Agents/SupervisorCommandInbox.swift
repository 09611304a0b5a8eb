import Synchronization

/// `ConsumerConfig` commands submitted from other threads (API, command line) for the supervisor agent to send.
///
/// The agent checks an atomic count every duty cycle (one load, no lock, no allocation) and takes the lock only
/// when something is pending.
final class SupervisorCommandInbox: Sendable {
    private let pending = Atomic<Int>(0)
    private let commands = Mutex<[ConsumerConfigCommand]>([])

    func submit(_ command: ConsumerConfigCommand) {
        commands.withLock { $0.append(command) }
        pending.wrappingAdd(1, ordering: .releasing)
    }

    var hasPending: Bool { pending.load(ordering: .acquiring) > 0 }

    /// Takes every pending command, in submission order.
    func drain() -> [ConsumerConfigCommand] {
        let taken = commands.withLock { queue -> [ConsumerConfigCommand] in
            let all = queue
            queue.removeAll()
            return all
        }
        pending.wrappingSubtract(taken.count, ordering: .releasing)
        return taken
    }
}
