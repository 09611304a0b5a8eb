import Foundation
import Testing

/// `tp driver`, `tp producer` and `tp consumer --verify` as separate processes.
@Suite(.serialized) struct MultiProcessTests {
    static func driver(_ dirs: WiringDirectories) throws -> WiringProcess {
        let driver = try WiringProcess("driver", arguments: ["driver", "--dir", dirs.aeron, "--term-length", "4m"])
        guard driver.waitForLine(timeout: 30, { $0.contains("tp driver: ready") }) != nil else {
            throw SystemTestError("driver did not start: \(driver.output)")
        }
        return driver
    }

    @Test func producerAndTwoVerifyingConsumersInSeparateProcesses() throws {
        let dirs = WiringDirectories("multi")
        defer { dirs.remove() }
        let driver = try Self.driver(dirs)
        defer { driver.killNow() }
        let common = ["--aeron-dir", dirs.aeron, "--shm-root", dirs.shm, "--stream-id", "7"]
        let stream = try WiringProcess("stream", arguments: ["consumer"] + common + ["--mode", "stream", "--verify", "--count", "300", "--duration", "45", "--consumer-id", "1"])
        defer { stream.killNow() }
        let latest = try WiringProcess("latest", arguments: ["consumer"] + common + ["--mode", "latest", "--verify", "--count", "40", "--duration", "45", "--consumer-id", "2"])
        defer { latest.killNow() }
        let producer = try WiringProcess("producer", arguments: ["producer"] + common + ["--rate", "200", "--size", "65536", "--duration", "50", "--quiet",
                                                                                        "--meta", "camera=cam-0", "--meta", "lens=wide"])
        defer { producer.killNow() }

        let streamExit = stream.waitForExit(timeout: 55)
        let latestExit = latest.waitForExit(timeout: 10)
        #expect(streamExit == 0, "stream consumer: \(stream.output)\nproducer: \(producer.output)")
        #expect(latestExit == 0, "latest consumer: \(latest.output)")
        let s = stream.summary(prefix: "tp consumer: summary")
        let l = latest.summary(prefix: "tp consumer: summary")
        #expect(Int(s["verified"] ?? "") ?? 0 >= 300)
        #expect(s["corrupt"] == "0")
        #expect(Int(l["verified"] ?? "") ?? 0 >= 40)
        #expect(l["corrupt"] == "0")
        // The producer's --meta attributes reached both consumers (DataSourceMeta on the metadata stream).
        #expect(stream.output.contains(": camera, lens"), "stream consumer: \(stream.output)")
        #expect(latest.output.contains(": camera, lens"), "latest consumer: \(latest.output)")
    }

    /// The producer is SIGKILLed mid-stream and restarted: the consumer drops the in-flight frames, remaps to the
    /// new (strictly greater) epoch and resumes; no corrupt (torn) frame is ever accepted.
    @Test func producerKilledAndRestartedConsumerRemapsToNewEpoch() throws {
        let dirs = WiringDirectories("fault")
        defer { dirs.remove() }
        let driver = try Self.driver(dirs)
        defer { driver.killNow() }
        let common = ["--aeron-dir", dirs.aeron, "--shm-root", dirs.shm, "--stream-id", "9"]
        let consumer = try WiringProcess("consumer", arguments: ["consumer"] + common + ["--mode", "stream", "--verify", "--duration", "22", "--consumer-id", "5"])
        defer { consumer.killNow() }
        let producerArgs = ["producer"] + common + ["--rate", "1000", "--size", "131072", "--nslots", "16", "--duration", "40", "--quiet"]
        let first = try WiringProcess("producer-1", arguments: producerArgs)
        defer { first.killNow() }
        let firstEpochLine = first.waitForLine(timeout: 20) { $0.contains("tp producer: stream 9 epoch") }
        let firstEpoch = try #require(firstEpochLine.flatMap(Self.epoch(in:)))
        // Wait for frames to flow, then kill the producer in the middle of the stream.
        let flowing = consumer.waitForLine(timeout: 20) { line in
            guard let frames = Self.field("frames", in: line), let n = Int(frames) else { return false }
            return n > 100
        }
        #expect(flowing != nil, "no frames: \(consumer.output)")
        first.killNow()

        let second = try WiringProcess("producer-2", arguments: producerArgs)
        defer { second.killNow() }
        let secondEpochLine = second.waitForLine(timeout: 20) { $0.contains("tp producer: stream 9 epoch") }
        let secondEpoch = try #require(secondEpochLine.flatMap(Self.epoch(in:)))
        #expect(secondEpoch > firstEpoch)
        let remapped = consumer.waitForLine(timeout: 20) { $0.contains("mapped epoch \(secondEpoch)") }
        #expect(remapped != nil, "consumer did not remap: \(consumer.output)")
        // Frames of the new epoch arrive.
        let resumed = consumer.waitForLine(timeout: 20) { line in
            line.contains("epoch=\(secondEpoch)") && (Self.field("frames", in: line).flatMap(Int.init) ?? 0) > 200
        }
        #expect(resumed != nil)
        // Everything is proven once frames of the new epoch flow: stop the consumer (SIGTERM is its clean exit,
        // with the summary) instead of waiting out its --duration, which only bounds a hung run.
        kill(consumer.pid, SIGTERM)
        #expect(consumer.waitForExit(timeout: 30) == 0, "\(consumer.output)")
        let summary = consumer.summary(prefix: "tp consumer: summary")
        #expect(summary["corrupt"] == "0", "\(consumer.output)")
        #expect(summary["epochs"] == "\(firstEpoch),\(secondEpoch)")
        #expect(Int(summary["unmaps"] ?? "") ?? 0 >= 1)
        #expect(!consumer.lines.contains { $0.contains("corrupt=") && !$0.contains("corrupt=0") })
    }

    /// `tp demo` end to end: embedded driver, producer, STREAM + LATEST consumers, supervisor; live lines and a
    /// summary with every accepted frame verified.
    @Test func demoRunsAndVerifiesEveryFrame() throws {
        let demo = try WiringProcess("demo", arguments: ["demo", "--duration", "3", "--rate", "200", "--shape", "64x64"])
        defer { demo.killNow() }
        #expect(demo.waitForExit(timeout: 40) == 0, "\(demo.output)")
        let lines = demo.lines
        #expect(lines.contains { $0.hasPrefix("[") && $0.contains("fr/s") && $0.contains("MiB/s") && $0.contains("lat avg") })
        let stream = try #require(lines.first { $0.hasPrefix("tp demo: STREAM: accepted") })
        #expect(stream.contains("corrupt 0"))
        #expect(!stream.contains("accepted 0 "))
        let latest = try #require(lines.first { $0.hasPrefix("tp demo: LATEST: accepted") })
        #expect(latest.contains("corrupt 0"))
        #expect(lines.contains { $0.hasPrefix("tp demo: supervisor: producers 1/1 live") })
    }

    static func epoch(in line: String) -> UInt64? {
        guard let range = line.range(of: "epoch ") else { return nil }
        return UInt64(line[range.upperBound...].prefix { $0.isNumber })
    }

    static func field(_ name: String, in line: String) -> String? {
        for token in line.split(separator: " ") where token.hasPrefix(name + "=") {
            return String(token.dropFirst(name.count + 1))
        }
        return nil
    }
}

struct SystemTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
