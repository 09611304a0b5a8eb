import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// How a peer process ended.
public struct PeerExit: Sendable, Equatable, CustomStringConvertible {
    /// Exit status, or the signal number when ``signaled``.
    public let status: Int32
    /// Whether a signal ended the process.
    public let signaled: Bool

    public init(status: Int32, signaled: Bool) {
        self.status = status
        self.signaled = signaled
    }

    /// Exited normally with status 0.
    public var succeeded: Bool { !signaled && status == 0 }

    public var description: String { signaled ? "signal \(status)" : "status \(status)" }
}

/// Everything a finished peer printed.
public struct PeerRun: Sendable {
    /// How the peer ended.
    public let exit: PeerExit
    /// Every JSON line it printed, in order.
    public let events: [PeerEvent]
    /// Its standard error.
    public let stderr: String

    /// The last event called `name`, if any.
    public func last(_ name: String) -> PeerEvent? { events.last { $0.name == name } }
    /// All events called `name`.
    public func all(_ name: String) -> [PeerEvent] { events.filter { $0.name == name } }
}

/// One `Tests/Interop/aeron_peer.py` subcommand running as a child process (the real Aeron C client or media
/// driver), with its JSON output lines read on background threads.
///
/// Every wait is bounded; a wait that times out kills the process before throwing, and `deinit` kills a process
/// that is still running, so a failing test never leaves peers behind.
public final class AeronPeerProcess: @unchecked Sendable {
    /// The subcommand, e.g. `pub`.
    public let subcommand: String
    /// The full command line, for messages.
    public let commandLine: [String]

    private let process = Process()
    private let stdinPipe = Pipe()
    private let stdoutPipe = Pipe()
    private let stderrPipe = Pipe()
    /// Shared with the reader threads and the termination handler, which never hold the peer object itself: the peer
    /// is released (and its process killed) exactly when its last user lets go of it.
    private let output = PeerOutput()

    /// Launches `python3 aeron_peer.py <subcommand> [--so SO --dir DIR] <arguments>`.
    ///
    /// - Parameters:
    ///   - directory: the Aeron directory; when non-nil, `--so` and `--dir` are passed (every subcommand except
    ///     `pattern` needs them).
    ///   - arguments: the subcommand's own flags, e.g. `["--count", "100", "--sizes", "0,32"]`.
    public init(_ subcommand: String, directory: String?, arguments: [String] = []) throws {
        self.subcommand = subcommand
        let python = try PyAeron.pythonPath()
        let script = try RepositoryLayout.peerScript()
        var args = [script.path, subcommand]
        var environment = ProcessInfo.processInfo.environment
        if let directory {
            let so = try PyAeron.sharedObjectPath()
            environment["TP_PYAERON_SO"] = so
            args += ["--so", so, "--dir", directory]
        }
        args += arguments
        commandLine = [python] + args
        environment["PYTHONUNBUFFERED"] = "1"
        environment["PYTHONDONTWRITEBYTECODE"] = "1"

        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = args
        process.environment = environment
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        let output = self.output
        process.terminationHandler = { finished in
            let exit = PeerExit(status: finished.terminationStatus, signaled: finished.terminationReason == .uncaughtSignal)
            output.update { $0.exit = exit }
        }
        do {
            try ProcessSpawning.runWithDefaultSignalMask(process)
        } catch {
            throw InteropError.launchFailed(command: commandLine.joined(separator: " "), reason: "\(error)")
        }
        output.startReader(stdoutPipe.fileHandleForReading, name: "peer-stdout") { state, chunk in
            if let chunk { state.appendStdout(chunk) } else { state.stdoutClosed = true }
        }
        output.startReader(stderrPipe.fileHandleForReading, name: "peer-stderr") { state, chunk in
            if let chunk { state.stderr.append(chunk) } else { state.stderrClosed = true }
        }
    }

    deinit {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Process id of the peer.
    public var pid: Int32 { process.processIdentifier }

    /// Whether the peer is still running.
    public var isRunning: Bool { output.read { $0.exit == nil } }

    /// Everything the peer printed on stderr so far.
    public var stderr: String { output.read { String(decoding: $0.stderr, as: UTF8.self) } }

    /// Every event printed so far (including ones already returned by ``nextEvent(timeout:)``).
    public func eventsSoFar() throws -> [PeerEvent] {
        try output.read { $0.lines }.map(PeerEvent.init(line:))
    }

    /// The next event not yet returned, waiting up to `timeout` seconds.
    public func nextEvent(timeout: Double) throws -> PeerEvent {
        let deadline = Date(timeIntervalSinceNow: timeout)
        let outcome = output.wait(until: deadline) { state -> Result<String, InteropError>? in
            if state.nextLine < state.lines.count {
                state.nextLine += 1
                return .success(state.lines[state.nextLine - 1])
            }
            if state.stdoutClosed, let exit = state.exit {
                return .failure(.peerExited(what: "an event from '\(subcommand)'", exit: exit,
                                            stderr: String(decoding: state.stderr, as: UTF8.self)))
            }
            return nil
        }
        switch outcome {
        case .success(let line)?:
            return try PeerEvent(line: line)
        case .failure(let error)?:
            throw error
        case nil:
            kill()
            throw InteropError.timeout(what: "an event from '\(subcommand)'", seconds: timeout, stderr: stderr)
        }
    }

    /// Skips events until one called `name` arrives (waiting up to `timeout` seconds in total).
    @discardableResult
    public func waitForEvent(_ name: String, timeout: Double) throws -> PeerEvent {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while true {
            let remaining = deadline.timeIntervalSinceNow
            do {
                let event = try nextEvent(timeout: max(0, remaining))
                if event.name == name { return event }
            } catch InteropError.timeout(_, _, let err) {
                throw InteropError.timeout(what: "event '\(name)' from '\(subcommand)'", seconds: timeout, stderr: err)
            } catch InteropError.peerExited(_, let exit, let err) {
                throw InteropError.peerExited(what: "event '\(name)' from '\(subcommand)'", exit: exit, stderr: err)
            }
        }
    }

    /// Waits up to `timeout` seconds for the peer to exit and its output to be read completely.
    /// On timeout the peer is killed and ``InteropError/timeout(what:seconds:stderr:)`` is thrown.
    @discardableResult
    public func waitForExit(timeout: Double) throws -> PeerRun {
        let deadline = Date(timeIntervalSinceNow: timeout)
        let finished = output.wait(until: deadline) { state -> (PeerExit, [String], String)? in
            guard let exit = state.exit, state.stdoutClosed, state.stderrClosed else { return nil }
            return (exit, state.lines, String(decoding: state.stderr, as: UTF8.self))
        }
        guard let (exit, lines, err) = finished else {
            kill()
            throw InteropError.timeout(what: "'\(subcommand)' to exit", seconds: timeout, stderr: stderr)
        }
        return PeerRun(exit: exit, events: try lines.map(PeerEvent.init(line:)), stderr: err)
    }

    /// Like ``waitForExit(timeout:)`` but also throws ``InteropError/peerExited(what:exit:stderr:)`` unless the
    /// peer exited with status 0.
    @discardableResult
    public func waitForSuccess(timeout: Double) throws -> PeerRun {
        let run = try waitForExit(timeout: timeout)
        guard run.exit.succeeded else {
            throw InteropError.peerExited(what: "'\(subcommand)' to succeed", exit: run.exit, stderr: run.stderr)
        }
        return run
    }

    /// Sends SIGTERM (the peer shuts down cleanly).
    public func terminate() {
        if isRunning { Glibc.kill(process.processIdentifier, SIGTERM) }
    }

    /// Sends SIGKILL (no cleanup: a killed driver leaves its directory behind).
    public func kill() {
        if isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
    }

    /// Freezes the peer (SIGSTOP): a frozen C client stops its keepalives, so the driver must time it out.
    public func suspend() {
        if isRunning { Glibc.kill(process.processIdentifier, SIGSTOP) }
    }

    /// Lets a suspended peer continue (SIGCONT).
    public func resume() {
        if isRunning { Glibc.kill(process.processIdentifier, SIGCONT) }
    }

    /// Closes the peer's standard input (the `driver` subcommand stops on EOF).
    public func closeStandardInput() {
        try? stdinPipe.fileHandleForWriting.close()
    }

    /// Launches a peer and waits for it to finish successfully; kills it and throws on timeout or failure.
    @discardableResult
    public static func run(_ subcommand: String, directory: String?, arguments: [String] = [], timeout: Double) throws
        -> PeerRun
    {
        try AeronPeerProcess(subcommand, directory: directory, arguments: arguments).waitForSuccess(timeout: timeout)
    }
}
