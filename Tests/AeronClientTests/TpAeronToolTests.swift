import Testing
import Foundation
import AeronClient
import AeronInteropSupport

/// `tp aeron` tools against the real C 1.53 driver and real C peers.
@Suite(.serialized) struct TpAeronToolTests {
    /// Runs `tp aeron <arguments>` to completion (bounded) and returns (status, output).
    func tp(_ arguments: [String], timeout: TimeInterval = 60) throws -> (Int32, String) {
        let child = Process()
        child.executableURL = try BuiltProducts.executable(named: "tp")
        child.arguments = ["aeron"] + arguments
        let output = Pipe()
        child.standardOutput = output
        child.standardError = output
        try child.run()
        let text = finish(child, output: output, timeout: timeout)
        return (child.terminationStatus, text)
    }

    /// Waits (bounded) for `child` to exit, stops it at the deadline, and returns what it wrote to `output`.
    func finish(_ child: Process, output: Pipe, timeout: TimeInterval) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while child.isRunning && Date() < deadline { usleep(20_000) }
        if child.isRunning { child.terminate() }
        child.waitUntilExit()
        return String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    @Test func statAndErrorsReadTheRealDriver() throws {
        let driver = try RealAeronMediaDriver()
        let (status, stat) = try tp(["stat", "--dir", driver.path, "--once"])
        #expect(status == 0)
        #expect(stat.contains("Aeron Stat (CnC v0.2.0)"))
        #expect(stat.contains("Bytes sent"))
        #expect(stat.contains("Control protocol version"))
        // Provoke a driver error, then find it in the error log.
        let aeron = try Aeron.connect(ClientTestSupport.context(driver.path))
        _ = try? aeron.addPublication(channel: "aeron:bogus-scheme", streamId: 1)
        aeron.close()
        let (status2, errors) = try tp(["errors", "--dir", driver.path])
        #expect(status2 == 0)
        #expect(errors.contains("invalid"), "\(errors)")
        #expect(errors.contains("distinct errors observed"))
    }

    @Test func statWithoutADriverFailsClearly() throws {
        let directory = TemporaryAeronDirectory()
        let (status, output) = try tp(["stat", "--dir", directory.path, "--once"])
        #expect(status != 0)
        #expect(output.contains("CnC file not created"))
    }

    @Test func cPublisherToTpSub() throws {
        let driver = try RealAeronMediaDriver()
        let child = Process()
        child.executableURL = try BuiltProducts.executable(named: "tp")
        child.arguments = ["aeron", "sub", "--dir", driver.path, "--count", "10000", "--sizes", "0,32,4000", "--timeout-s", "60"]
        let output = Pipe()
        child.standardOutput = output
        try child.run()
        let pub = try AeronPeerProcess("pub", directory: driver.path, arguments: ["--count", "10000", "--sizes", "0,32,4000"])
        let run = try pub.waitForExit(timeout: 60)
        #expect(run.exit.succeeded, "\(run.stderr)")
        let text = finish(child, output: output, timeout: 60)
        #expect(child.terminationStatus == 0, "\(text)")
        #expect(text.contains("done received=10000 errors=0"))
    }

    @Test func tpPubToCSubscriber() throws {
        let driver = try RealAeronMediaDriver()
        let sub = try AeronPeerProcess("sub", directory: driver.path, arguments: ["--count", "10000", "--sizes", "0,32,4000"])
        _ = try sub.waitForEvent("ready", timeout: 30)
        let (status, output) = try tp(["pub", "--dir", driver.path, "--count", "10000", "--sizes", "0,32,4000", "--exclusive"])
        #expect(status == 0, "\(output)")
        let run = try sub.waitForExit(timeout: 60)
        #expect(run.exit.succeeded, "\(run.stderr)")
        #expect(run.last("done")?.int("errors") == 0)
    }

    /// Every idle strategy the pong offers echoes every ping (each changes only what happens between polls).
    @Test(arguments: ["short-spin", "spin", "noop"])
    func tpPongAnswersACPing(idle: String) throws {
        let driver = try RealAeronMediaDriver()
        let pong = Process()
        pong.executableURL = try BuiltProducts.executable(named: "tp")
        pong.arguments = ["aeron", "pong", "--dir", driver.path, "--count", "2000", "--idle", idle]
        let output = Pipe()
        pong.standardOutput = output
        try pong.run()
        defer { if pong.isRunning { pong.terminate() } }
        let ping = try AeronPeerProcess("ping", directory: driver.path, arguments: ["--count", "1000", "--warmup", "1000", "--length", "32"])
        let run = try ping.waitForExit(timeout: 60)
        #expect(run.exit.succeeded, "\(run.stderr)")
        #expect(run.last("result")?.string("kind") == "pingpong")
        let text = finish(pong, output: output, timeout: 30)
        #expect(pong.terminationStatus == 0, "\(text)")
        #expect(text.contains("done echoed=2000"), "\(text)")
    }

    @Test func pongRefusesANegativeSpinCount() throws {
        let (status, output) = try tp(["pong", "--spin-iterations=-1"])
        #expect(status != 0)
        #expect(output.contains("--spin-iterations must be 0 or more"), "\(output)")
    }

    @Test func timedPongReportsWhereItsShareOfTheRoundTripGoes() throws {
        let driver = try RealAeronMediaDriver()
        let pong = Process()
        pong.executableURL = try BuiltProducts.executable(named: "tp")
        pong.arguments = ["aeron", "pong", "--dir", driver.path, "--count", "2000", "--timing"]
        let output = Pipe()
        pong.standardOutput = output
        try pong.run()
        defer { if pong.isRunning { pong.terminate() } }
        let ping = try AeronPeerProcess("ping", directory: driver.path, arguments: ["--count", "1000", "--warmup", "1000", "--length", "32"])
        let run = try ping.waitForExit(timeout: 60)
        #expect(run.exit.succeeded, "\(run.stderr)")
        let text = finish(pong, output: output, timeout: 30)
        #expect(pong.terminationStatus == 0, "\(text)")
        let timing = try #require(text.split(separator: "\n").first { $0.hasPrefix("timing ") }, "\(text)")
        func value(_ key: String) -> Int64? {
            guard let range = timing.range(of: key + "=") else { return nil }
            return Int64(timing[range.upperBound...].prefix { $0.isNumber || $0 == "-" })
        }
        // 2000 echoes, the first 10 % left out as warm-up.
        #expect(value("messages") == 1800, "\(timing)")
        // The ping stamps CLOCK_MONOTONIC before its offer, so the forward hop is positive and, on an idle-free
        // echo loop, far below a second.
        let forward = try #require(value("forward_ns p50"), "\(timing)")
        #expect(forward > 0 && forward < 1_000_000_000, "\(timing)")
        #if arch(x86_64) || arch(arm64)
        let echoCycles = try #require(value("echo_cycles p50"), "\(timing)")
        #expect(echoCycles > 0, "\(timing)")
        #expect(!timing.contains("cycles_per_ns=-"), "\(timing)")
        #endif
    }

    @Test func throughputRolesRunInTwoProcesses() throws {
        let driver = try RealAeronMediaDriver()
        let sub = Process()
        sub.executableURL = try BuiltProducts.executable(named: "tp")
        // The subscriber counts from the moment the publisher's image appears, so the two runs overlap however slowly
        // the second process starts.
        sub.arguments = ["aeron", "throughput", "--dir", driver.path, "--role", "sub", "--secs", "4", "--stream", "4242"]
        let subOutput = Pipe()
        sub.standardOutput = subOutput
        try sub.run()
        defer { if sub.isRunning { sub.terminate() } }
        let (status, pubText) = try tp(["throughput", "--dir", driver.path, "--role", "pub", "--pub", "claim", "--secs", "2",
                                        "--stream", "4242"])
        #expect(status == 0, "\(pubText)")
        let subText = finish(sub, output: subOutput, timeout: 30)
        #expect(sub.terminationStatus == 0, "\(subText)")
        func field(_ name: String, _ text: String) -> Int? {
            guard let line = text.split(separator: "\n").last(where: { $0.hasPrefix("result kind=throughput") }),
                  let entry = line.split(separator: " ").first(where: { $0.hasPrefix("\(name)=") }) else { return nil }
            return Int(entry.dropFirst(name.count + 1))
        }
        #expect(pubText.contains("role=pub") && subText.contains("role=sub"))
        #expect((field("sent", pubText) ?? 0) > 0, "\(pubText)")
        #expect((field("received", subText) ?? 0) > 0, "\(subText)")
    }

    /// `--pin-publisher` / `--pin-subscriber` put the two loops where asked (the result line reports the CPU each
    /// loop ended on), and a CPU the machine does not have is refused before anything starts.
    @Test func throughputPinsItsThreads() throws {
        let driver = try RealAeronMediaDriver()
        let last = Int32(ProcessInfo.processInfo.activeProcessorCount - 1)
        let (status, text) = try tp(["throughput", "--dir", driver.path, "--pub", "claim", "--secs", "2", "--stream", "4243",
                                     "--pin-publisher", "\(last)", "--pin-subscriber", "0"])
        #expect(status == 0, "\(text)")
        #expect(text.contains("publisher_cpu=\(last) subscriber_cpu=0"), "\(text)")
        #expect(!text.contains("could not pin"), "\(text)")
        let (refused, refusal) = try tp(["throughput", "--dir", driver.path, "--pin-subscriber", "\(last + 1)"])
        #expect(refused != 0)
        #expect(refusal.contains("--pin-subscriber \(last + 1): this machine has CPUs 0...\(last)"), "\(refusal)")
    }
}
