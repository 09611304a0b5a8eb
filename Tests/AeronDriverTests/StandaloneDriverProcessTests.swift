import Foundation
import Testing
import AeronInteropSupport
import AeronConcurrent
@testable import AeronDriver

/// `tp driver` as its own process: real C clients use it, a second driver on the same directory is refused, and
/// SIGTERM shuts it down cleanly (driver heartbeat −1).
@Suite(.serialized)
struct StandaloneDriverProcessTests {
    final class DriverProcess {
        let process = Process()
        let output = Pipe()
        init(_ arguments: [String]) throws {
            process.executableURL = try BuiltProducts.executable(named: "tp")
            process.arguments = ["driver"] + arguments
            process.standardOutput = output
            process.standardError = output
            try process.run()
        }
        /// Reads stdout until `marker` appears or the timeout passes.
        func waitFor(_ marker: String, timeout: Double = 30) -> String {
            var text = ""
            let deadline = Date().addingTimeInterval(timeout)
            let handle = output.fileHandleForReading
            while Date() < deadline && !text.contains(marker) {
                let data = handle.availableData
                if data.isEmpty { if !process.isRunning { break }; usleep(10_000); continue }
                text += String(decoding: data, as: UTF8.self)
            }
            return text
        }
        func waitForExit(timeout: Double = 30) -> Int32? {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { process.interrupt(); kill(process.processIdentifier, SIGKILL); return nil }
            return process.terminationStatus
        }
        deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    }

    @Test func standaloneDriverServesRealClientsRefusesASecondDriverAndShutsDownOnSigterm() throws {
        let dir = uniqueAeronDirectory()
        defer { AeronDirectory.delete(dir) }
        let driver = try DriverProcess(["--dir", dir, "--term-length", "128k", "--client-liveness-timeout-ms", "5000"])
        let banner = driver.waitFor("ready")
        try #require(banner.contains("tp driver: ready dir=\(dir)"), "\(banner)")

        let second = try DriverProcess(["--dir", dir])
        #expect(second.waitForExit() == 2)
        #expect(second.waitFor("active media driver detected", timeout: 5).contains("active media driver detected"))

        let sub = try AeronPeerProcess("sub", directory: dir, arguments: ["--count", "5000", "--sizes", "0,64,3000", "--timeout-s", "60"])
        try sub.waitForEvent("ready", timeout: 30)
        try AeronPeerProcess.run("pub", directory: dir, arguments: ["--count", "5000", "--sizes", "0,64,3000"], timeout: 60)
        let run = try sub.waitForSuccess(timeout: 60)
        #expect(run.last("done")?.int("errors") == 0)

        let cnc = try CncFile.open(path: dir + "/cnc.dat")
        #expect(cnc.clientLivenessTimeoutNs == 5_000_000_000)
        let ring = try ManyToOneRingBuffer(buffer: cnc.toDriverBuffer)
        #expect(ring.consumerHeartbeatTime > 0)
        kill(driver.process.processIdentifier, SIGTERM)
        #expect(driver.waitForExit() == 0)
        #expect(ring.consumerHeartbeatTime == -1, "clients see a clean shutdown")
    }

    /// SIGTERM sent the moment "ready" is printed stops the driver every time. This test process spawns it from a
    /// worker thread that blocks signals, and the child inherits that mask: the driver must unblock them, and its
    /// handler must be in place before "ready" (an earlier version lost the signal about one time in five).
    @Test func sigtermRightAfterReadyAlwaysStopsTheDriver() throws {
        for attempt in 0..<10 {
            let dir = uniqueAeronDirectory()
            defer { AeronDirectory.delete(dir) }
            let driver = try DriverProcess(["--dir", dir])
            try #require(driver.waitFor("ready").contains("tp driver: ready"))
            kill(driver.process.processIdentifier, SIGTERM)
            let status = driver.waitForExit(timeout: 10)
            try #require(status == 0, "attempt \(attempt): exit \(String(describing: status))")
        }
    }

    /// `--cpu N` pins the driver thread (its /proc mask is that one CPU); a CPU the machine lacks is refused.
    @Test func cpuOptionPinsTheDriverThread() throws {
        let dir = uniqueAeronDirectory()
        defer { AeronDirectory.delete(dir) }
        let last = ProcessInfo.processInfo.activeProcessorCount - 1
        let driver = try DriverProcess(["--dir", dir, "--cpu", "\(last)"])
        try #require(driver.waitFor("ready").contains("tp driver: ready"))
        let pid = driver.process.processIdentifier
        // The driver thread names itself (after pinning itself) once running, which may be just after the banner.
        #expect(awaitCondition(timeoutS: 10) { threadCPUMasks(pid: pid).contains { $0.name == "aeron-driver" } })
        let seen = threadCPUMasks(pid: pid)
        #expect(seen.contains { $0 == ("aeron-driver", "\(last)") }, "\(seen)")
        kill(pid, SIGTERM)
        #expect(driver.waitForExit() == 0)

        let refused = try DriverProcess(["--dir", dir, "--cpu", "\(last + 1)"])
        #expect(refused.waitForExit() != 0)
        #expect(refused.waitFor("this machine has CPUs", timeout: 5).contains("--cpu \(last + 1)"))
    }
}
