import Foundation
import Testing
@testable import AeronDriver

/// `MediaDriverContext.threadCpu` pins the launched driver's thread, and a CPU it cannot take is logged, not fatal.
@Suite struct DriverThreadPinningTests {
    /// The CPU mask of this process's thread named `name` (nil while it has not started or named itself).
    static func allowedCPUs(ofThreadNamed name: String) -> String? {
        threadCPUMasks(pid: getpid()).first { $0.name == name }?.cpus
    }

    @Test func launchedDriverThreadRunsOnTheGivenCPU() throws {
        let last = Int32(ProcessInfo.processInfo.activeProcessorCount - 1)
        var context = testContext()
        context.threadName = "tp-drv-pin-ok"
        context.threadCpu = last
        let driver = try MediaDriver.launch(context)
        defer { driver.close() }
        // The runner pins its thread before naming it, so once the name shows, the mask is final.
        #expect(awaitCondition(timeoutS: 5) { Self.allowedCPUs(ofThreadNamed: "tp-drv-pin-ok") != nil })
        #expect(Self.allowedCPUs(ofThreadNamed: "tp-drv-pin-ok") == "\(last)")
        #expect(driver.errorLogEntries.isEmpty, "\(driver.errorLogEntries)")
    }

    @Test func aCPUTheMachineLacksIsLoggedAndTheDriverStillRuns() throws {
        var context = testContext()
        context.threadName = "tp-drv-pin-bad"
        context.threadCpu = 1023
        let driver = try MediaDriver.launch(context)
        defer { driver.close() }
        #expect(awaitCondition(timeoutS: 5) { driver.errorLogEntries.contains { $0.text.contains("1023") } },
                "\(driver.errorLogEntries)")
        // The thread runs on, with the mask it was born with.
        #expect(awaitCondition(timeoutS: 5) { Self.allowedCPUs(ofThreadNamed: "tp-drv-pin-bad") != nil })
        let allowed = Self.allowedCPUs(ofThreadNamed: "tp-drv-pin-bad")
        #expect(allowed != nil && allowed != "1023")
    }
}
