import Foundation
import Testing
@testable import AeronDriver

/// `MediaDriverContext.threadCpu` pins the launched driver's thread, and a CPU it cannot take is logged, not fatal.
@Suite struct DriverThreadPinningTests {
    /// The `Cpus_allowed_list` of this process's thread named `name` (nil while it has not started).
    static func allowedCPUs(ofThreadNamed name: String) -> String? {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        for tid in tasks {
            guard let comm = try? String(contentsOfFile: "/proc/self/task/\(tid)/comm", encoding: .utf8),
                  comm.trimmingCharacters(in: .whitespacesAndNewlines) == name,
                  let status = try? String(contentsOfFile: "/proc/self/task/\(tid)/status", encoding: .utf8) else { continue }
            let line = status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }
            return line.map { $0.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces) }
        }
        return nil
    }

    static func waitFor<T>(_ probe: () -> T?) -> T? {
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if let value = probe() { return value }
            usleep(2_000)
        }
        return nil
    }

    @Test func launchedDriverThreadRunsOnTheGivenCPU() throws {
        let last = Int32(ProcessInfo.processInfo.activeProcessorCount - 1)
        var context = testContext()
        context.threadName = "tp-drv-pin-ok"
        context.threadCpu = last
        let driver = try MediaDriver.launch(context)
        defer { driver.close() }
        // The runner pins its thread before naming it, so once the name shows, the mask is final.
        let allowed = Self.waitFor { Self.allowedCPUs(ofThreadNamed: "tp-drv-pin-ok") }
        #expect(allowed == "\(last)")
        #expect(driver.errorLogEntries.isEmpty, "\(driver.errorLogEntries)")
    }

    @Test func aCPUTheMachineLacksIsLoggedAndTheDriverStillRuns() throws {
        var context = testContext()
        context.threadName = "tp-drv-pin-bad"
        context.threadCpu = 1023
        let driver = try MediaDriver.launch(context)
        defer { driver.close() }
        let entry = Self.waitFor { driver.errorLogEntries.first { $0.text.contains("1023") } }
        #expect(entry != nil, "\(driver.errorLogEntries)")
        // The thread runs on, with the mask it was born with.
        let allowed = Self.waitFor { Self.allowedCPUs(ofThreadNamed: "tp-drv-pin-bad") }
        #expect(allowed != nil && allowed != "1023")
    }
}
