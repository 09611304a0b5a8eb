@preconcurrency import Glibc
import AeronClient
import ArgumentParser
import Foundation
import TensorPool
import TensorPoolCore

/// `tp bench frames-producer` (hidden): the producer process of `tp bench frames`. Publishes as fast as it can
/// for `--warmup` + `--seconds`, counting only successful publishes of the measured window, then writes its
/// ``BenchFramesProducerResult`` to `--result-file`.
struct BenchFramesProducer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frames-producer", abstract: "Producer child of `tp bench frames`.", shouldDisplay: false)

    @Option var aeronDir: String
    @Option var shmRoot: String
    @Option var stream: UInt32
    @Option var bytes: Int
    @Option(help: "copy or claim") var path: String
    @Option var consumers: Int
    @Option var nslots: UInt32 = 64
    @Option var seconds: Double
    @Option var warmup: Double
    @Option var resultFile: String
    @Option(help: "Flow-control board: stay at most --window frames ahead of the slowest consumer.") var ackFile: String?
    @Option var window: Int = 4
    @Option(help: "Frames per second (0 = as fast as possible).") var rate: Double = 0

    func run() throws {
        guard path == "copy" || path == "claim" else { throw ValidationError("--path copy|claim") }
        var aeronContext = AeronContext(directory: aeronDir)
        aeronContext.driverTimeoutMs = 10_000
        let aeron = try Aeron.connect(aeronContext)
        defer { aeron.close() }
        var config = ProducerConfiguration(user: "bench")
        config.streamId = stream
        config.producerId = 1
        config.headerNslots = nslots
        config.shmRootDir = shmRoot
        config.aeron = AeronEndpointConfiguration(aeronDir: aeronDir)
        config.payloadPools = DemoFrameOptions.pools(for: bytes)
        var options = ProducerOptions()
        options.logSink = .discard
        let producer = try TensorPoolProducer(configuration: config, aeron: aeron, options: options)
        defer { producer.close() }
        // Prefault every payload slot: first touch of tmpfs pages costs ~1 GiB/s here and is not the steady state.
        for pool in producer.regions.pools {
            for slot in 0..<pool.nslots {
                memset(pool.buffer.base + pool.slotOffset(slot), 0, pool.strideBytes)
            }
        }
        let source = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes, 8), alignment: 4096)
        defer { source.deallocate() }
        for i in 0..<source.count { source[i] = UInt8(truncatingIfNeeded: i &* 131) }
        let payload = UnsafeRawBufferPointer(start: source.baseAddress, count: bytes)
        let layout = TensorLayout(dtype: .uint8, shape: [bytes])

        // Every consumer has said hello (and got the announce): they map the regions during the warm-up.
        let connectDeadline = TensorPoolClock.monotonicNs() + 30_000_000_000
        while producer.statistics[.consumers] < UInt64(consumers) {
            let now = TensorPoolClock.monotonicNs()
            guard now < connectDeadline else {
                throw ValidationError("only \(producer.statistics[.consumers]) of \(consumers) consumers said hello within 30 s")
            }
            _ = try producer.doWork(nowNs: now)
            usleep(1_000)
        }
        let settle = TensorPoolClock.monotonicNs() + 200_000_000
        while TensorPoolClock.monotonicNs() < settle { _ = try producer.doWork(nowNs: TensorPoolClock.monotonicNs()) }

        let warmupNs = UInt64(warmup * 1e9)
        let windowNs = UInt64(seconds * 1e9)
        var firstPublishNs: UInt64 = 0
        var windowStartNs: UInt64 = 0
        var windowEndNs: UInt64 = 0
        var framesAtStart: UInt64 = 0
        var published: UInt64 = 0
        var usageAtStart = BenchProcessUsage.now()
        let zeroCopy = path == "claim"
        let acks = try ackFile.map { try BenchFramesAckBoard(path: $0, consumers: consumers, create: false) }
        let window = UInt64(max(window, 1))
        var flowTimeouts: UInt64 = 0
        var publishNsTotal: UInt64 = 0
        var publishNsAtStart: UInt64 = 0
        let intervalNs = rate > 0 ? UInt64(1e9 / rate) : 0
        var nextDueNs: UInt64 = 0
        while true {
            var now = TensorPoolClock.monotonicNs()
            _ = try producer.doWork(nowNs: now)
            if intervalNs > 0 {
                // Paced: latency without queueing behind earlier frames.
                if now < nextDueNs { continue }
                nextDueNs = now &+ intervalNs
            }
            if let acks, producer.nextSeq &- acks.minimumAcknowledged() >= window {
                // Closed loop: wait for the slowest consumer (a consumer that dropped a frame before reading it
                // never acknowledges it: give up after 100 ms, counted).
                let waitStart = now
                while producer.nextSeq &- acks.minimumAcknowledged() >= window {
                    now = TensorPoolClock.monotonicNs()
                    if now - waitStart > 100_000_000 { flowTimeouts += 1; break }
                    _ = try producer.doWork(nowNs: now)
                }
                now = TensorPoolClock.monotonicNs()
            }
            let result: ProducerPublishResult
            let publishStart = now
            if zeroCopy {
                guard let claim = producer.claim(byteCount: bytes, nowNs: now) else { continue }
                if bytes > 0 { claim.payload.baseAddress!.copyMemory(from: source.baseAddress!, byteCount: bytes) }
                // Commit time, as the C prototype stamps its descriptor after the copy.
                let committedAt = TensorPoolClock.monotonicNs()
                result = producer.commit(claim, layout: layout, valuesLength: bytes, timestampNs: committedAt, nowNs: committedAt)
            } else {
                result = producer.publish(payload, layout: layout, timestampNs: now, nowNs: now)
            }
            publishNsTotal &+= TensorPoolClock.monotonicNs() &- publishStart
            if case .published = result {
                published &+= 1
                if firstPublishNs == 0 { firstPublishNs = now }
            }
            guard firstPublishNs != 0 else { continue }
            if windowStartNs == 0 {
                if now - firstPublishNs >= warmupNs {
                    windowStartNs = now
                    framesAtStart = published
                    publishNsAtStart = publishNsTotal
                    usageAtStart = BenchProcessUsage.now()
                }
            } else if now - windowStartNs >= windowNs {
                windowEndNs = now
                break
            }
        }
        let usageAtEnd = BenchProcessUsage.now()
        let s = producer.statistics
        var drops: [String: UInt64] = [
            "descriptor_back_pressured": s[.descriptorBackPressured],
            "descriptor_not_connected": s[.descriptorNotConnected],
            "descriptor_offer_failures": s[.descriptorOfferFailures],
            "oversize": s[.oversizeDrops],
            "invalid_layout": s[.invalidLayoutDrops],
            "claims_refused": s[.claimsRefused],
        ]
        drops["flow_wait_timeouts"] = flowTimeouts
        drops = drops.filter { $0.value > 0 }
        let result = BenchFramesProducerResult(
            frames: published - framesAtStart, seconds: Double(windowEndNs - windowStartNs) / 1e9, drops: drops,
            cpuNs: usageAtEnd.cpuNs - usageAtStart.cpuNs, publishNs: publishNsTotal - publishNsAtStart,
            maxRssKiB: usageAtEnd.maxRssKiB)
        try JSONEncoder().encode(result).write(to: URL(fileURLWithPath: resultFile))
    }
}
