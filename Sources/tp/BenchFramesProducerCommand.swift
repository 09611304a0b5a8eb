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
    @Option(help: "Mixed sizes: publish frames of these sizes in turn (comma separated bytes; overrides --bytes), one pool per size.")
    var mixBytes: String?
    @Option(help: "copy or claim") var path: String
    @Option var consumers: Int
    @Option var nslots: UInt32 = 64
    @Flag(help: "Require hugepages (--shm-root on hugetlbfs); strides of at least 2 MiB.") var requireHugepages = false
    @Option var seconds: Double
    @Option var warmup: Double
    @Option var resultFile: String
    @Option(help: "Flow-control board: stay at most --window frames ahead of the slowest consumer.") var ackFile: String?
    @Option(help: "Flow control over Aeron instead: the release stream the consumers acknowledge on.") var ackStream: Int32?
    @Option var window: Int = 4
    @Option(help: "Frames per second (0 = as fast as possible).") var rate: Double = 0
    @Option(help: "commit: the producer stamps timestamp_ns at commit, after the payload copy (FrameTimestamp.atCommit, like the C prototype); call: the time before publish/claim, so latency includes the copy.")
    var stamp: String = "commit"
    @Option(help: "Paced runs only: between frames spin on the duty cycle (spin) or sleep until the next frame is due (sleep), so process CPU counts only the producer's work.")
    var idle: String = "spin"
    @Option(help: "Run the producer's duty cycle (control/QoS polling) at most every N µs instead of once per loop iteration (0).")
    var dutyEveryUs: Double = 0

    func run() throws {
        guard path == "copy" || path == "claim" else { throw ValidationError("--path copy|claim") }
        guard stamp == "commit" || stamp == "call" else { throw ValidationError("--stamp commit|call") }
        guard idle == "spin" || idle == "sleep" else { throw ValidationError("--idle spin|sleep") }
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
        let frameSizes = try BenchFramesProducer.frameSizes(mixBytes: mixBytes, bytes: bytes)
        config.requireHugepages = requireHugepages
        config.payloadPools = BenchFramesProducer.pools(for: frameSizes, minimumStride: requireHugepages ? Int(config.hugepageSizeBytes) : 4096)
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
        let source = UnsafeMutableRawBufferPointer.allocate(byteCount: max(frameSizes.max() ?? 0, 8), alignment: 4096)
        defer { source.deallocate() }
        for i in 0..<source.count { source[i] = UInt8(truncatingIfNeeded: i &* 131) }
        // An @Option read goes through ArgumentParser's property wrapper (~550 instructions): never in the loop.
        let layouts = frameSizes.map { TensorLayout(dtype: .uint8, shape: [$0]) }
        let sizeCount = UInt64(frameSizes.count)

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
        let stampAtCommit = stamp == "commit"
        let sleepsWhenIdle = idle == "sleep" && rate > 0
        let acks: BenchFramesAcks.Source?
        if let ackStream {
            acks = .aeron(try BenchFramesAcks.Receiver(aeron: aeron, channel: "aeron:ipc", streamId: ackStream, consumers: consumers))
        } else {
            acks = try ackFile.map { .board(try BenchFramesAckBoard(path: $0, consumers: consumers, create: false)) }
        }
        let window = UInt64(max(window, 1))
        var flowTimeouts: UInt64 = 0
        var meter = BenchProducerWorkMeter()
        let intervalNs = rate > 0 ? UInt64(1e9 / rate) : 0
        var nextDueNs: UInt64 = 0
        let dutyIntervalNs = UInt64(max(dutyEveryUs, 0) * 1_000)
        var lastDutyNs: UInt64 = 0
        /// One producer duty cycle (metered), or none when `--duty-every-us` says it is not due yet; returns the time after.
        @discardableResult
        func duty(_ now: UInt64) throws -> UInt64 {
            guard dutyIntervalNs == 0 || now &- lastDutyNs >= dutyIntervalNs else { return now }
            lastDutyNs = now
            let work = try producer.doWork(nowNs: now)
            let after = TensorPoolClock.monotonicNs()
            meter.dutyCycle(work, from: now, to: after)
            return after
        }
        while true {
            var now = TensorPoolClock.monotonicNs()
            if intervalNs > 0 {
                // Paced: latency without queueing behind earlier frames.
                if nextDueNs == 0 { nextDueNs = now }
                if now < nextDueNs {
                    if sleepsWhenIdle {
                        BenchFramesProducer.sleep(untilMonotonicNs: nextDueNs)
                        now = TensorPoolClock.monotonicNs()
                    } else {
                        try duty(now)
                        continue
                    }
                }
                // A late wake-up (or a slow frame) does not make the next frames burst to catch up.
                nextDueNs = now - nextDueNs >= intervalNs ? now &+ intervalNs : nextDueNs &+ intervalNs
            }
            now = try duty(now)
            if let acks, producer.nextSeq &- acks.minimumAcknowledged() >= window {
                // Closed loop: wait for the slowest consumer (a consumer that dropped a frame before reading it
                // never acknowledges it: give up after 100 ms, counted). Only duty cycles that did work count
                // as the producer's work; the rest of the wait is flow-control waiting.
                let waitStart = now
                while producer.nextSeq &- acks.minimumAcknowledged() >= window {
                    now = TensorPoolClock.monotonicNs()
                    if now - waitStart > 100_000_000 { flowTimeouts += 1; break }
                    try duty(now)
                }
                now = TensorPoolClock.monotonicNs()
            }
            let result: ProducerPublishResult
            let publishStart = now
            let kind = Int(published % sizeCount)
            let frameBytes = frameSizes[kind]
            let layout = layouts[kind]
            if zeroCopy {
                guard let claim = producer.claim(byteCount: frameBytes, nowNs: now) else { continue }
                if frameBytes > 0 { claim.payload.baseAddress!.copyMemory(from: source.baseAddress!, byteCount: frameBytes) }
                let filled = TensorPoolClock.monotonicNs()
                result = producer.commit(claim, layout: layout, valuesLength: frameBytes,
                                         timestamp: stampAtCommit ? .atCommit : .ns(publishStart), nowNs: now)
                meter.commit(from: filled, to: TensorPoolClock.monotonicNs(), measuring: windowStartNs != 0)
            } else {
                result = producer.publish(UnsafeRawBufferPointer(start: source.baseAddress, count: frameBytes), layout: layout, timestamp: stampAtCommit ? .atCommit : .ns(publishStart),
                                          nowNs: now)
            }
            let publishEnd = TensorPoolClock.monotonicNs()
            let isPublished: Bool
            if case .published = result { isPublished = true } else { isPublished = false }
            meter.publish(from: publishStart, to: publishEnd, published: isPublished, measuring: windowStartNs != 0)
            if isPublished {
                published &+= 1
                if firstPublishNs == 0 { firstPublishNs = now }
            }
            guard firstPublishNs != 0 else { continue }
            if windowStartNs == 0 {
                if now - firstPublishNs >= warmupNs {
                    windowStartNs = now
                    framesAtStart = published
                    meter.startWindow()
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
            cpuNs: usageAtEnd.cpuNs - usageAtStart.cpuNs, publishNs: meter.windowPublishNs,
            dutyWorkNs: meter.windowDutyWorkNs, idleDutyNsPerCall: meter.windowIdleDutyNsPerCall,
            idleDutyP50Ns: BenchLatency(meter.idleDuty).p50,
            workPerFrameNs: meter.percentiles(), commitNs: zeroCopy ? BenchLatency(meter.commits) : nil, stamp: stamp,
            idle: sleepsWhenIdle ? "sleep" : "spin", dutyEveryUs: dutyEveryUs, maxRssKiB: usageAtEnd.maxRssKiB)
        try JSONEncoder().encode(result).write(to: URL(fileURLWithPath: resultFile))
    }

    /// `--mix-bytes` parsed (1 to 8 sizes), else `[bytes]`.
    static func frameSizes(mixBytes: String?, bytes: Int) throws -> [Int] {
        guard let mixBytes else { return [bytes] }
        let sizes = mixBytes.split(separator: ",").compactMap { Int($0) }
        guard (1...8).contains(sizes.count), sizes.allSatisfy({ $0 >= 0 }) else {
            throw ValidationError("--mix-bytes takes 1 to 8 comma-separated byte counts")
        }
        return sizes
    }

    /// One pool per distinct power-of-two stride (at least `minimumStride`: the page, or the hugepage) holding the
    /// sizes: the producer picks the smallest pool a frame fits, so every size lands in its own pool.
    static func pools(for sizes: [Int], minimumStride: Int = 4096) -> [PayloadPoolConfiguration] {
        let strides = Set(sizes.map { size -> UInt32 in
            var stride = minimumStride
            while stride < size { stride <<= 1 }
            return UInt32(min(stride, 1 << 30))
        }).sorted()
        return strides.enumerated().map { PayloadPoolConfiguration(poolId: UInt16($0.offset + 1), strideBytes: $0.element) }
    }

    /// `clock_nanosleep` to an absolute `CLOCK_MONOTONIC` time (paced `--idle sleep`).
    static func sleep(untilMonotonicNs deadline: UInt64) {
        var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == EINTR {}
    }
}
