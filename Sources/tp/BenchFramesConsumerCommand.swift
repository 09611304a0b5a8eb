@preconcurrency import Glibc
import AeronClient
import ArgumentParser
import Foundation
import Histogram
import TensorPool
import TensorPoolCore

/// Counts and latencies of a bench consumer, updated by its handler on every frame.
struct BenchFrameCounts {
    var latency = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
    /// Producer commit to the `FrameDescriptor`'s arrival (``BenchFrameHandler/onDescriptor(seq:timestampNs:)``), the
    /// point at which the C prototype stamps its `t_rx`.
    var descriptorLatency = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
    var delivered: UInt64 = 0
    var measured: UInt64 = 0
    var tornInCallback: UInt64 = 0
    var firstTimestampNs: UInt64 = 0
    var firstMeasuredTimestampNs: UInt64 = 0
    var lastMeasuredTimestampNs: UInt64 = 0
    var checksum: UInt64 = 0
    /// When the previous frame's callback finished (`onFrameCompleted`).
    var lastDoneNs: UInt64 = 0
    /// Measured frames committed before the previous frame was finished.
    var queuedBehindPrevious: UInt64 = 0
    /// Mixed-size runs: the latency of the frames of each size, in the order of ``BenchFrameTally/sizes``.
    var latencyBySize: [Histogram<UInt64>] = []
    /// Mixed-size runs: ``descriptorLatency`` per size, in the order of ``BenchFrameTally/sizes``.
    var descriptorLatencyBySize: [Histogram<UInt64>] = []
}

/// Settings and ``BenchFrameCounts`` of a bench consumer (single-threaded: the consumer's loop and its handler).
final class BenchFrameTally {
    let readPayload: Bool
    let warmupNs: UInt64
    let acks: BenchFramesAckBoard?
    let aeronAcks: BenchFramesAcks.Sender?
    let ackIndex: Int
    /// Behind a pointer: as class `var`s, each per-frame update paid a dynamic exclusivity check.
    let counts: UnsafeMutablePointer<BenchFrameCounts>

    /// Mixed-size runs: the payload sizes whose latencies are kept apart (empty otherwise).
    let sizes: [UInt32]

    init(readPayload: Bool, warmupNs: UInt64, acks: BenchFramesAckBoard?, aeronAcks: BenchFramesAcks.Sender? = nil,
         ackIndex: Int, sizes: [UInt32] = []) {
        self.aeronAcks = aeronAcks
        self.readPayload = readPayload
        self.sizes = sizes
        self.warmupNs = warmupNs
        self.acks = acks
        self.ackIndex = ackIndex
        counts = .allocate(capacity: 1)
        counts.initialize(to: BenchFrameCounts())
        counts.pointee.latencyBySize = sizes.map { _ in BenchFrameCounts().latency }
        counts.pointee.descriptorLatencyBySize = sizes.map { _ in BenchFrameCounts().latency }
    }

    /// Index of `bytes` in ``sizes`` (-1 when absent or not a mixed run).
    @inline(__always)
    func sizeIndex(_ bytes: UInt32) -> Int {
        var i = 0
        while i < sizes.count {
            if sizes[i] == bytes { return i }
            i &+= 1
        }
        return -1
    }

    deinit {
        counts.deinitialize(count: 1)
        counts.deallocate()
    }
}

/// Reads each frame (every payload byte, or only the header) inside the seqlock and timestamps twice:
/// - descriptor latency = the clock when the `FrameDescriptor` arrives − its `timestamp_ns` (the producer's commit
///   stamp, also in the header): the C prototype's `t_rx`, taken at descriptor receipt before touching the pool;
/// - latency = the clock at the start of `onFrame` (descriptor polled, admitted, commit word and header read under
///   the seqlock) − the header's `timestamp_ns`: ours adds the header ring's cache line to the descriptor's.
struct BenchFrameHandler: TensorFrameHandler {
    let tally: BenchFrameTally
    private var descriptorSeq: UInt64 = .max
    private var descriptorLatencyNs: UInt64 = 0
    private var pendingLatencyNs: UInt64 = 0
    private var pendingTimestampNs: UInt64 = 0
    private var pendingSum: UInt64 = 0
    private var pendingQueued = false
    private var pendingSizeIndex = -1

    init(tally: BenchFrameTally) { self.tally = tally }

    mutating func onDescriptor(seq: UInt64, timestampNs: UInt64?) {
        let now = TensorPoolClock.monotonicNs()
        guard let timestampNs else {
            descriptorSeq = .max
            return
        }
        descriptorSeq = seq
        descriptorLatencyNs = now >= timestampNs ? now - timestampNs : 0
    }

    mutating func onFrame(_ frame: borrowing TensorFrame) {
        let now = TensorPoolClock.monotonicNs()
        let stamp = frame.header.timestampNs
        pendingTimestampNs = stamp
        pendingLatencyNs = now >= stamp ? now - stamp : 0
        pendingQueued = stamp < tally.counts.pointee.lastDoneNs
        pendingSizeIndex = tally.sizes.isEmpty ? -1 : tally.sizeIndex(frame.header.valuesLenBytes)
        if tally.readPayload {
            pendingSum = frame.withBytes { PayloadWordSum.of($0) }
        } else {
            pendingSum = UInt64(frame.header.valuesLenBytes)
        }
    }

    mutating func onFrameCompleted(seq: UInt64, intact: Bool) {
        tally.acks?.acknowledge(tally.ackIndex, seq: seq)
        tally.aeronAcks?.acknowledge(tally.ackIndex, seq: seq)
        tally.counts.pointee.lastDoneNs = TensorPoolClock.monotonicNs()
        guard intact else {
            tally.counts.pointee.tornInCallback += 1
            return
        }
        tally.counts.pointee.delivered += 1
        tally.counts.pointee.checksum &+= pendingSum
        if tally.counts.pointee.firstTimestampNs == 0 { tally.counts.pointee.firstTimestampNs = pendingTimestampNs }
        if pendingTimestampNs >= tally.counts.pointee.firstTimestampNs &+ tally.warmupNs {
            if tally.counts.pointee.measured == 0 { tally.counts.pointee.firstMeasuredTimestampNs = pendingTimestampNs }
            tally.counts.pointee.measured += 1
            tally.counts.pointee.lastMeasuredTimestampNs = pendingTimestampNs
            if pendingQueued { tally.counts.pointee.queuedBehindPrevious += 1 }
            _ = tally.counts.pointee.latency.record(pendingLatencyNs)
            if pendingSizeIndex >= 0 { _ = tally.counts.pointee.latencyBySize[pendingSizeIndex].record(pendingLatencyNs) }
            if descriptorSeq == seq {
                _ = tally.counts.pointee.descriptorLatency.record(descriptorLatencyNs)
                if pendingSizeIndex >= 0 {
                    _ = tally.counts.pointee.descriptorLatencyBySize[pendingSizeIndex].record(descriptorLatencyNs)
                }
            }
        }
    }
}

/// `tp bench frames-consumer` (hidden): a consumer process of `tp bench frames`. Busy-polls (like the C
/// prototype) until SIGTERM, then writes its ``BenchFramesConsumerResult`` to `--result-file`.
struct BenchFramesConsumer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frames-consumer", abstract: "Consumer child of `tp bench frames`.", shouldDisplay: false)

    @Option var aeronDir: String
    @Option var shmRoot: String
    @Option var stream: UInt32
    @Option var consumerId: UInt32
    @Option(help: "full or header") var read: String
    @Option var warmup: Double
    @Option var resultFile: String
    @Option(help: "Flow-control board (closed loop) and this consumer's line in it.") var ackFile: String?
    @Option(help: "Flow control over Aeron instead (closed loop): the release stream this consumer offers on.") var ackStream: Int32?
    @Option var ackIndex: Int = 0
    @Option var consumers: Int = 1
    @Flag(help: "Read the clock every duty cycle instead of reusing it across idle spins (DutyCycleClock).")
    var clockEveryCycle = false
    @Option(help: "Mixed-size runs: keep the latency of each of these payload sizes apart (comma separated bytes).")
    var mixBytes: String?

    func run() throws {
        guard read == "full" || read == "header" else { throw ValidationError("--read full|header") }
        let stop = DemoStopSignal()
        var aeronContext = AeronContext(directory: aeronDir)
        aeronContext.driverTimeoutMs = 10_000
        let aeron = try Aeron.connect(aeronContext)
        defer { aeron.close() }
        var config = ConsumerConfiguration(user: "bench")
        config.streamId = stream
        config.consumerId = consumerId
        config.aeron = AeronEndpointConfiguration(aeronDir: aeronDir)
        var options = ConsumerOptions(shmRootDir: shmRoot)
        options.logSink = .discard
        let acks = try ackFile.map { try BenchFramesAckBoard(path: $0, consumers: consumers, create: false) }
        let sizes = try mixBytes.map { try BenchFramesProducer.frameSizes(mixBytes: $0, bytes: 0).map { UInt32($0) } } ?? []
        let aeronAcks = try ackStream.map { try BenchFramesAcks.Sender(aeron: aeron, channel: "aeron:ipc", streamId: $0) }
        let tally = BenchFrameTally(readPayload: read == "full", warmupNs: UInt64(warmup * 1e9), acks: acks,
                                    aeronAcks: aeronAcks, ackIndex: ackIndex,
                                    sizes: sizes)
        let consumer = try TensorPoolConsumer(configuration: config, aeron: aeron,
                                              handler: BenchFrameHandler(tally: tally), options: options)
        defer { consumer.close() }

        // CPU window: from the first measured frame to the last snapshot taken right after a measured frame.
        var usageAtStart: BenchProcessUsage?
        var usageAtEnd: BenchProcessUsage?
        var framesAtStart: UInt64 = 0
        var framesAtEnd: UInt64 = 0
        // The loop spins, so idle cycles reuse the clock reading (DutyCycleClock) instead of paying ~25 ns for
        // it each; --clock-every-cycle reads it every cycle. Idle loop period: the time between two fresh
        // readings with only idle cycles between them, per cycle. A descriptor waits on average half of it before
        // it is polled; spans over 10 µs (preempted) are left out.
        var clock = DutyCycleClock(idleReadInterval: clockEveryCycle ? 1 : 16)
        var idleSpanNs: UInt64 = 0
        var idleIterations: UInt64 = 0
        var spanStartNs: UInt64 = 0
        var idleRun: UInt64 = 0
        while !stop.isStopped {
            let now = clock.now()
            if clock.lastReadingWasFresh {
                if idleRun > 0, now &- spanStartNs < 10_000 {
                    idleSpanNs &+= now &- spanStartNs
                    idleIterations &+= idleRun
                }
                spanStartNs = now
                idleRun = 0
            }
            let work = try consumer.doWork(nowNs: now)
            clock.cycleEnded(didWork: work > 0)
            idleRun = work == 0 ? idleRun &+ 1 : 0
            let measured = tally.counts.pointee.measured
            if measured == 0 { continue }
            if usageAtStart == nil {
                usageAtStart = BenchProcessUsage.now()
                framesAtStart = measured
            } else if measured != framesAtEnd && (work == 0 || measured - framesAtEnd >= 1024) {
                usageAtEnd = BenchProcessUsage.now()
                framesAtEnd = measured
            }
        }
        let final = BenchProcessUsage.now()
        let counters = consumer.frameCounters
        var drops: [String: UInt64] = [
            "drops_gap": counters.dropsGap, "drops_late": counters.dropsLate, "torn_in_callback": tally.counts.pointee.tornInCallback,
        ]
        var raw: UInt8 = 0
        while let reason = DropReason(rawValue: raw) {
            drops[reason.description] = counters[reason]
            raw += 1
        }
        drops = drops.filter { $0.value > 0 }
        let latency = BenchLatency(tally.counts.pointee.latency)
        let descriptorLatency = tally.counts.pointee.descriptorLatency.totalCount > 0
            ? BenchLatency(tally.counts.pointee.descriptorLatency) : nil
        let start = usageAtStart ?? final
        let end = usageAtEnd ?? start
        let result = BenchFramesConsumerResult(
            delivered: tally.counts.pointee.delivered, measuredFrames: tally.counts.pointee.measured,
            measuredSeconds: Double(tally.counts.pointee.lastMeasuredTimestampNs &- tally.counts.pointee.firstMeasuredTimestampNs) / 1e9,
            latencyNs: latency, drops: drops, cpuNs: end.cpuNs - start.cpuNs,
            cpuFrames: framesAtEnd > framesAtStart ? framesAtEnd - framesAtStart : 0,
            maxRssKiB: final.maxRssKiB, checksum: tally.counts.pointee.checksum, queuedBehindPrevious: tally.counts.pointee.queuedBehindPrevious,
            latencyBySizeNs: sizes.isEmpty ? nil : Dictionary(uniqueKeysWithValues: zip(sizes.map { String($0) },
                                                                                     tally.counts.pointee.latencyBySize.map { BenchLatency($0) })),
            descriptorLatencyNs: descriptorLatency,
            descriptorLatencyBySizeNs: sizes.isEmpty ? nil : Dictionary(uniqueKeysWithValues: zip(
                sizes.map { String($0) }, tally.counts.pointee.descriptorLatencyBySize.map { BenchLatency($0) })),
            idleLoopNs: idleIterations > 0 ? Double(idleSpanNs) / Double(idleIterations) : nil)
        try JSONEncoder().encode(result).write(to: URL(fileURLWithPath: resultFile))
    }
}
