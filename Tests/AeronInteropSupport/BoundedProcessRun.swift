import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A command-line tool run to completion by a test, with everything it printed and how it ended.
///
/// ``run(_:_:input:timeout:)`` never hangs and never deadlocks: stdout and stderr are drained concurrently (a
/// child blocked on a full stderr pipe while the test waits for stdout EOF would otherwise wait forever), and a
/// watchdog kills the child after the timeout.
public struct BoundedProcessRun: Sendable {
    /// Exit status, or the signal number when ``signalled``.
    public var status: Int32
    /// True when the child died of a signal (a trap, or the watchdog's SIGKILL).
    public var signalled: Bool
    public var stdout: String
    public var stderr: String

    /// Runs `executable` with `arguments` (signals unblocked, see ``ProcessSpawning``), writes `input` to its
    /// stdin and closes it, and waits for it to exit and for both output streams to end.
    ///
    /// - Throws: when the tool cannot be launched, or ``InteropError/timeout(what:seconds:stderr:)`` when it
    ///   had to be killed after `timeout` seconds.
    public static func run(_ executable: URL, _ arguments: [String], input: Data = Data(), timeout: Double = 30) throws
        -> BoundedProcessRun
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try ProcessSpawning.runWithDefaultSignalMask(process)
        let pid = process.processIdentifier
        let timedOut = Atomic<Bool>(false)
        let watchdog = DispatchWorkItem {
            timedOut.store(true, ordering: .relaxed)
            kill(pid, SIGKILL)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer { watchdog.cancel() }

        let errorOutput = Mutex(Data())
        let errorDrained = DispatchSemaphore(value: 0)
        let errorHandle = stderr.fileHandleForReading
        Thread {
            let data = errorHandle.readDataToEndOfFile()
            errorOutput.withLock { $0 = data }
            errorDrained.signal()
        }.start()
        // Written before stdout is read: fine for the tools tested, which read all of stdin first (an input larger
        // than the pipe buffer for a tool that does not read it would need a writer thread).
        if !input.isEmpty { stdin.fileHandleForWriting.write(input) }
        try? stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        errorDrained.wait()
        process.waitUntilExit()
        let errorText = String(decoding: errorOutput.withLock { $0 }, as: UTF8.self)
        if timedOut.load(ordering: .relaxed) {
            throw InteropError.timeout(what: "\(executable.lastPathComponent) \(arguments.joined(separator: " "))",
                                       seconds: timeout, stderr: errorText)
        }
        return BoundedProcessRun(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                                 stdout: String(decoding: output, as: UTF8.self), stderr: errorText)
    }
}
