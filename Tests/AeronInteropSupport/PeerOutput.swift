import Foundation

/// What a peer process printed and how it ended, filled by its reader threads and termination handler and waited on
/// by the test thread. A separate object so that those threads never keep the ``AeronPeerProcess`` alive.
final class PeerOutput: @unchecked Sendable {
    /// Guarded by `condition`.
    struct State {
        var lines: [String] = []
        var nextLine = 0
        var partialStdout = Data()
        var stdoutClosed = false
        var stderrClosed = false
        var stderr = Data()
        var exit: PeerExit?

        mutating func appendStdout(_ chunk: Data) {
            partialStdout.append(chunk)
            while let newline = partialStdout.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: partialStdout[partialStdout.startIndex..<newline], as: UTF8.self)
                partialStdout.removeSubrange(partialStdout.startIndex...newline)
                if !line.isEmpty { lines.append(line) }
            }
        }
    }

    private let condition = NSCondition()
    private var state = State()

    /// Changes the state and wakes every waiter.
    func update(_ change: (inout State) -> Void) {
        condition.lock()
        change(&state)
        condition.broadcast()
        condition.unlock()
    }

    /// Reads the state.
    func read<R>(_ body: (State) -> R) -> R {
        condition.lock()
        defer { condition.unlock() }
        return body(state)
    }

    /// Re-evaluates `check` whenever the state changes until it returns a value or `deadline` passes (then `nil`).
    func wait<R>(until deadline: Date, _ check: (inout State) -> R?) -> R? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let result = check(&state) { return result }
            if !condition.wait(until: deadline) {
                return check(&state)
            }
        }
    }

    /// Reads `handle` to EOF on a new thread, passing each chunk (then `nil` at EOF) to `deliver` under the lock.
    func startReader(_ handle: FileHandle, name: String, _ deliver: @escaping @Sendable (inout State, Data?) -> Void) {
        let thread = Thread { [self] in
            while true {
                let chunk = handle.availableData
                update { deliver(&$0, chunk.isEmpty ? nil : chunk) }
                if chunk.isEmpty { return }
            }
        }
        thread.name = name
        thread.start()
    }
}
