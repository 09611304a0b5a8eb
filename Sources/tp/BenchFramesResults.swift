/// What one `tp bench frames-producer` child measured (written as JSON to its `--result-file`).
struct BenchFramesProducerResult: Codable {
    /// Successful publishes (descriptor offered) inside the measured window.
    var frames: UInt64
    var seconds: Double
    /// Frames refused or lost by the producer, by reason (whole run, warm-up included).
    var drops: [String: UInt64]
    /// user+sys CPU of the whole process (every thread) over the measured window (getrusage).
    var cpuNs: UInt64
    /// Wall time inside publish (copy path) or claim + fill + commit (claim path) over the window, without the
    /// closed-loop wait for consumers.
    var publishNs: UInt64
    /// Wall time of the duty cycles that did work (`doWork` > 0) over the window (idle ones excluded).
    var dutyWorkNs: UInt64
    /// Mean wall time of one duty cycle that found nothing to do (polling cost; grows with the consumers'
    /// publications on the control/QoS streams).
    var idleDutyNsPerCall: Double
    /// Median of the idle duty cycles' durations.
    var idleDutyP50Ns: UInt64
    /// Per published frame: publish time + working duty cycles since the previous frame (``BenchProducerWorkMeter``).
    var workPerFrameNs: BenchLatency
    /// Claim path only: wall time of `commit` (stamp → header → commit word → descriptor offer) per frame.
    var commitNs: BenchLatency?
    /// `commit` (timestamp_ns read at commit, after the copy) or `call` (before publish/claim).
    var stamp: String
    /// `spin` (busy duty cycle between frames) or `sleep` (paced: sleeps until the next frame is due).
    var idle: String
    /// `--duty-every-us` (0: a duty cycle every loop iteration).
    var dutyEveryUs: Double
    var maxRssKiB: Int
}

/// What one `tp bench frames-consumer` child measured.
struct BenchFramesConsumerResult: Codable {
    /// Intact frames delivered (whole run).
    var delivered: UInt64
    /// Intact frames delivered whose header timestamp is after the warm-up.
    var measuredFrames: UInt64
    /// Header-timestamp span of the measured frames.
    var measuredSeconds: Double
    /// Producer commit (header `timestamp_ns`, CLOCK_MONOTONIC) to the start of the `onFrame` callback.
    var latencyNs: BenchLatency
    /// Consumer drops by `DropReason` plus `drops_gap` / `drops_late` / `torn_in_callback` (whole run).
    var drops: [String: UInt64]
    var cpuNs: UInt64
    /// Frames counted over the CPU window (`cpuNs / cpuFrames` = CPU per frame).
    var cpuFrames: UInt64
    var maxRssKiB: Int
    /// Sum of the bytes read, so the read cannot be optimised away.
    var checksum: UInt64
    /// Measured frames committed before this consumer had finished the previous frame (their latency includes
    /// waiting for that read, i.e. queueing, not hand-off).
    var queuedBehindPrevious: UInt64
    /// Mixed-size runs (`--mixed-sizes`): the latency of the frames of each payload size, keyed by bytes.
    var latencyBySizeNs: [String: BenchLatency]? = nil
    /// Producer commit (the descriptor's `timestamp_ns`) to the descriptor's arrival at the consumer, before the
    /// slot is read: the C prototype's `desc_latency`. Nil when the descriptors carried no timestamp.
    var descriptorLatencyNs: BenchLatency? = nil
    /// Mixed-size runs: ``descriptorLatencyNs`` per payload size, keyed by bytes.
    var descriptorLatencyBySizeNs: [String: BenchLatency]? = nil
    /// Mean period of the consumer's idle loop (clock read + a duty cycle that read nothing), whole run: a descriptor
    /// waits on average half of it before it is polled.
    var idleLoopNs: Double? = nil
}

/// Latency percentiles in nanoseconds (HdrHistogram, 3 significant digits).
struct BenchLatency: Codable {
    var count: UInt64
    var p50: UInt64
    var p99: UInt64
    var p999: UInt64
    var max: UInt64

    /// No sample.
    static let none = BenchLatency(count: 0, p50: 0, p99: 0, p999: 0, max: 0)

    /// The worst consumer's figures: each percentile is the largest among `latencies` (nil when there are none).
    static func worst(of latencies: [BenchLatency]) -> BenchLatency? {
        guard !latencies.isEmpty else { return nil }
        return BenchLatency(count: latencies.reduce(0) { $0 + $1.count }, p50: latencies.map(\.p50).max() ?? 0,
                            p99: latencies.map(\.p99).max() ?? 0, p999: latencies.map(\.p999).max() ?? 0,
                            max: latencies.map(\.max).max() ?? 0)
    }
}

/// One measured configuration of `tp bench frames`.
struct BenchFramesCase: Codable {
    var name: String
    var bytes: Int
    /// `copy` (`publish`, the producer copies every byte) or `claim` (`claim` + memcpy into the slot + `commit`).
    var path: String
    /// `full` (every payload byte read inside the seqlock) or `header` (header only).
    var read: String
    var consumers: Int
    var nslots: Int
    var producer: BenchFramesProducerResult
    var consumerResults: [BenchFramesConsumerResult]
    /// Published frames per second (successful publishes only).
    var framesPerSecond: Double
    var gibPerSecond: Double
    /// Intact frames per second at the slowest consumer.
    var deliveredPerSecondMin: Double
    /// Latency merged over the consumers (max of their percentiles: the worst consumer).
    var latencyNs: BenchLatency
    /// Descriptor latency (``BenchFramesConsumerResult/descriptorLatencyNs``), worst consumer.
    var descriptorLatencyNs: BenchLatency? = nil
    /// Producer process CPU (getrusage, all threads) ÷ published frames. Includes idle spinning between paced
    /// frames (unless the producer sleeps: `--idle sleep`) and the closed loop's wait for consumers.
    var producerCpuNsPerFrame: Double
    /// Producer time inside the publish path per published frame (excludes waiting for consumers).
    var producerPublishNsPerFrame: Double
    /// Producer work per published frame (mean): publish path + duty cycles that did work, excluding idle
    /// spinning and flow-control waiting (``BenchProducerWorkMeter``).
    var producerWorkNsPerFrame: Double
    /// Median of the per-frame producer work samples (robust to preemption on a shared machine).
    var producerWorkP50Ns: UInt64
    /// Largest fraction of measured frames any consumer received while still reading the previous one.
    var queuedFractionMax: Double
    var consumerCpuNsPerFrameMax: Double
    /// CPU of the parent process (embedded Swift driver thread) per published frame; nil with `--real-driver`.
    var driverCpuNsPerFrame: Double?
    var producerMaxRssKiB: Int
    var consumerMaxRssKiBMax: Int
    var consumerDrops: [String: UInt64]
    /// Medians over the `--repeats` rounds of this case (the other fields are the best-frames/s round).
    var medians: BenchFramesMedians?
    /// Cache-line round trip between the two CPUs measured right before this case (``BenchReferenceMeasurements``):
    /// this VM's vCPUs move between placements (about 80 ns apart against 400+ ns) that change every figure 2×.
    var placementRoundTripNs: Double?
    /// Set on the per-size cases of a mixed-size run (`--mixed-sizes`): every size published in turn. Their
    /// frames/s is a share of a mix, so it is not compared with the C prototype.
    var mixedWith: [Int]?
}

/// Per-case medians over rounds: the latency and CPU ratios use these (a best-of-N latency or CPU would flatter).
struct BenchFramesMedians: Codable, Equatable {
    var rounds: Int
    var framesPerSecond: Double
    var latencyP50Ns: Double
    var latencyP99Ns: Double
    /// Median over rounds of the descriptor latency p50 (nil when no round measured it).
    var descriptorLatencyP50Ns: Double? = nil
    var producerCpuNsPerFrame: Double
    var producerWorkNsPerFrame: Double
    var producerWorkP50Ns: Double
    /// Median over rounds of this round's frames/s ÷ the C prototype's frames/s for the same size in the same
    /// round (run right after our cases of that size): each ratio pairs runs minutes closer than best ÷ best.
    var fpsVsCSameRound: Double?
}

/// The reference figures measured in the same run.
struct BenchFramesReferences: Codable {
    /// Single-thread memcpy GiB/s per payload size.
    var memcpyGiBps: [String: Double]
    /// Two threads ping-ponging one cache line: ns per round trip (median of runs).
    var cacheLineRoundTripNs: Double
    /// Writing a fresh 256 MiB tmpfs mapping: first touch (page faults) and second pass, GiB/s.
    var firstTouchGiBps: Double?
    var secondPassGiBps: Double?
    /// The C prototype (`aeron_shm_frames`), one entry per size (`bytes:slots:write:read`), or nil when not run.
    var cPrototype: [String: BenchCPrototypeResult]?
    var cPrototypeError: String?
}

/// One `RESULT aeron_shm_frames ...` line.
struct BenchCPrototypeResult: Codable {
    var bytes: Int
    var fps: Double
    var gibPerSecond: Double
    var descP50Ns: Double?
    var descP99Ns: Double?
    var descP999Ns: Double?
    /// Medians over the rounds of `desc_p50_ns` / `desc_p99_ns` (upper median), when there were several: the
    /// latency ratios use these, like ours use the medians over rounds.
    var descP50MedianNs: Double?
    var descP99MedianNs: Double?
    var raw: String
    /// Cache-line round trip measured right before this run (see ``BenchFramesCase/placementRoundTripNs``).
    var placementRoundTripNs: Double?

    /// Per size, the round with the best frames/s (as for our cases) with the medians of the latency
    /// percentiles over all rounds.
    static func combine(rounds: [[String: BenchCPrototypeResult]]) -> [String: BenchCPrototypeResult] {
        func upperMedian(_ values: [Double]) -> Double? { values.isEmpty ? nil : values.sorted()[values.count / 2] }
        var combined: [String: BenchCPrototypeResult] = [:]
        for size in Set(rounds.flatMap(\.keys)) {
            let runs = rounds.compactMap { $0[size] }
            guard var best = runs.max(by: { $0.fps < $1.fps }) else { continue }
            if runs.count > 1 {
                best.descP50MedianNs = upperMedian(runs.compactMap(\.descP50Ns))
                best.descP99MedianNs = upperMedian(runs.compactMap(\.descP99Ns))
            }
            combined[size] = best
        }
        return combined
    }
}

/// Each of our figures divided by its reference.
struct BenchFramesRatio: Codable {
    var caseName: String
    /// frames/s ÷ C prototype frames/s (same size, copy + full read in C), best round ÷ best round.
    var fpsVsC: Double?
    /// Median over rounds of the same-round ratio (``BenchFramesMedians/fpsVsCSameRound``).
    var fpsVsCSameRound: Double?
    /// latency p50 (to the callback, after the header read) ÷ C prototype descriptor latency p50.
    var latencyP50VsC: Double?
    /// latency p50 ÷ the smallest payload's p50 (same path, read, consumers): "independent of payload size".
    var latencyP50VsSmallest: Double?
    /// latency p50 ÷ cache-line round trip.
    var latencyP50VsCacheLine: Double?
    /// Descriptor latency p50 ÷ the C prototype's descriptor latency p50: both stamped at descriptor arrival.
    var descriptorLatencyP50VsC: Double? = nil
    /// Descriptor latency p50 ÷ the smallest payload's (same path, read, consumers).
    var descriptorLatencyP50VsSmallest: Double? = nil
    /// GiB/s ÷ single-thread memcpy GiB/s.
    var gibpsVsMemcpy: Double?
    /// producer CPU/frame ÷ the same size/path/read with one consumer.
    var producerCpuVsOneConsumer: Double?
    /// producer publish-path time/frame ÷ the same with one consumer.
    var producerPublishVsOneConsumer: Double?
    /// producer work/frame (mean) ÷ the same with one consumer.
    var producerWorkVsOneConsumer: Double?
    /// producer work/frame (p50) ÷ the same with one consumer.
    var producerWorkP50VsOneConsumer: Double?
}

/// The whole JSON document of `tp bench frames --json`.
struct BenchFramesReport: Codable {
    var startedAt: String
    var loadAverageBefore: [Double]
    var loadAverageAfter: [Double]
    var nproc: Int
    var driver: String
    var secondsPerCase: Double
    /// Rounds per case; each case is the best frames/s of its rounds (the C prototype likewise).
    var repeats: Int
    /// Producer pacing in frames/s (0 = as fast as possible).
    var rateHz: Double
    /// `closed` (producer at most nslots ahead of the slowest consumer) or `open`.
    var flow: String
    /// Closed flow: how consumers release frames (`aeron` release messages, as the C prototype, or the shared `board`).
    var acks: String?
    /// Producer on CPU 0, consumers on the others (`--pin`).
    var pinned: Bool
    /// The hugetlbfs mount the regions were on (`--hugetlbfs`); nil: /dev/shm, 4 KiB pages.
    var hugetlbfs: String?
    /// How the consumers' spinning loop reads the clock: `reused-16` (DutyCycleClock: one reading across up to 16
    /// idle cycles) or `every-cycle` (`--clock-every-cycle`).
    var consumerClock: String
    var cases: [BenchFramesCase]
    var references: BenchFramesReferences
    var ratios: [BenchFramesRatio]
    /// What each figure measures (the same text as the table's legend).
    var definitions: [String: String] = BenchFramesTable.definitions
}
