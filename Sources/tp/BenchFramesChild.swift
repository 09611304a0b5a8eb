@preconcurrency import Glibc
import Foundation

/// A child process of `tp bench frames` (stdout/stderr to a log file), always killed by its owner on exit.
final class BenchChild {
    let process: Process
    let log: String

    private init(process: Process, log: String) {
        self.process = process
        self.log = log
    }

    static func spawn(executable: String, arguments: [String], log: String,
                      environment: [String: String]? = nil) throws -> BenchChild {
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? handle.close()
        return BenchChild(process: process, log: log)
    }

    /// Waits up to `timeoutSeconds`; true when the process exited.
    func wait(timeoutSeconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { return false }
        process.waitUntilExit()
        return true
    }

    var exitStatus: Int32 { process.terminationStatus }

    /// SIGTERM: the children write their result and exit.
    func interrupt() { if process.isRunning { process.terminate() } }

    /// SIGKILL if still running (every exit path of the parent).
    func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func logTail() -> String {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return String(text.suffix(800))
    }
}
