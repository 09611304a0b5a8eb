#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import AeronInteropSupport

/// A `tp` child process whose output is collected line by line. Killed (SIGKILL) on deinit if still running, so
/// no exit path of a test leaves it behind.
final class WiringProcess: @unchecked Sendable {
    let name: String
    private let process = Process()
    private let pipe = Pipe()
    private let lock = NSLock()
    private var buffer = Data()
    private var collected: [String] = []

    init(_ name: String, arguments: [String]) throws {
        self.name = name
        process.executableURL = try BuiltProducts.executable(named: "tp")
        process.arguments = arguments
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock {
                self.buffer.append(data)
                while let newline = self.buffer.firstIndex(of: 0x0A) {
                    self.collected.append(String(decoding: self.buffer[self.buffer.startIndex..<newline], as: UTF8.self))
                    self.buffer.removeSubrange(self.buffer.startIndex...newline)
                }
            }
        }
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        pipe.fileHandleForReading.readabilityHandler = nil
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var lines: [String] { lock.withLock { collected } }
    var output: String { lines.joined(separator: "\n") }

    /// Waits until a line satisfies `predicate` (or the timeout passes); returns it.
    func waitForLine(timeout: Double, _ predicate: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = lines.first(where: predicate) { return line }
            if !process.isRunning { return lines.first(where: predicate) }
            usleep(20_000)
        }
        return nil
    }

    /// Waits for exit up to `timeout` seconds; SIGKILLs and returns nil on timeout.
    func waitForExit(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        usleep(50_000)  // let the reader drain the last lines
        return process.terminationStatus
    }

    func killNow() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// `key=value` fields of the last line starting with `prefix` (e.g. the consumer summary).
    func summary(prefix: String) -> [String: String] {
        guard let line = lines.last(where: { $0.hasPrefix(prefix) }) else { return [:] }
        var fields: [String: String] = [:]
        for token in line.split(separator: " ") {
            let parts = token.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        return fields
    }
}

/// Unique Aeron and SHM directories for one system test, removed at the end.
struct WiringDirectories {
    let aeron: String
    let shm: String

    init(_ name: String) {
        let unique = "\(name)-\(getpid())-\(UInt32.random(in: 0..<UInt32.max))"
        aeron = "/dev/shm/tp-sys-aeron-\(unique)"
        shm = "/dev/shm/tp-sys-shm-\(unique)"
        mkdir(shm, 0o770)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: aeron)
        try? FileManager.default.removeItem(atPath: shm)
    }
}
