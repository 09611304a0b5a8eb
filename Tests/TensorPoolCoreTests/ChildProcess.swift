import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A child process for multi-process tests, terminated (SIGTERM, then SIGKILL after a bounded wait) when
/// ``stop()`` is called or the object is released, whichever comes first.
final class ChildProcess {
    let process = Process()

    /// The `tp` executable built next to the test bundle (`.build/<config>/tp`).
    static func tpExecutable() -> URL? {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tp"),
            Bundle.main.bundleURL.appendingPathComponent("tp"),
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug/tp"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    init(_ executable: URL, _ arguments: [String]) throws {
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            let hard = Date().addingTimeInterval(5)
            while process.isRunning && Date() < hard { usleep(10_000) }
        }
    }

    deinit { stop() }
}
