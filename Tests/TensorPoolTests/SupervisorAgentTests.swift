import Testing
import Foundation
import AeronClient
import TensorPoolCore
import TensorPoolCodecs
@testable import TensorPool
import MallocCounter

@Suite("SupervisorAgent on the embedded Swift driver")
struct SupervisorAgentTests {
    let t0 = SupervisorHarness.t0
    let ms = SupervisorHarness.ms

    @Test("producers and consumers go LIVE, then STALE, then EXPIRED as time passes; counters follow")
    func livenessLifecycle() throws {
        let h = try SupervisorHarness()
        defer { h.close() }
        let producer = try h.peer("fake-producer")
        let consumer = try h.peer("fake-consumer")
        defer { producer.close(); consumer.close() }

        #expect(producer.sendShmPoolAnnounce(fakeAnnounce(stream: 7, producer: 42, epoch: 3, uri: "shm:file?path=/dev/shm/none")).isSuccess)
        #expect(consumer.sendQosConsumer(QosConsumerReport(streamId: 7, consumerId: 9, epoch: 3, lastSeqSeen: 10,
                                                           dropsGap: 0, dropsLate: 0, mode: .stream)).isSuccess)
        #expect(h.pump(at: t0) { h.producer(7, 42) != nil && h.consumer(7, 9) != nil })
        _ = h.agent.doWork(nowNs: t0 + 20 * ms)
        #expect(h.producer(7, 42)?.state == .live)
        #expect(h.consumer(7, 9)?.state == .live)
        let counters = try #require(h.agent.counters)
        #expect(counters.value(.producersLive) == 1 && counters.value(.consumersLive) == 1)
        #expect(h.log.contains("header ring not mapped: no SHM root configured"))

        _ = h.agent.doWork(nowNs: t0 + 350 * ms)  // > 3 x 100 ms
        #expect(h.producer(7, 42)?.state == .stale)
        #expect(h.consumer(7, 9)?.state == .stale)
        #expect(counters.value(.producersStale) == 1 && counters.value(.producersLive) == 0)
        #expect(counters.value(.consumersStale) == 1)
        #expect(h.log.contains("stream 7 producer 42: STALE -> EXPIRED") == false)
        #expect(h.log.contains("stream 7 producer 42: LIVE -> STALE"))

        _ = h.agent.doWork(nowNs: t0 + 700 * ms)  // > 6 x 100 ms
        #expect(h.producer(7, 42)?.state == .expired)
        #expect(h.consumer(7, 9)?.state == .expired)
        #expect(counters.value(.producersExpired) == 1 && counters.value(.consumersExpired) == 1)
        #expect(h.log.contains("stream 7 consumer 9: STALE -> EXPIRED"))

        // A new announce brings the producer back.
        #expect(producer.sendShmPoolAnnounce(fakeAnnounce(stream: 7, producer: 42, epoch: 3, uri: "shm:file?path=/dev/shm/none")).isSuccess)
        #expect(h.pump(at: t0 + 800 * ms) { h.producer(7, 42)?.state == .live })
        #expect(counters.value(.producersLive) == 1)
    }

    @Test("EXPIRED entries are forgotten after purgeExpiredAfter, not before")
    func purge() throws {
        let h = try SupervisorHarness(purgeExpiredAfterNs: 1_000 * ms)
        defer { h.close() }
        let fake = try h.peer("fake")
        defer { fake.close() }
        #expect(fake.sendShmPoolAnnounce(fakeAnnounce(stream: 1, producer: 1, epoch: 1, uri: "shm:file?path=/x")).isSuccess)
        #expect(h.pump(at: t0) { h.producer(1, 1) != nil })
        _ = h.agent.doWork(nowNs: t0 + 700 * ms)
        #expect(h.producer(1, 1)?.state == .expired)
        _ = h.agent.doWork(nowNs: t0 + 1_200 * ms)  // expired since ~600 ms: kept
        #expect(h.producer(1, 1) != nil)
        _ = h.agent.doWork(nowNs: t0 + 1_700 * ms)  // expired for > 1 s: forgotten
        #expect(h.producer(1, 1) == nil)
        #expect(h.agent.counters?.value(.producersExpired) == 0)
        #expect(h.log.contains("forgot 1 expired entry"))
    }

    @Test("hostile flood of new ids: the registry stops at maxPeers, the rest is counted and rejected")
    func peerCap() throws {
        let h = try SupervisorHarness(maxPeers: 3)
        defer { h.close() }
        let fake = try h.peer("flood")
        defer { fake.close() }
        for id in UInt32(1)...10 {
            #expect(fake.sendHeartbeat(streamId: 1, producerId: id, epoch: 1, timestampNs: 0).isSuccess)
            #expect(fake.sendQosConsumer(QosConsumerReport(streamId: 1, consumerId: id, epoch: 1, lastSeqSeen: 0,
                                                          dropsGap: 0, dropsLate: 0, mode: .stream)).isSuccess)
        }
        #expect(h.pump(at: t0) { h.agent.controlPlane.counters.rejected(.invalidContent) == 14 })
        #expect(h.agent.registry.producers.count == 3)
        #expect(h.agent.registry.consumers.count == 3)
        // Known ids keep being served.
        #expect(fake.sendHeartbeat(streamId: 1, producerId: 2, epoch: 1, timestampNs: 0).isSuccess)
        #expect(h.pump(at: t0 + 1 * ms) { h.producer(1, 2)?.heartbeats == 2 })
    }

    @Test("a new epoch maps the new header ring")
    func epochChangeRemaps() throws {
        let root = try TemporaryRoot()
        defer { root.remove() }
        let h = try SupervisorHarness(shmRoot: root.path)
        defer { h.close() }
        let fake = try h.peer("restarting-producer")
        defer { fake.close() }
        let first = try RegionSet.create(.init(root: root.path, streamId: 9, epoch: 1, nslots: 16, pools: [.init(poolId: 1, strideBytes: 4096)]), nowNs: t0)
        let second = try RegionSet.create(.init(root: root.path, streamId: 9, epoch: 2, nslots: 16, pools: [.init(poolId: 1, strideBytes: 4096)]), nowNs: t0)
        defer { first.close(); second.close() }
        #expect(fake.sendShmPoolAnnounce(fakeAnnounce(stream: 9, producer: 1, epoch: 1, uri: first.headerRingURI.description)).isSuccess)
        #expect(h.pump(at: t0) { h.agent.watcher.watched[ProducerKey(streamId: 9, producerId: 1)]?.ring != nil })
        #expect(fake.sendShmPoolAnnounce(fakeAnnounce(stream: 9, producer: 1, epoch: 2, uri: second.headerRingURI.description)).isSuccess)
        #expect(h.pump(at: t0 + 10 * ms) { h.agent.watcher.watched[ProducerKey(streamId: 9, producerId: 1)]?.epoch == 2 })
        #expect(h.agent.watcher.watched[ProducerKey(streamId: 9, producerId: 1)]?.ring?.path == second.headerRing.path)
        #expect(h.producer(9, 1)?.epochChanges == 1)
        // The same epoch again does not remap (no URI decoding, no allocation).
        #expect(fake.sendShmPoolAnnounce(fakeAnnounce(stream: 9, producer: 1, epoch: 2, uri: "shm:file?path=/elsewhere")).isSuccess)
        #expect(h.pump(at: t0 + 20 * ms) { h.producer(9, 1)?.announces == 3 })
        #expect(h.agent.watcher.watched[ProducerKey(streamId: 9, producerId: 1)]?.ring?.path == second.headerRing.path)
    }

    @Test("superblock activity: a producer refreshing activity_timestamp_ns stays LIVE, one that stops goes STALE")
    func superblockActivity() throws {
        let root = try TemporaryRoot()
        defer { root.remove() }
        let h = try SupervisorHarness(shmRoot: root.path)
        defer { h.close() }
        let fake = try h.peer("fake-producers")
        defer { fake.close() }
        func regions(_ stream: UInt32) throws -> RegionSet {
            try RegionSet.create(.init(root: root.path, streamId: stream, epoch: 5, nslots: 16,
                                       pools: [.init(poolId: 1, strideBytes: 4096)]), nowNs: t0)
        }
        let refreshing = try regions(1)
        let silent = try regions(2)
        defer { refreshing.close(); silent.close() }

        for step in UInt64(0)...4 {
            let now = t0 + step * 120 * ms
            refreshing.refreshActivity(nowNs: now)
            let before = (h.producer(1, 1)?.announces ?? 0, h.producer(2, 2)?.announces ?? 0)
            #expect(fake.sendShmPoolAnnounce(fakeAnnounce(stream: 1, producer: 1, epoch: 5, uri: refreshing.headerRingURI.description)).isSuccess)
            #expect(fake.sendShmPoolAnnounce(fakeAnnounce(stream: 2, producer: 2, epoch: 5, uri: silent.headerRingURI.description)).isSuccess)
            #expect(h.pump(at: now) { (h.producer(1, 1)?.announces ?? 0) > before.0 && (h.producer(2, 2)?.announces ?? 0) > before.1 })
        }
        #expect(h.log.contains("watching activity of \(refreshing.headerRing.path)"))
        #expect(h.agent.counters?.value(.regionsMapped) == 2)
        // Both announced at every step; only the first keeps its superblock heartbeat fresh.
        #expect(h.producer(1, 1)?.lastActivityTimestampNs == t0 + 480 * ms)
        #expect(h.producer(2, 2)?.lastActivityTimestampNs == t0)
        #expect(h.producer(1, 1)?.state == .live)
        #expect(h.producer(2, 2)?.state == .stale)
        let status = h.agent.registry.status(nowNs: t0 + 480 * ms)
        #expect(status.producers.map(\.state) == [.live, .stale])
    }

    @Test("an announced header ring outside the root is not mapped")
    func ringOutsideRootRefused() throws {
        let root = try TemporaryRoot()
        let elsewhere = try TemporaryRoot("elsewhere")
        defer { root.remove(); elsewhere.remove() }
        let h = try SupervisorHarness(shmRoot: root.path)
        defer { h.close() }
        let fake = try h.peer("fake-producer")
        defer { fake.close() }
        let outside = try RegionSet.create(.init(root: elsewhere.path, streamId: 3, epoch: 1, nslots: 16,
                                                 pools: [.init(poolId: 1, strideBytes: 4096)]), nowNs: t0)
        defer { outside.close() }
        #expect(fake.sendShmPoolAnnounce(fakeAnnounce(stream: 3, producer: 1, epoch: 1, uri: outside.headerRingURI.description)).isSuccess)
        #expect(h.pump(at: t0) { h.producer(3, 1) != nil })
        _ = h.agent.doWork(nowNs: t0 + 20 * ms)
        #expect(h.agent.counters?.value(.regionsMapped) == 0)
        #expect(h.agent.counters?.value(.regionsRejected) == 1)
        #expect(h.log.contains("header ring not mapped"))
        #expect(h.producer(3, 1)?.state == .live)

        // Hostile URIs: traversal, unknown scheme, a symlink inside the root to the ring outside, a short file.
        try FileManager.default.createSymbolicLink(atPath: root.path + "/link.ring", withDestinationPath: outside.headerRing.path)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: root.path + "/short.ring"))
        let hostile = ["shm:file?path=\(root.path)/../\(outside.headerRing.path)", "http://example.com/ring",
                       "shm:file?path=\(root.path)/link.ring", "shm:file?path=\(root.path)/short.ring", ""]
        for (i, uri) in hostile.enumerated() {
            #expect(fake.sendShmPoolAnnounce(fakeAnnounce(stream: 3, producer: UInt32(10 + i), epoch: 1, uri: uri)).isSuccess)
        }
        #expect(h.pump(at: t0 + 30 * ms) { h.agent.registry.producers.count == 1 + hostile.count })
        _ = h.agent.doWork(nowNs: t0 + 50 * ms)
        #expect(h.agent.counters?.value(.regionsMapped) == 0)
        #expect(h.agent.counters?.value(.regionsRejected) == Int64(1 + hostile.count))
    }

    @Test("two consumers with one id: interleaved QoS is detected as a collision")
    func collision() throws {
        let h = try SupervisorHarness()
        defer { h.close() }
        let a = try h.peer("consumer-a")
        let b = try h.peer("consumer-b")
        defer { a.close(); b.close() }
        var now = t0
        let qosTemplate = QosConsumerDecoder.templateId
        for (plane, seq) in [(a, UInt64(100)), (b, 50), (a, 110), (b, 60), (a, 120)] {
            now += 10 * ms
            let before = h.agent.controlPlane.counters.received(templateId: qosTemplate)
            #expect(plane.sendQosConsumer(QosConsumerReport(streamId: 4, consumerId: 77, epoch: 1, lastSeqSeen: seq,
                                                            dropsGap: 0, dropsLate: 0, mode: .stream)).isSuccess)
            #expect(h.pump(at: now) { h.agent.controlPlane.counters.received(templateId: qosTemplate) > before })
        }
        let record = try #require(h.consumer(4, 77))
        #expect(record.identity.collisions >= 1)
        #expect(h.agent.counters?.value(.consumerCollisions) ?? 0 >= 1)
        #expect(h.agent.registry.status(nowNs: now).consumers.first?.colliding == true)
        #expect(h.log.contains("consumer id collision: stream 4 consumer 77"))
    }

    @Test("drop-rate policy sends a ConsumerConfig that a subscriber receives and decodes")
    func dropRatePolicy() throws {
        let policy = DropRatePolicy(enabled: true, windowNs: 200 * ms, maxDropFraction: 0.01, minFrames: 10,
                                    action: .decimated, decimation: 4)
        let h = try SupervisorHarness(policy: policy)
        defer { h.close() }
        let consumer = try h.peer("dropping-consumer")
        let listener = try ControlPlane(aeron: h.env.aeron, endpoint: h.endpoint, roleName: "listener",
                                        publishing: [], subscribing: [.control], logSink: .discard)
        defer { consumer.close(); listener.close() }
        #expect(eventually { h.agent.controlPlane.isConnected(.control) })

        #expect(consumer.sendQosConsumer(QosConsumerReport(streamId: 5, consumerId: 8, epoch: 1, lastSeqSeen: 0,
                                                           dropsGap: 0, dropsLate: 0, mode: .stream)).isSuccess)
        #expect(h.pump(at: t0) { h.consumer(5, 8)?.lastReport != nil })
        #expect(consumer.sendQosConsumer(QosConsumerReport(streamId: 5, consumerId: 8, epoch: 1, lastSeqSeen: 100,
                                                           dropsGap: 30, dropsLate: 20, mode: .stream)).isSuccess)
        #expect(h.pump(at: t0 + 250 * ms) { h.agent.counters?.value(.configsSent) == 1 })

        var collector = ConsumerConfigCollector()
        #expect(eventually { _ = listener.poll(&collector, nowNs: t0); return !collector.received.isEmpty })
        #expect(collector.received == [ConsumerConfigCommand(streamId: 5, consumerId: 8, useShm: true, mode: .decimated, decimation: 4)])
        #expect(h.consumer(5, 8)?.commanded?.mode == .decimated)
        #expect(h.log.contains("drop-rate policy: stream 5 consumer 8 -> decimated decimation 4"))
    }

    @Test("ConsumerConfig submitted through the API from another thread reaches a subscriber")
    func apiConsumerConfig() throws {
        let h = try SupervisorHarness()
        defer { h.close() }
        let listener = try ControlPlane(aeron: h.env.aeron, endpoint: h.endpoint, roleName: "listener",
                                        publishing: [], subscribing: [.control], logSink: .discard)
        defer { listener.close() }
        #expect(eventually { h.agent.controlPlane.isConnected(.control) })
        let command = ConsumerConfigCommand(streamId: 6, consumerId: 12, useShm: false, mode: .latest,
                                            payloadFallbackUri: "aeron:udp?endpoint=10.0.0.1:40123")
        let agent = h.agent
        let thread = Thread { agent.submit(command) }
        thread.start()
        #expect(h.pump(at: t0) { h.agent.counters?.value(.configsSent) == 1 })
        var collector = ConsumerConfigCollector()
        #expect(eventually { _ = listener.poll(&collector, nowNs: t0); return !collector.received.isEmpty })
        #expect(collector.received == [command])
    }

    @Test("status snapshots: table and JSON line")
    func statusRendering() throws {
        let h = try SupervisorHarness(statusIntervalNs: 50 * ms)
        defer { h.close() }
        let fake = try h.peer("fake")
        defer { fake.close() }
        #expect(fake.sendShmPoolAnnounce(fakeAnnounce(stream: 7, producer: 42, epoch: 3, uri: "shm:file?path=/x")).isSuccess)
        #expect(fake.sendQosConsumer(QosConsumerReport(streamId: 7, consumerId: 9, epoch: 3, lastSeqSeen: 10,
                                                       dropsGap: 1, dropsLate: 2, mode: .latest)).isSuccess)
        #expect(h.pump(at: t0) { h.producer(7, 42) != nil && h.consumer(7, 9) != nil })
        _ = h.agent.doWork(nowNs: t0 + 100 * ms)
        let status = try #require(h.agent.statusBoard.status)
        #expect(status.producers.count == 1 && status.consumers.count == 1)
        let table = status.table
        #expect(table.contains("PRODUCERS (1)"))
        #expect(table.contains("CONSUMERS (1)"))
        let lines = table.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("  7") && $0.contains("42") && $0.contains("LIVE") })
        let json = status.jsonLine
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["type"] as? String == "supervisor_status")
        let consumers = try #require(object["consumers"] as? [[String: Any]])
        #expect(consumers.first?["consumer_id"] as? Int == 9)
        #expect(consumers.first?["mode"] as? String == "latest")
        #expect(consumers.first?["drops_late"] as? Int == 2)
        let producers = try #require(object["producers"] as? [[String: Any]])
        #expect(producers.first?["state"] as? String == "LIVE")
    }

    @Test("duty cycle allocates nothing in steady state with announces, heartbeats and QoS flowing")
    func steadyStateAllocatesNothing() throws {
        let root = try TemporaryRoot()
        defer { root.remove() }
        let h = try SupervisorHarness(shmRoot: root.path)
        defer { h.close() }
        let fake = try h.peer("traffic")
        defer { fake.close() }
        let set = try RegionSet.create(.init(root: root.path, streamId: 1, epoch: 2, nslots: 16,
                                             pools: [.init(poolId: 1, strideBytes: 4096)]), nowNs: t0)
        defer { set.close() }
        let summary = fakeAnnounce(stream: 1, producer: 1, epoch: 2, uri: set.headerRingURI.description)
        var seq: UInt64 = 0
        var now = t0
        func burst() {
            for _ in 0..<10 {
                seq += 10
                _ = fake.sendShmPoolAnnounce(summary)
                _ = fake.sendHeartbeat(streamId: 1, producerId: 1, epoch: 2, timestampNs: now)
                _ = fake.sendQosProducer(streamId: 1, producerId: 1, epoch: 2, currentSeq: seq, watermark: nil)
                _ = fake.sendQosConsumer(QosConsumerReport(streamId: 1, consumerId: 3, epoch: 2, lastSeqSeen: seq,
                                                           dropsGap: 0, dropsLate: 0, mode: .stream))
            }
        }
        // Warm up: every peer known, ring mapped, every path taken once.
        burst()
        #expect(h.pump(at: now) { h.agent.registry.producers.count == 1 && h.consumer(1, 3)?.lastReport?.lastSeqSeen == seq })
        for _ in 0..<20 { now += 5 * ms; set.refreshActivity(nowNs: now); _ = h.agent.doWork(nowNs: now) }
        #expect(h.agent.counters?.value(.regionsMapped) == 1)

        let receivedBefore = h.agent.counters?.value(.messagesReceived) ?? 0
        burst()
        #expect(eventually { fake.isConnected(.control) })
        var work = 0
        let before = malloc_counter_thread_allocations()
        let ring = set.headerRing
        for _ in 0..<200 {
            now += 1 * ms
            ring.refreshActivity(nowNs: now)  // the producer's heartbeat (one release store)
            work += h.agent.doWork(nowNs: now)
        }
        let allocations = malloc_counter_thread_allocations() - before
        #expect(allocations == 0)
        #expect(work >= 40)
        #expect((h.agent.counters?.value(.messagesReceived) ?? 0) - receivedBefore == 40)
        #expect(h.producer(1, 1)?.state == .live && h.consumer(1, 3)?.state == .live)
    }
}

extension PublicationResult {
    var isSuccess: Bool { if case .position = self { return true } else { return false } }
}
