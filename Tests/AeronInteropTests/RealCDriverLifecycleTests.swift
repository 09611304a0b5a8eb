import AeronInteropSupport
import Foundation
import Testing

extension RealAeron {
    @Suite struct RealCDriverLifecycle {
        @Test func readyDriverHasACncFileAndStopDeletesTheDirectory() throws {
            let driver = try RealAeronMediaDriver()
            #expect(driver.ready.string("dir") == driver.path)
            #expect(driver.ready.string("aeron_version")?.contains("1.53") == true)
            #expect(FileManager.default.fileExists(atPath: driver.directory.cncPath))
            let closed = try driver.stop()
            #expect(closed?.bool("dir_exists") == false)
            #expect(!driver.directory.exists)
        }

        @Test func driverStopsWhenItsStandardInputCloses() throws {
            // What happens to a driver whose parent (the test process) dies.
            let driver = try RealAeronMediaDriver()
            driver.process.closeStandardInput()
            let run = try driver.process.waitForExit(timeout: PeerTimeouts.run)
            #expect(run.exit.succeeded)
            #expect(run.last("closed") != nil)
            #expect(!driver.directory.exists)
        }

        @Test func invokerThreadingModeCarriesMessages() throws {
            var options = RealAeronMediaDriver.Options()
            options.threading = "invoker"
            let driver = try RealAeronMediaDriver(options: options)
            #expect(driver.ready.string("threading") == "invoker")
            let sub = try AeronPeerProcess("sub", directory: driver.path, arguments: ["--count", "1000", "--sizes", "0,32,5000"])
            try sub.waitForEvent("ready", timeout: PeerTimeouts.ready)
            try AeronPeerProcess.run("pub", directory: driver.path, arguments: ["--count", "1000", "--sizes", "0,32,5000"],
                                     timeout: PeerTimeouts.run)
            #expect(try sub.waitForSuccess(timeout: PeerTimeouts.run).last("done")?.int("errors") == 0)
        }

        @Test func invalidDriverSettingsAreRejectedWithTheCDriversReason() throws {
            var options = RealAeronMediaDriver.Options()
            options.clientLivenessTimeoutNs = 500_000_000  // not above the default 1 s timer interval
            let error = #expect(throws: InteropError.self) { _ = try RealAeronMediaDriver(options: options) }
            guard case .peerExited(_, let exit, let stderr)? = error else {
                Issue.record("unexpected \(String(describing: error))")
                return
            }
            #expect(exit == PeerExit(status: 2, signaled: false))
            #expect(stderr.contains("client_liveness_timeout_ns=500000000 <= timer_interval_ns"))
        }

        @Test func frozenClientIsTimedOutByTheDriver() throws {
            var options = RealAeronMediaDriver.Options()
            options.clientLivenessTimeoutNs = 500_000_000
            options.timerIntervalNs = 50_000_000  // the C driver requires liveness timeout > timer interval
            let driver = try RealAeronMediaDriver(options: options)
            let victim = try AeronPeerProcess.startSubscriber(directory: driver.path, count: 1, timeoutSeconds: 60)
            victim.suspend()
            defer { victim.resume(); victim.kill() }
            func livenessTimeouts() throws -> Int64 {
                try driver.counters().first { $0.string("label") == "Client liveness timeouts" }?.int("value") ?? -1
            }
            let deadline = Date(timeIntervalSinceNow: 60)
            var timeouts = try livenessTimeouts()
            while timeouts < 1 && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.3)
                timeouts = try livenessTimeouts()
            }
            #expect(timeouts >= 1)
        }

        @Test func killedDriverLeavesAStaleDirectoryAndANewDriverStartsOverIt() throws {
            let directory = TemporaryAeronDirectory(prefix: "stale")
            let first = try RealAeronMediaDriver(directory: directory)
            try first.kill()
            #expect(first.process.isRunning == false)
            #expect(directory.exists)
            #expect(FileManager.default.fileExists(atPath: directory.cncPath))

            let second = try RealAeronMediaDriver(directory: directory)
            #expect(second.ready.int("pid") != first.ready.int("pid"))
            let sub = try AeronPeerProcess("sub", directory: directory.path, arguments: ["--count", "100"])
            try sub.waitForEvent("ready", timeout: PeerTimeouts.ready)
            try AeronPeerProcess.run("pub", directory: directory.path, arguments: ["--count", "100"], timeout: PeerTimeouts.run)
            #expect(try sub.waitForSuccess(timeout: PeerTimeouts.run).last("done")?.int("received") == 100)
            try second.stop()
        }

        @Test func driverThatChecksTheStaleCncStartsOnceTheOldHeartbeatExpired() throws {
            // Without delete-on-start the C driver refuses a directory whose CnC heartbeat is younger than the
            // driver timeout, and takes it over once it is older.
            let directory = TemporaryAeronDirectory(prefix: "stale-check")
            var options = RealAeronMediaDriver.Options()
            options.driverTimeoutMs = 1000
            options.deleteDirectoryOnStart = false
            let first = try RealAeronMediaDriver(directory: directory, options: options)

            let refused = try AeronPeerProcess("driver", directory: directory.path, arguments: options.arguments)
                .waitForExit(timeout: PeerTimeouts.run)
            #expect(!refused.exit.succeeded)
            #expect(refused.stderr.contains("Active media driver detected"))

            try first.kill()
            Thread.sleep(forTimeInterval: 2.0)  // > driver timeout: the killed driver's heartbeat is now stale
            let second = try RealAeronMediaDriver(directory: directory, options: options)
            #expect(second.ready.string("dir") == directory.path)
            try second.stop()
        }
    }
}
