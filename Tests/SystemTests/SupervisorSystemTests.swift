import Testing
import Foundation
import AeronClient
import AeronDriver
import AeronInteropSupport
import TensorPoolCore
@testable import TensorPool
#if canImport(Glibc)
import Glibc
import Synchronization
#endif

@Suite("Supervisor tools as processes")
struct SupervisorSystemTests {
    @Test("tp send-consumer-config: a subscriber in the test decodes the ConsumerConfig")
    func sendConsumerConfig() throws {
        let driver = try launchEmbeddedDriver()
        defer { driver.close() }
        let aeron = try connectClient(driver.aeronDirectory)
        defer { aeron.close() }
        let listener = try ControlPlane(aeron: aeron, endpoint: endpoint(driver.aeronDirectory), roleName: "listener",
                                        publishing: [], subscribing: [.control], logSink: .discard)
        defer { listener.close() }
        let child = try TPChild(["send-consumer-config", "--aeron-dir", driver.aeronDirectory, "--stream", "5",
                                 "--consumer", "9", "--mode", "decimated", "--decimation", "3", "--use-shm", "false",
                                 "--fallback-uri", "aeron:udp?endpoint=localhost:40123", "--timeout", "20"])
        #expect(child.waitForExit() == 0, "\(child.lines)")
        #expect(child.lines.contains { $0.contains("sent stream=5 consumer=9 mode=decimated decimation=3 use_shm=false") })
        var collector = ReceivedConsumerConfigs()
        #expect(eventuallyTrue { _ = listener.poll(&collector, nowNs: 0); return !collector.received.isEmpty })
        #expect(collector.received.first == ConsumerConfigCommand(streamId: 5, consumerId: 9, useShm: false, mode: .decimated,
                                                                  decimation: 3, payloadFallbackUri: "aeron:udp?endpoint=localhost:40123"))
    }

    @Test("tp send-consumer-config rejects a bad mode and fails without a subscriber")
    func sendConsumerConfigErrors() throws {
        let driver = try launchEmbeddedDriver()
        defer { driver.close() }
        let bad = try TPChild(["send-consumer-config", "--aeron-dir", driver.aeronDirectory, "--stream", "1",
                               "--consumer", "1", "--mode", "sideways"])
        #expect(bad.waitForExit() != 0)
        #expect(bad.lines.contains { $0.contains("unknown --mode sideways") })
        let lonely = try TPChild(["send-consumer-config", "--aeron-dir", driver.aeronDirectory, "--stream", "1",
                                  "--consumer", "1", "--mode", "latest", "--timeout", "0.5"])
        #expect(lonely.waitForExit() == 1)
        #expect(lonely.lines.contains { $0.contains("not sent") })
    }

    @Test("tp clean removes a killed producer's regions and keeps a live one")
    func clean() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = ["60"]
        try sleeper.run()
        let deadPid = UInt64(sleeper.processIdentifier)
        let now = TensorPoolClock.monotonicNs()
        let stale = now > 60_000_000_000 ? now - 60_000_000_000 : 1
        let deadSet = try RegionSet.create(.init(root: root, streamId: 11, epoch: 4, nslots: 16,
                                                 pools: [.init(poolId: 1, strideBytes: 4096)], unlinkOnClose: false),
                                           pid: deadPid, nowNs: stale)
        let liveSet = try RegionSet.create(.init(root: root, streamId: 12, epoch: 4, nslots: 16,
                                                 pools: [.init(poolId: 1, strideBytes: 4096)], unlinkOnClose: false),
                                           pid: UInt64(getpid()), nowNs: stale)
        // While the producer process lives, nothing is removed.
        let early = try TPChild(["clean", "--root", root])
        #expect(early.waitForExit() == 0)
        #expect(early.lines.contains { $0.contains("kept: \(deadSet.headerRing.path): producer pid \(deadPid) is alive") }, "\(early.lines)")
        #expect(FileManager.default.fileExists(atPath: deadSet.headerRing.path))

        kill(sleeper.processIdentifier, SIGKILL)
        sleeper.waitUntilExit()
        let dry = try TPChild(["clean", "--root", root, "--dry-run"])
        #expect(dry.waitForExit() == 0)
        #expect(dry.lines.contains { $0.contains("would remove: \(deadSet.headerRing.path)") })
        #expect(FileManager.default.fileExists(atPath: deadSet.headerRing.path))

        let child = try TPChild(["clean", "--root", root])
        #expect(child.waitForExit() == 0, "\(child.lines)")
        #expect(child.lines.contains { $0.contains("removed: \(deadSet.headerRing.path): producer pid \(deadPid) is gone (ESRCH)") }, "\(child.lines)")
        #expect(child.lines.contains { $0.contains("kept: \(liveSet.headerRing.path): producer pid \(getpid()) is alive") })
        #expect(child.lines.contains { $0.contains("summary") && $0.contains("removed=4") && $0.contains("kept=2") }, "\(child.lines)")
        #expect(!FileManager.default.fileExists(atPath: root + "/11"))
        #expect(FileManager.default.fileExists(atPath: liveSet.headerRing.path))
        #expect(FileManager.default.fileExists(atPath: liveSet.pools[0].path))
    }

    @Test("RoleCounters are read by the real C client's counters reader on the Swift driver")
    func countersOnSwiftDriver() throws {
        let driver = try launchEmbeddedDriver()
        defer { driver.close() }
        let aeron = try connectClient(driver.aeronDirectory)
        defer { aeron.close() }
        let counters = try ProducerCounters(aeron: aeron, streamId: 1100, instanceId: 7)
        counters.add(.framesPublished, 1234)
        try checkWithCReader(directory: driver.aeronDirectory, counters: counters)
    }

    @Test("RoleCounters allocated through the real C 1.53 driver are read by the real C client's counters reader")
    func countersOnRealCDriver() throws {
        let driver = try RealAeronMediaDriver()
        let aeron = try connectClient(driver.path)
        defer { aeron.close() }
        let counters = try ProducerCounters(aeron: aeron, streamId: 1100, instanceId: 7)
        counters.add(.framesPublished, 1234)
        try checkWithCReader(directory: driver.path, counters: counters)
        try driver.stop()
    }

    private func checkWithCReader(directory: String, counters: ProducerCounters) throws {
        let run = try AeronPeerProcess.run("counters", directory: directory, timeout: 60)
        let rows = run.all("counter")
        let frames = try #require(rows.first { $0.int("type_id") == Int64(ProducerCounter.framesPublished.typeId) }, "\(rows)")
        #expect(frames.string("label") == "tp producer frames published stream=1100 producer=7")
        #expect(frames.int("value") == 1234)
        #expect(frames.int("id") == Int64(counters.counterId(.framesPublished)))
        #expect(rows.filter { TensorPoolCounterTypeId.isTensorPool(Int32(truncatingIfNeeded: $0.int("type_id") ?? 0)) }.count
                == ProducerCounter.allCases.count)
    }

    @Test("tp supervisor: JSON status shows a fake producer LIVE, then STALE and EXPIRED; tp stat shows its counters")
    func supervisorProcess() throws {
        let driver = try launchEmbeddedDriver()
        defer { driver.close() }
        let aeron = try connectClient(driver.aeronDirectory)
        defer { aeron.close() }
        let supervisor = try TPChild(["supervisor", "--aeron-dir", driver.aeronDirectory, "--no-shm", "--json",
                                      "--status-interval", "0.1", "--announce-interval-ms", "100", "--qos-interval-ms", "100",
                                      "--stale-multiple", "3", "--expired-multiple", "6", "--duration", "50"])
        defer { supervisor.stop() }
        #expect(supervisor.waitForLine { $0.contains("tp supervisor: ready") } != nil, "\(supervisor.lines)")
        let fake = try ControlPlane(aeron: aeron, endpoint: endpoint(driver.aeronDirectory), roleName: "fake",
                                    publishing: [.control, .qos], subscribing: [], logSink: .discard)
        defer { fake.close() }
        #expect(eventuallyTrue { fake.isConnected(.control) })
        let announce = AnnounceSummary(streamId: 3, producerId: 8, epoch: 1, layoutVersion: 1,
                                       headerRegionUri: "shm:file?path=/dev/shm/none/header.ring", headerNslots: 16,
                                       pools: [.init(poolId: 1, nslots: 16, strideBytes: 4096, regionUri: "shm:file?path=/dev/shm/none/p")])
        let live = "\"producer_id\":8,\"state\":\"LIVE\""
        #expect(eventuallyTrue {
            _ = fake.sendShmPoolAnnounce(announce)
            usleep(50_000)
            return supervisor.lines.contains { $0.contains(live) }
        }, "\(supervisor.lines.suffix(5))")
        let stat = try TPChild(["stat", "--aeron-dir", driver.aeronDirectory])
        #expect(stat.waitForExit() == 0)
        #expect(stat.lines.contains { $0.contains("tp supervisor producers live supervisor=1") }, "\(stat.lines)")
        let aeronStat = try TPChild(["aeron", "stat", "--dir", driver.aeronDirectory, "--once"])
        #expect(aeronStat.waitForExit() == 0)
        #expect(aeronStat.lines.contains { $0.hasSuffix(" - tp supervisor configs sent supervisor=1") }, "\(aeronStat.lines)")
        // Silence: STALE after 300 ms, EXPIRED after 600 ms.
        #expect(supervisor.waitForLine { $0.contains("\"producer_id\":8,\"state\":\"STALE\"") } != nil)
        #expect(supervisor.waitForLine { $0.contains("\"producer_id\":8,\"state\":\"EXPIRED\"") } != nil)
        #expect(supervisor.lines.contains { $0.contains("stream 3 producer 8: STALE -> EXPIRED") })
        supervisor.terminate()
        #expect(supervisor.waitForExit(timeout: 20) == 0)
        #expect(supervisor.lines.contains("tp supervisor: closed"))
    }
}

@Suite("Supervisor with real tp producer and consumer processes")
struct SupervisorEndToEndTests {
    @Test("tp supervisor (config file) sees tp producer and tp consumer LIVE, watches the ring; tp send-consumer-config moves the consumer to LATEST")
    func endToEnd() throws {
        let driver = try launchEmbeddedDriver()
        defer { driver.close() }
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let configPath = root + "-supervisor.toml"
        try """
        [supervisor]
        announce_interval_ms = 1000
        qos_interval_ms = 1000
        stale_multiple = 3
        expired_multiple = 6
        policy_enabled = false
        """.write(toFile: configPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: configPath) }

        let supervisor = try TPChild(["supervisor", "--config", configPath, "--aeron-dir", driver.aeronDirectory,
                                      "--shm-root", root, "--json", "--status-interval", "0.2", "--duration", "55"])
        defer { supervisor.stop() }
        #expect(supervisor.waitForLine { $0.contains("tp supervisor: ready") && $0.contains("policy off") } != nil, "\(supervisor.lines)")
        let producer = try TPChild(["producer", "--aeron-dir", driver.aeronDirectory, "--shm-root", root, "--stream-id", "7",
                                    "--rate", "100", "--size", "4096", "--duration", "50", "--quiet"])
        defer { producer.stop() }
        let consumer = try TPChild(["consumer", "--aeron-dir", driver.aeronDirectory, "--shm-root", root, "--stream-id", "7",
                                    "--consumer-id", "55", "--duration", "50", "--quiet"])
        defer { consumer.stop() }

        #expect(supervisor.waitForLine(timeout: 30) { $0.contains("\"stream_id\":7,\"producer_id\":") && $0.contains("\"state\":\"LIVE\"")
            && $0.contains("\"consumer_id\":55,\"state\":\"LIVE\",\"mode\":\"stream\"") } != nil,
                "supervisor: \(supervisor.lines.suffix(4)) producer: \(producer.lines.suffix(4)) consumer: \(consumer.lines.suffix(4))")
        #expect(supervisor.lines.contains { $0.contains("watching activity of \(root)/7/") })

        let send = try TPChild(["send-consumer-config", "--aeron-dir", driver.aeronDirectory, "--stream", "7",
                                "--consumer", "55", "--mode", "latest"])
        #expect(send.waitForExit() == 0, "\(send.lines)")
        #expect(supervisor.waitForLine(timeout: 30) { $0.contains("\"consumer_id\":55,\"state\":\"LIVE\",\"mode\":\"latest\"") } != nil,
                "supervisor: \(supervisor.lines.suffix(3)) consumer: \(consumer.lines.suffix(4))")
        #expect(consumer.lines.contains { $0.contains("ConsumerConfig applied: mode latest") }, "\(consumer.lines.suffix(6))")
        producer.terminate()
        consumer.terminate()
        supervisor.terminate()
        #expect(supervisor.waitForExit(timeout: 20) == 0)
        producer.waitForExit(timeout: 20)
        consumer.waitForExit(timeout: 20)
    }
}

/// Stops the heartbeat thread of ``SupervisorRealDriverTests``.
private final class HeartbeatFlag: Sendable {
    let running = Atomic<Bool>(true)
}

@Suite("tp supervisor on the real Aeron C 1.53 media driver")
struct SupervisorRealDriverTests {
    @Test("--aeron-dir of a real C driver: a fake producer announced through the Swift client is LIVE; counters read by the C reader")
    func realDriver() throws {
        let driver = try RealAeronMediaDriver()
        let aeron = try connectClient(driver.path)
        defer { aeron.close() }
        let supervisor = try TPChild(["supervisor", "--aeron-dir", driver.path, "--no-shm", "--json", "--status-interval", "0.1",
                                      "--duration", "40"])
        defer { supervisor.stop() }
        #expect(supervisor.waitForLine { $0.contains("tp supervisor: ready") } != nil, "\(supervisor.lines)")
        let fake = try ControlPlane(aeron: aeron, endpoint: endpoint(driver.path), roleName: "fake",
                                    publishing: [.control], subscribing: [], logSink: .discard)
        defer { fake.close() }
        #expect(eventuallyTrue { fake.isConnected(.control) })
        #expect(eventuallyTrue {
            _ = fake.sendHeartbeat(streamId: 21, producerId: 4, epoch: 9, timestampNs: 1)
            usleep(50_000)
            return supervisor.lines.contains { $0.contains("\"stream_id\":21,\"producer_id\":4,\"state\":\"LIVE\",\"epoch\":9") }
        }, "\(supervisor.lines.suffix(3))")
        // The C counters reader is a Python process whose start-up can outlast the supervisor's stale window on
        // a loaded machine: keep the fake producer heartbeating from another thread until the read is done.
        // The fake control plane is used by that thread only until it has finished.
        nonisolated(unsafe) let heartbeatSender = fake
        let heartbeating = HeartbeatFlag()
        let heartbeats = Thread {
            while heartbeating.running.load(ordering: .acquiring) {
                _ = heartbeatSender.sendHeartbeat(streamId: 21, producerId: 4, epoch: 9, timestampNs: 1)
                usleep(100_000)
            }
        }
        heartbeats.start()
        // The supervisor refreshes its counters on its own cadence, after the status line: read until it shows.
        var rows: [PeerEvent] = []
        for _ in 0..<5 {
            rows = try AeronPeerProcess.run("counters", directory: driver.path, timeout: 60).all("counter")
            if rows.contains(where: { $0.string("label") == "tp supervisor producers live supervisor=1" && $0.int("value") == 1 }) { break }
            usleep(200_000)
        }
        heartbeating.running.store(false, ordering: .releasing)
        while !heartbeats.isFinished { usleep(10_000) }
        #expect(rows.contains { $0.string("label") == "tp supervisor producers live supervisor=1" && $0.int("value") == 1 }, "\(rows.map { $0.string("label") ?? "" })")
        supervisor.terminate()
        #expect(supervisor.waitForExit(timeout: 20) == 0)
        try driver.stop()
    }
}
