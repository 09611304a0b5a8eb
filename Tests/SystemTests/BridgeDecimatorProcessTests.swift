#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Testing
import AeronInteropSupport

/// `tp decimator` and `tp bridge send|receive` as separate processes (content is verified by the in-process
/// TensorPoolTests; here the commands, their wiring and their summaries).
@Suite struct BridgeDecimatorProcessTests {
    @Test func decimatorProcessRepublishesEveryFourthFrame() throws {
        let dirs = WiringDirectories("decimator")
        defer { dirs.remove() }
        let driver = try MultiProcessTests.driver(dirs)
        defer { driver.killNow() }
        let common = ["--aeron-dir", dirs.aeron, "--shm-root", dirs.shm]
        let consumer = try WiringProcess("consumer", arguments: ["consumer"] + common + ["--stream-id", "12", "--count", "25", "--duration", "45", "--quiet", "--verify-republished"])
        defer { consumer.killNow() }
        let decimator = try WiringProcess("decimator", arguments: ["decimator"] + common + ["--stream-id", "11", "--target-stream", "12", "--decimation", "4", "--stride-bytes", "65536", "--duration", "50", "--quiet"])
        defer { decimator.killNow() }
        _ = decimator.waitForLine(timeout: 20) { $0.contains("tp decimator: stream 11") }
        let producer = try WiringProcess("producer", arguments: ["producer"] + common + ["--stream-id", "11", "--rate", "200", "--size", "4096", "--duration", "50", "--quiet"])
        defer { producer.killNow() }

        #expect(consumer.waitForExit(timeout: 55) == 0, "consumer: \(consumer.output)\ndecimator: \(decimator.output)")
        kill(decimator.pid, SIGTERM)
        #expect(decimator.waitForExit(timeout: 15) == 0, "decimator: \(decimator.output)")
        let summary = decimator.summary(prefix: "tp decimator: summary")
        #expect(Int(summary["republished"] ?? "") ?? 0 >= 25, "decimator: \(decimator.output)")
        #expect(summary["aborted"] == "0" && summary["rejected"] == "0")
        let c = consumer.summary(prefix: "tp consumer: summary")
        #expect(Int(c["frames"] ?? "") ?? 0 >= 25 && c["torn"] == "0")
        #expect(c["corrupt"] == "0" && Int(c["verified"] ?? "") ?? 0 >= 25, "republished frames are whole synthetic frames: \(consumer.output)")
    }

    /// Producer → `tp bridge send` → UDP loopback on the real Aeron C driver → `tp bridge receive` → consumer; the
    /// sender is SIGKILLed mid-stream and restarted: frames keep arriving, nothing malformed is ever published.
    @Test func bridgeProcessesOverUDPSurviveASenderKill() throws {
        let cDriver = try RealAeronMediaDriver()
        defer { _ = try? cDriver.stop() }
        let dirs = WiringDirectories("bridge")
        defer { dirs.remove() }
        let common = ["--aeron-dir", cDriver.path, "--shm-root", dirs.shm]
        let channel = "aeron:udp?endpoint=localhost:\(try Self.freeUDPPort())"
        let consumer = try WiringProcess("consumer", arguments: ["consumer"] + common + ["--stream-id", "22", "--count", "60", "--duration", "60", "--verify-republished"])
        defer { consumer.killNow() }
        let receiver = try WiringProcess("receive", arguments: ["bridge", "receive"] + common + ["--stream-id", "22", "--channel", channel, "--source-stream", "21", "--stride-bytes", "2097152", "--duration", "70", "--quiet"])
        defer { receiver.killNow() }
        let senderArgs = ["bridge", "send"] + common + ["--stream-id", "21", "--channel", channel, "--max-frame-bytes", "2097152", "--duration", "70", "--quiet"]
        let first = try WiringProcess("send-1", arguments: senderArgs)
        defer { first.killNow() }
        let producer = try WiringProcess("producer", arguments: ["producer"] + common + ["--stream-id", "21", "--rate", "100", "--size", "1048576", "--duration", "70", "--quiet"])
        defer { producer.killNow() }

        let flowing = consumer.waitForLine(timeout: 30) { (MultiProcessTests.field("frames", in: $0).flatMap(Int.init) ?? 0) >= 15 }
        #expect(flowing != nil, "no frames over the bridge: consumer \(consumer.output)\nsender \(first.output)\nreceiver \(receiver.output)")
        first.killNow()
        let second = try WiringProcess("send-2", arguments: senderArgs)
        defer { second.killNow() }

        #expect(consumer.waitForExit(timeout: 60) == 0, "consumer: \(consumer.output)\nreceiver: \(receiver.output)")
        kill(receiver.pid, SIGTERM)
        #expect(receiver.waitForExit(timeout: 15) == 0, "receiver: \(receiver.output)")
        let r = receiver.summary(prefix: "tp bridge receive: summary")
        #expect(Int(r["frames"] ?? "") ?? 0 >= 60, "receiver: \(receiver.output)")
        #expect(r["malformed"] == "0" && r["invalid_headers"] == "0" && r["rejected"] == "0", "receiver: \(receiver.output)")
        let c = consumer.summary(prefix: "tp consumer: summary")
        #expect(c["torn"] == "0" && c["maps"] == "1", "consumer: \(consumer.output)")
        #expect(c["corrupt"] == "0" && Int(c["verified"] ?? "") ?? 0 >= 60, "bridged frames are whole synthetic frames: \(consumer.output)")
    }

    static func freeUDPPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw SystemTestError("socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        guard bound == 0, named == 0 else { throw SystemTestError("no free UDP port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
