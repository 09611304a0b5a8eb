import AeronInteropSupport
import Foundation
import Testing

@Suite struct ProcessSpawningTests {
    static func blockedSignals(launch: (Process) throws -> Void) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "grep SigBlk /proc/self/status"]
        let out = Pipe()
        process.standardOutput = out
        try launch(process)
        process.waitUntilExit()
        return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func childrenStartWithNoBlockedSignals() throws {
        #expect(try Self.blockedSignals { try ProcessSpawning.runWithDefaultSignalMask($0) } == "SigBlk:\t0000000000000000")
    }

    @Test func theSpawningThreadKeepsItsMask() throws {
        func currentMask() -> String {
            ((try? String(contentsOfFile: "/proc/thread-self/status", encoding: .utf8)) ?? "")
                .split(separator: "\n").first { $0.hasPrefix("SigBlk") }.map(String.init) ?? ""
        }
        let before = currentMask()
        _ = try Self.blockedSignals { try ProcessSpawning.runWithDefaultSignalMask($0) }
        #expect(currentMask() == before)
    }

    @Test func peersCanBeStoppedWithSIGTERM() throws {
        // The driver peer exits cleanly on SIGTERM: `closed` is its last word.
        let driver = try RealAeronMediaDriver()
        let status = try String(contentsOfFile: "/proc/\(driver.process.pid)/status", encoding: .utf8)
        #expect(status.contains("SigBlk:\t0000000000000000"))
        #expect(try driver.stop(timeout: 30)?.name == "closed")
    }
}
