import AeronInteropSupport
import Foundation
import Testing

extension RealAeron {
    /// The benchmark subcommands work (their figures are for side-by-side runs, not asserted here).
    @Suite struct BenchmarkPeers {
        @Test func pingPongReportsRoundTripPercentiles() throws {
            let driver = try RealAeronMediaDriver()
            let pong = try AeronPeerProcess("pong", directory: driver.path, arguments: ["--count", "2200"])
            try pong.waitForEvent("ready", timeout: PeerTimeouts.ready)
            let ping = try AeronPeerProcess.run("ping", directory: driver.path,
                                                arguments: ["--count", "2000", "--warmup", "200"], timeout: PeerTimeouts.run)
            #expect(try pong.waitForSuccess(timeout: PeerTimeouts.run).last("done")?.int("echoed") == 2200)
            let result = try #require(ping.last("result"))
            #expect(result.int("wrong_replies") == 0)
            let rtt = try #require(result["rtt_ns"])
            let p50 = try #require(rtt["p50"]?.int)
            let p99 = try #require(rtt["p99"]?.int)
            let max = try #require(rtt["max"]?.int)
            #expect(p50 > 0 && p50 <= p99 && p99 <= max)
            if ProcessInfo.processInfo.environment["TP_BENCH"] == "1" { print("python ping-pong (C client): \(result)") }
        }

        @Test(arguments: ["exclusive", "concurrent", "claim"])
        func throughputWithAnEmbeddedDriverCountsMessages(pub: String) throws {
            let directory = TemporaryAeronDirectory(prefix: "throughput")
            let run = try AeronPeerProcess.run("throughput", directory: directory.path, arguments: [
                "--embedded-driver", "--secs", "1", "--pub", pub, "--length", "32",
            ], timeout: PeerTimeouts.run)
            let result = try #require(run.last("result"))
            #expect(result.int("received")! > 0)
            #expect(result.int("received")! <= result.int("sent")!)
            if ProcessInfo.processInfo.environment["TP_BENCH"] == "1" { print("python throughput (C client): \(result)") }
        }
    }
}
