#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Testing
import AeronInteropSupport

/// `tp bench frames` end to end with the smallest configuration: separate producer and consumer processes on the
/// embedded driver, the JSON report has its keys and the case moved frames. Not a timing assertion.
@Suite struct BenchFramesSystemTests {
    @Test func minimalBenchWritesJSONWithFrames() throws {
        let json = NSTemporaryDirectory() + "tp-bench-frames-test-\(getpid())-\(UInt32.random(in: 0..<UInt32.max)).json"
        defer { try? FileManager.default.removeItem(atPath: json) }
        let bench = try WiringProcess("bench", arguments: [
            "bench", "frames", "--sizes", "64k", "--consumers", "1", "--modes", "copy", "--reads", "full",
            "--seconds", "1", "--warmup", "0.3", "--nslots", "16", "--no-c-prototype", "--json", json,
        ])
        let status = bench.waitForExit(timeout: 120)
        try #require(status == 0, "tp bench frames failed (\(String(describing: status))): \(bench.output.suffix(1500))")
        let data = try Data(contentsOf: URL(fileURLWithPath: json))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["cases", "references", "ratios", "loadAverageBefore", "loadAverageAfter", "driver", "nproc"] {
            #expect(root[key] != nil, "missing key \(key)")
        }
        let cases = try #require(root["cases"] as? [[String: Any]])
        try #require(cases.count == 1)
        let only = cases[0]
        for key in ["framesPerSecond", "gibPerSecond", "latencyNs", "producerCpuNsPerFrame", "consumerCpuNsPerFrameMax",
                    "producerMaxRssKiB", "consumerMaxRssKiBMax", "consumerDrops", "producer", "consumerResults"] {
            #expect(only[key] != nil, "missing case key \(key)")
        }
        #expect((only["bytes"] as? Int) == 65536)
        let producer = try #require(only["producer"] as? [String: Any])
        #expect(((producer["frames"] as? NSNumber)?.uint64Value ?? 0) > 0, "producer published nothing in the window")
        let consumers = try #require(only["consumerResults"] as? [[String: Any]])
        #expect(consumers.count == 1)
        #expect(((consumers.first?["delivered"] as? NSNumber)?.uint64Value ?? 0) > 0, "consumer received nothing")
        let latency = try #require(only["latencyNs"] as? [String: Any])
        for key in ["p50", "p99", "p999", "max", "count"] { #expect(latency[key] != nil, "missing latency key \(key)") }
        let references = try #require(root["references"] as? [String: Any])
        #expect(references["memcpyGiBps"] != nil && references["cacheLineRoundTripNs"] != nil)
        #expect(only["descriptorLatencyNs"] != nil, "missing descriptor latency")
        #expect(consumers.first?["idleLoopNs"] != nil, "missing consumer idle loop period")
        #expect((root["acks"] as? String) == "board")
    }

    /// Closed flow released over Aeron (as the C prototype does): the producer only advances when the consumer's
    /// release messages arrive, so frames flowing and no flow-control timeouts show the release stream works.
    @Test func closedFlowOverAeronReleasesMovesFrames() throws {
        let json = NSTemporaryDirectory() + "tp-bench-frames-acks-\(getpid())-\(UInt32.random(in: 0..<UInt32.max)).json"
        defer { try? FileManager.default.removeItem(atPath: json) }
        let bench = try WiringProcess("bench-acks", arguments: [
            "bench", "frames", "--sizes", "64k", "--consumers", "2", "--modes", "copy", "--reads", "full",
            "--seconds", "1", "--warmup", "0.3", "--nslots", "4", "--acks", "aeron", "--no-c-prototype", "--json", json,
        ])
        let status = bench.waitForExit(timeout: 120)
        try #require(status == 0, "tp bench frames failed (\(String(describing: status))): \(bench.output.suffix(1500))")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        #expect((root["acks"] as? String) == "aeron")
        let only = try #require((root["cases"] as? [[String: Any]])?.first)
        let producer = try #require(only["producer"] as? [String: Any])
        let drops = producer["drops"] as? [String: Any] ?? [:]
        #expect(((producer["frames"] as? NSNumber)?.uint64Value ?? 0) > 1000, "producer barely advanced: \(producer)")
        // A connection still being set up at start may cost a timeout or two; lost releases would cost one per frame.
        #expect(((drops["flow_wait_timeouts"] as? NSNumber)?.intValue ?? 0) <= 2, "releases did not reach the producer: \(drops)")
        let consumers = try #require(only["consumerResults"] as? [[String: Any]])
        #expect(consumers.count == 2)
        for consumer in consumers { #expect(((consumer["delivered"] as? NSNumber)?.uint64Value ?? 0) > 1000) }
    }

    /// `--hugetlbfs`: regions on a real hugetlbfs mount (producer and consumer processes), and a directory that is
    /// not hugetlbfs refused up front.
    @Test(.enabled(if: HugetlbfsDirectory.isEnabled, "TP_HUGETLBFS_DIR=off"))
    func benchRunsOnHugetlbfs() throws {
        let mount = try HugetlbfsDirectory("tp-bench")
        let json = NSTemporaryDirectory() + "tp-bench-frames-huge-\(getpid())-\(UInt32.random(in: 0..<UInt32.max)).json"
        defer { try? FileManager.default.removeItem(atPath: json) }
        let bench = try WiringProcess("bench-huge", arguments: [
            "bench", "frames", "--sizes", "64k", "--consumers", "1", "--modes", "copy", "--reads", "full",
            "--seconds", "1", "--warmup", "0.3", "--nslots", "4", "--no-c-prototype", "--hugetlbfs", mount.path, "--json", json,
        ])
        let status = bench.waitForExit(timeout: 120)
        try #require(status == 0, "tp bench frames failed (\(String(describing: status))): \(bench.output.suffix(1500))")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        #expect((root["hugetlbfs"] as? String) == mount.path)
        let only = try #require((root["cases"] as? [[String: Any]])?.first)
        let consumers = try #require(only["consumerResults"] as? [[String: Any]])
        #expect(((consumers.first?["delivered"] as? NSNumber)?.uint64Value ?? 0) > 1000, "\(consumers)")
        // Nothing of the run is left: neither the regions nor the epoch files kept outside hugetlbfs.
        #expect((try? FileManager.default.contentsOfDirectory(atPath: mount.path)) == [])
        let epochs = (try? FileManager.default.contentsOfDirectory(atPath: "/dev/shm/tp-epochs")) ?? []
        let flattened = mount.path.split(separator: "/").joined(separator: "_")
        #expect(!epochs.contains { $0.hasPrefix(flattened) }, "\(epochs)")

        let refused = try WiringProcess("bench-not-huge", arguments: ["bench", "frames", "--quick", "--hugetlbfs", "/dev/shm"])
        #expect(refused.waitForExit(timeout: 30) != 0)
        #expect(refused.output.contains("is not a hugetlbfs directory"), "\(refused.output.suffix(500))")
    }

    /// `tp bench placement --quiet` prints one positive number of nanoseconds; bad counts are refused.
    @Test func placementProbePrintsNanoseconds() throws {
        let probe = try WiringProcess("placement", arguments: ["bench", "placement", "--quiet", "--runs", "1", "--round-trips", "2000"])
        try #require(probe.waitForExit(timeout: 30) == 0, "\(probe.output.suffix(500))")
        let lines = probe.output.split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines.count == 1 && (Int(lines.first ?? "") ?? 0) > 0, "\(probe.output)")
        let refused = try WiringProcess("placement-bad", arguments: ["bench", "placement", "--runs", "0"])
        #expect(refused.waitForExit(timeout: 30) != 0)
        #expect(refused.output.contains("must be positive"), "\(refused.output.suffix(300))")
    }
}
