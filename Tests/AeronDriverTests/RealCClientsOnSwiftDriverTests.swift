import Foundation
import Testing
import AeronInteropSupport
import AeronConcurrent
@testable import AeronDriver

/// Real Aeron C 1.53 client processes (the pyaeron wheel driven by Tests/Interop/aeron_peer.py) against the
/// Swift driver launched in this process. Serialized: each test runs several peer processes on a 2-core box.
@Suite(.serialized)
struct RealCClientsOnSwiftDriverTests {
    /// Empty to 64 KiB, around frame alignment and the IPC MTU (payloads > 1376 bytes are fragmented).
    static let sizesUpTo64KiB = [0, 1, 7, 8, 9, 31, 32, 33, 100, 1000, 1375, 1376, 1377, 1408, 2800, 4097, 65_536]
    static let smallSizes = [0, 8, 32, 33, 100]

    static func launchDriver(_ configure: (inout MediaDriverContext) -> Void = { _ in }) throws -> MediaDriver {
        var context = testContext()
        context.ipcTermLength = 1 << 20
        context.initialSessionId = nil
        configure(&context)
        return try MediaDriver.launch(context)
    }

    static func publishAndVerify(count: Int, sizes: [Int], flags: [String], stream: Int32, driver: MediaDriver) throws {
        let sizeList = sizes.map(String.init).joined(separator: ",")
        let sub = try AeronPeerProcess("sub", directory: driver.aeronDirectory, arguments: [
            "--stream", "\(stream)", "--count", "\(count)", "--sizes", sizeList, "--timeout-s", "100",
        ])
        try sub.waitForEvent("ready", timeout: 30)
        let pub = try AeronPeerProcess("pub", directory: driver.aeronDirectory, arguments: [
            "--stream", "\(stream)", "--count", "\(count)", "--sizes", sizeList, "--timeout-s", "100",
        ] + flags)
        let pubRun = try pub.waitForSuccess(timeout: 120)
        let subRun = try sub.waitForSuccess(timeout: 120)
        #expect(pubRun.last("done")?.int("sent") == Int64(count))
        let done = try #require(subRun.last("done"))
        #expect(done.int("received") == Int64(count))
        #expect(done.int("errors") == 0)
        #expect(subRun.all("mismatch").isEmpty)
    }

    @Test(arguments: [[String](), ["--exclusive"]])
    func cPublicationToCSubscriptionUpTo64KiB(flags: [String]) throws {
        let driver = try Self.launchDriver()
        defer { driver.close() }
        try Self.publishAndVerify(count: 20_000, sizes: Self.sizesUpTo64KiB, flags: flags, stream: 1001, driver: driver)
        #expect(driver.errorLogEntries.isEmpty, "\(driver.errorLogEntries)")
    }

    @Test(arguments: [[String](), ["--exclusive"]])
    func cPublicationToCSubscriptionOneMillionSmallMessages(flags: [String]) throws {
        let driver = try Self.launchDriver { $0.ipcTermLength = 64 * 1024 }
        defer { driver.close() }
        try Self.publishAndVerify(count: 1_000_000, sizes: Self.smallSizes, flags: flags, stream: 1002, driver: driver)
    }

    @Test func unsupportedChannelErrorReachesTheRealClient() throws {
        let driver = try Self.launchDriver()
        defer { driver.close() }
        let run = try AeronPeerProcess.run("add-pub-expect-error", directory: driver.aeronDirectory,
                                           arguments: ["--channel", "aeron:udp?endpoint=localhost:40123", "--timeout-s", "10"], timeout: 60)
        #expect(run.exit.succeeded, "\(run.events) \(run.stderr)")
        let error = try #require(run.last("error"))
        #expect(error.string("errmsg")?.contains("run the Aeron C or Java media driver for network channels") == true, "\(error)")
        let sub = try AeronPeerProcess.run("add-sub-expect-error", directory: driver.aeronDirectory,
                                           arguments: ["--channel", "aeron:ipc?no-such-param=1", "--timeout-s", "10"], timeout: 60)
        #expect(sub.exit.succeeded, "\(sub.events) \(sub.stderr)")
        #expect(sub.last("error")?.string("errmsg")?.contains("no-such-param") == true)
    }

    @Test func realCountersReaderSeesSystemCountersAndPositions() throws {
        let driver = try Self.launchDriver()
        defer { driver.close() }
        let sub = try AeronPeerProcess("sub", directory: driver.aeronDirectory, arguments: ["--stream", "77", "--count", "1000000", "--timeout-s", "60"])
        try sub.waitForEvent("ready", timeout: 30)
        let pub = try AeronPeerProcess("pub", directory: driver.aeronDirectory, arguments: ["--stream", "77", "--count", "10", "--linger-s", "30", "--timeout-s", "60"])
        _ = try pub.waitForEvent("done", timeout: 60)
        // Clients append " name=… version=…" to their heartbeat label on a keepalive tick (500 ms): poll for it.
        var counters: [PeerEvent] = []
        let deadline = ContinuousClock.now + .seconds(15)
        repeat {
            let run = try AeronPeerProcess.run("counters", directory: driver.aeronDirectory, timeout: 60)
            #expect(run.exit.succeeded, "\(run.stderr)")
            counters = run.all("counter")
            if counters.contains(where: { $0.int("type_id") == 11 && $0.string("label")?.contains("version=") == true }) { break }
            usleep(200_000)
        } while ContinuousClock.now < deadline
        func counter(_ id: Int64) -> PeerEvent? { counters.first { $0.int("id") == id } }
        #expect(counter(43)?.int("value") == 65536)
        #expect(counter(43)?.string("label") == "Control protocol version")
        #expect(counter(34)?.int("value") == 79104)
        #expect(counter(15)?.string("label")?.hasPrefix("Errors") == true)
        #expect(counter(0)?.string("label") == "Bytes sent")
        for id in Int64(0)...45 { #expect(counter(id)?.int("type_id") == 0) }
        let heartbeats = counters.filter { $0.int("type_id") == 11 }
        #expect(heartbeats.count >= 2)
        #expect(heartbeats.allSatisfy { $0.string("label")?.hasPrefix("client-heartbeat: id=") == true })
        // The real client appended its name and version to its heartbeat label.
        #expect(heartbeats.contains { $0.string("label")?.contains("version=") == true }, "\(heartbeats.map { $0.string("label") ?? "" })")
        let limit = try #require(counters.first { $0.int("type_id") == 1 })
        #expect(limit.string("label")?.hasPrefix("pub-lmt: ") == true)
        #expect(limit.string("label")?.hasSuffix(" 77 aeron:ipc") == true)
        let subPos = try #require(counters.first { $0.int("type_id") == 4 })
        #expect(subPos.string("label")?.hasPrefix("sub-pos: ") == true)
        #expect(subPos.int("reference_id") == limit.int("registration_id"))
        #expect(counters.contains { $0.int("type_id") == 12 && $0.string("label")?.hasPrefix("pub-pos (concurrent): ") == true })
        pub.terminate()
        sub.terminate()
    }

    @Test func aKilledClientIsReleasedWithinTheLivenessTimeoutAndOthersKeepWorking() throws {
        let driver = try Self.launchDriver {
            $0.clientLivenessTimeoutNs = 2_000_000_000
            $0.timerIntervalNs = 100_000_000
        }
        defer { driver.close() }
        let dir = driver.aeronDirectory
        // Survivor: a subscription expecting 20 messages in total; victim: a publication holding 10 of them.
        let survivor = try AeronPeerProcess("sub", directory: dir, arguments: ["--stream", "55", "--count", "20", "--timeout-s", "100"])
        try survivor.waitForEvent("ready", timeout: 30)
        let victim = try AeronPeerProcess("pub", directory: dir, arguments: ["--stream", "55", "--count", "10", "--linger-s", "100", "--timeout-s", "120"])
        _ = try victim.waitForEvent("done", timeout: 60)
        #expect(driver.clientCount == 2)
        #expect(driver.publicationCount == 1)
        let reader = driver.countersReader
        let victimHeartbeats = (0...reader.maxCounterId).filter { reader.state($0) == .allocated && reader.typeId($0) == 11 }
        #expect(victimHeartbeats.count == 2)
        let limitId = try #require((0...reader.maxCounterId).first { reader.state($0) == .allocated && reader.typeId($0) == 1 })

        victim.kill()
        let killedAt = ContinuousClock.now
        let deadline = killedAt + .seconds(20)
        while ContinuousClock.now < deadline && (driver.clientCount > 1 || driver.publicationCount > 0) { usleep(20_000) }
        let releasedAfter = ContinuousClock.now - killedAt
        #expect(driver.clientCount == 1, "the killed client is gone")
        #expect(driver.publicationCount == 0, "its publication is released")
        // Nominally liveness (2 s) + one timer tick (0.1 s) + the client's keepalive period (0.5 s); the bound is
        // generous for a loaded machine but still far below what a missed timeout path would take (never).
        print("killed client released after \(releasedAfter) (liveness timeout 2 s)")
        #expect(releasedAfter < .seconds(10), "released after \(releasedAfter)")
        #expect(reader.state(limitId) == .reclaimed)
        #expect(reader.value(SystemCounters.clientTimeouts) == 1)
        let remainingHeartbeats = (0...reader.maxCounterId).filter { reader.state($0) == .allocated && reader.typeId($0) == 11 }
        #expect(remainingHeartbeats.count == 1, "only the survivor's heartbeat remains")

        // The survivor client was not disturbed (still running, still registered), and the driver keeps serving
        // new clients: a fresh publisher/subscriber pair exchanges verified messages.
        #expect(survivor.isRunning)
        let second = try AeronPeerProcess("sub", directory: dir, arguments: ["--stream", "56", "--count", "100", "--timeout-s", "60"])
        try second.waitForEvent("ready", timeout: 30)
        try AeronPeerProcess.run("pub", directory: dir, arguments: ["--stream", "56", "--count", "100"], timeout: 60)
        let run = try second.waitForSuccess(timeout: 60)
        #expect(run.last("done")?.int("received") == 100)
        survivor.terminate()
    }
}
