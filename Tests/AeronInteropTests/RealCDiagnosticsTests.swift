import AeronInteropSupport
import Foundation
import Testing

extension RealAeron {
    @Suite struct RealCDiagnostics {
        @Test func countersListingContainsTheSystemCounters() throws {
            let driver = try RealAeronMediaDriver()
            let run = try AeronPeerProcess.run("counters", directory: driver.path, timeout: PeerTimeouts.run)
            let counters = run.all("counter")
            #expect(run.last("done")?.int("counters") == Int64(counters.count))
            let labels = Set(counters.compactMap { $0.string("label") })
            for expected in ["Bytes sent", "Bytes received", "Client liveness timeouts", "Unblocked Publications"] {
                #expect(labels.contains(expected), "missing system counter \(expected)")
            }
            #expect(counters.contains { $0.string("label")?.hasPrefix("Errors") == true })
            // System counters have type id 0 and ids from 0 up.
            #expect(counters.first?.int("id") == 0)
            #expect(counters.filter { $0.int("type_id") == 0 }.count >= 25)
        }

        @Test func countersListingShowsLivePublicationAndSubscriptionPositions() throws {
            let driver = try RealAeronMediaDriver()
            let sub = try AeronPeerProcess("sub", directory: driver.path, arguments: ["--count", "2", "--timeout-s", "60"])
            try sub.waitForEvent("ready", timeout: PeerTimeouts.ready)
            let pub = try AeronPeerProcess("pub", directory: driver.path, arguments: ["--count", "1", "--linger-s", "60"])
            try pub.waitForEvent("done", timeout: PeerTimeouts.run)
            try sub.waitForEvent("connected", timeout: PeerTimeouts.run)
            let counters = try driver.counters()
            // Aeron counter type ids: 1 publisher limit, 4 subscriber position, 12 publisher position.
            let pubPos = try #require(counters.first { $0.int("type_id") == 12 })
            #expect(pubPos.string("label")?.hasPrefix("pub-pos (concurrent):") == true)
            #expect(pubPos.string("label")?.hasSuffix("1001 aeron:ipc") == true)
            #expect((pubPos.int("value") ?? 0) > 0)
            #expect(counters.contains { $0.int("type_id") == 1 && $0.string("label")?.hasPrefix("pub-lmt") == true })
            #expect(counters.contains { $0.int("type_id") == 4 && $0.string("label")?.hasPrefix("sub-pos") == true })
            pub.kill()
            sub.kill()
        }

        @Test(arguments: ["add-pub-expect-error", "add-sub-expect-error"])
        func invalidChannelIsRejectedWithCodeAndMessage(subcommand: String) throws {
            let driver = try RealAeronMediaDriver()
            let run = try AeronPeerProcess.run(subcommand, directory: driver.path,
                                               arguments: ["--channel", "aeron:bogus", "--stream", "7"], timeout: PeerTimeouts.run)
            let error = try #require(run.last("error"))
            #expect(error.int("errcode") != 0)
            let message = error.string("errmsg") ?? ""
            #expect(message.contains("invalid channel") || message.contains("aeron:bogus"), "\(message)")
            #expect(run.last("unexpected_success") == nil)
        }

        @Test func validChannelIsAnUnexpectedSuccess() throws {
            let driver = try RealAeronMediaDriver()
            let run = try AeronPeerProcess("add-pub-expect-error", directory: driver.path, arguments: ["--channel", "aeron:ipc"])
                .waitForExit(timeout: PeerTimeouts.run)
            #expect(run.exit == PeerExit(status: 1, signaled: false))
            #expect(run.last("unexpected_success") != nil)
        }

        @Test func cncHeaderAndLivenessAsTheCLibrarySeesThem() throws {
            var options = RealAeronMediaDriver.Options()
            options.clientLivenessTimeoutNs = 7_000_000_000
            let driver = try RealAeronMediaDriver(options: options)
            let live = try AeronPeerProcess.run("cnc", directory: driver.path, arguments: ["--connect"], timeout: PeerTimeouts.run)
            let cnc = try #require(live.last("cnc"))
            #expect(cnc.string("cnc_version_text") == "0.2.0")
            #expect(cnc.int("pid") == driver.ready.int("pid"))
            #expect(cnc.int("client_liveness_timeout_ns") == 7_000_000_000)
            let buffers = ["to_driver_buffer_length", "to_clients_buffer_length", "counter_metadata_buffer_length",
                           "counter_values_buffer_length", "error_log_buffer_length"].compactMap { cnc.int($0) }
            try #require(buffers.count == 5)
            #expect(cnc.int("file_length")! >= 128 + buffers.reduce(0, +))
            #expect(live.last("driver_active")?.bool("active") == true)
            #expect(live.last("client")?.int("client_id") != nil)

            try driver.kill()
            Thread.sleep(forTimeInterval: 1.5)  // > the 500 ms activity window below
            let dead = try AeronPeerProcess.run("cnc", directory: driver.path, arguments: ["--active-timeout-ms", "500"],
                                                timeout: PeerTimeouts.run)
            #expect(dead.last("driver_active")?.bool("active") == false)
        }

        @Test func clientWithoutADriverFailsWithTheCDriverTimeout() throws {
            let nowhere = TemporaryAeronDirectory(prefix: "no-driver")
            let run = try AeronPeerProcess("counters", directory: nowhere.path, arguments: ["--client-timeout-ms", "300"])
                .waitForExit(timeout: PeerTimeouts.run)
            #expect(run.exit == PeerExit(status: 2, signaled: false))
            #expect(run.stderr.contains("driver timeout"))
            let error = #expect(throws: InteropError.self) {
                try AeronPeerProcess.run("counters", directory: nowhere.path, arguments: ["--client-timeout-ms", "300"],
                                         timeout: PeerTimeouts.run)
            }
            #expect(error?.description.contains("driver timeout") == true)
        }

        @Test func driverErrorLogRecordsTheRejectedChannel() throws {
            let driver = try RealAeronMediaDriver()
            let before = try AeronPeerProcess.run("errors", directory: driver.path, timeout: PeerTimeouts.run)
            #expect(before.last("done")?.int("errors") == 0)
            #expect(try driver.errorLog().isEmpty)
            try AeronPeerProcess.run("add-pub-expect-error", directory: driver.path,
                                     arguments: ["--channel", "aeron:bogus"], timeout: PeerTimeouts.run)
            let after = try AeronPeerProcess.run("errors", directory: driver.path, timeout: PeerTimeouts.run)
            #expect(after.last("done")?.int("errors") == 1)
            #expect(after.all("error").first?.string("message")?.contains("aeron:bogus") == true)
            #expect(try driver.errorLog().count == 1)
        }
    }
}
