import Testing
@testable import tp

/// The pure computations behind `tp bench frames`' figures: what counts as producer work, per-frame figures,
/// ratios to one consumer and to the smallest payload, medians over rounds.
@Suite struct BenchFramesComputationTests {
    static func producer(frames: UInt64, cpuNs: UInt64, publishNs: UInt64, dutyWorkNs: UInt64 = 0,
                         workP50: UInt64 = 0) -> BenchFramesProducerResult {
        BenchFramesProducerResult(
            frames: frames, seconds: 1, drops: [:], cpuNs: cpuNs, publishNs: publishNs, dutyWorkNs: dutyWorkNs, idleDutyNsPerCall: 0, idleDutyP50Ns: 0,
            workPerFrameNs: BenchLatency(count: frames, p50: workP50, p99: workP50, p999: workP50, max: workP50), commitNs: nil,
            stamp: "commit", idle: "spin", dutyEveryUs: 0, maxRssKiB: 1024)
    }

    static func consumer(p50: UInt64, measured: UInt64 = 1000, queued: UInt64 = 0) -> BenchFramesConsumerResult {
        BenchFramesConsumerResult(
            delivered: measured, measuredFrames: measured, measuredSeconds: 1,
            latencyNs: BenchLatency(count: measured, p50: p50, p99: p50 * 2, p999: p50 * 3, max: p50 * 4),
            drops: [:], cpuNs: 0, cpuFrames: 0, maxRssKiB: 1024, checksum: 0, queuedBehindPrevious: queued)
    }

    static func summarize(bytes: Int, consumers: Int, producer: BenchFramesProducerResult,
                          p50s: [UInt64], queued: UInt64 = 0) -> BenchFramesCase {
        BenchFramesTable.summarize(
            name: "\(bytes)x\(consumers)", bytes: bytes, path: "copy", read: "full", consumers: consumers, nslots: 4,
            producer: producer, consumers: p50s.map { consumer(p50: $0, queued: queued) }, driverCpuNs: nil)
    }

    @Test func workMeterCountsPublishAndWorkingDutyCyclesOnly() {
        var meter = BenchProducerWorkMeter()
        meter.dutyCycle(0, from: 100, to: 10_100)       // idle spin: not work
        meter.dutyCycle(3, from: 20_000, to: 20_500)    // handled control messages: work
        meter.publish(from: 30_000, to: 31_000, published: true, measuring: false) // warm-up frame
        meter.startWindow()
        meter.dutyCycle(1, from: 40_000, to: 40_200)
        meter.publish(from: 50_000, to: 50_300, published: false, measuring: true) // failed attempt: still work
        meter.publish(from: 60_000, to: 60_700, published: true, measuring: true)
        meter.dutyCycle(0, from: 70_000, to: 90_000)
        meter.dutyCycle(0, from: 90_000, to: 90_100)
        meter.publish(from: 100_000, to: 100_400, published: true, measuring: true)
        #expect(meter.windowPublishNs == 300 + 700 + 400)
        #expect(meter.windowDutyWorkNs == 200)
        #expect(meter.windowIdleDutyNsPerCall == 10_050)   // the two idle cycles of the window, not the warm-up one
        #expect(meter.idleDuty.totalCount == 2)
        let samples = meter.percentiles()
        #expect(samples.count == 2)                      // only published frames of the window are samples
        #expect(samples.max >= 1_199 && samples.max <= 1_201) // 200 duty + 300 failed + 700 published
        #expect(samples.p50 >= 399 && samples.p50 <= 401)
    }

    @Test func perFrameFiguresDivideByPublishedFrames() {
        let c = Self.summarize(bytes: 65_536, consumers: 2,
                               producer: Self.producer(frames: 1000, cpuNs: 5_000_000, publishNs: 2_000_000, dutyWorkNs: 500_000, workP50: 2_100),
                               p50s: [900, 1_500], queued: 250)
        #expect(c.producerCpuNsPerFrame == 5_000)
        #expect(c.producerPublishNsPerFrame == 2_000)
        #expect(c.producerWorkNsPerFrame == 2_500)
        #expect(c.producerWorkP50Ns == 2_100)
        #expect(c.latencyNs.p50 == 1_500)                // the worst consumer
        #expect(c.queuedFractionMax == 0.25)
    }

    @Test func ratiosToOneConsumerAndToTheSmallestPayload() {
        let small = Self.summarize(bytes: 64, consumers: 1, producer: Self.producer(frames: 100, cpuNs: 100_000, publishNs: 40_000), p50s: [500])
        let large1 = Self.summarize(bytes: 4 << 20, consumers: 1, producer: Self.producer(frames: 100, cpuNs: 1_000_000, publishNs: 800_000, workP50: 8_000), p50s: [600])
        let large8 = Self.summarize(bytes: 4 << 20, consumers: 8, producer: Self.producer(frames: 100, cpuNs: 1_500_000, publishNs: 880_000, workP50: 8_400), p50s: [700])
        let refs = BenchFramesReferences(memcpyGiBps: [:], cacheLineRoundTripNs: 0)
        let r = BenchFramesTable.ratios(cases: [small, large1, large8], references: refs)
        #expect(r[0].latencyP50VsSmallest == nil)         // the smallest itself
        #expect(r[1].latencyP50VsSmallest == 1.2)
        #expect(r[2].latencyP50VsSmallest == nil)         // no 64 B case with 8 consumers
        #expect(r[2].producerCpuVsOneConsumer == 1.5)
        #expect(r[2].producerWorkVsOneConsumer == 1.1)
        #expect(r[2].producerWorkP50VsOneConsumer == 1.05)
        #expect(r[1].producerWorkVsOneConsumer == 1)
    }

    @Test func roundsKeepBestFramesPerSecondAndUpperMedians() throws {
        func round(_ frames: UInt64, p50: UInt64, cpu: UInt64) -> BenchFramesCase {
            Self.summarize(bytes: 64, consumers: 1, producer: Self.producer(frames: frames, cpuNs: cpu * frames, publishNs: 0), p50s: [p50])
        }
        let combined = try #require(BenchFramesTable.combineRounds([round(100, p50: 900, cpu: 10), round(300, p50: 100, cpu: 30),
                                                                   round(200, p50: 500, cpu: 20), round(50, p50: 700, cpu: 40)]))
        #expect(combined.framesPerSecond == 300)
        let m = try #require(combined.medians)
        #expect(m.rounds == 4)
        #expect(m.latencyP50Ns == 700)                    // sorted 100 500 700 900: the upper median
        #expect(m.producerCpuNsPerFrame == 30)
        #expect(BenchFramesTable.combineRounds([]).map(\.name) == nil)
        // Ratios use the medians, not the best round's latency.
        let refs = BenchFramesReferences(memcpyGiBps: [:], cacheLineRoundTripNs: 70)
        #expect(BenchFramesTable.ratios(cases: [combined], references: refs)[0].latencyP50VsCacheLine == 10)
    }

    @Test func sameRoundRatioPairsEachRoundWithTheCPrototypeRunAfterIt() throws {
        func ours(_ frames: UInt64) -> BenchFramesCase {
            Self.summarize(bytes: 64, consumers: 1, producer: Self.producer(frames: frames, cpuNs: 0, publishNs: 0), p50s: [100])
        }
        func c(_ fps: Double) -> [String: BenchCPrototypeResult] {
            ["64": BenchCPrototypeResult(bytes: 64, fps: fps, gibPerSecond: 0, raw: "")]
        }
        // Round 2 (ours in the slow placement, C in the fast one) would drag best ÷ best to 0.5.
        let rounds = [ours(900), ours(300), ours(1000)]
        let combined = try #require(BenchFramesTable.combineRounds(rounds, cPrototypeRounds: [c(1000), c(2000), c(1000)]))
        #expect(combined.framesPerSecond == 1000)
        #expect(combined.medians?.fpsVsCSameRound == 0.9)    // sorted 0.15 0.9 1.0
        // A round whose C run failed is left out; without any C run there is no same-round ratio.
        let partial = try #require(BenchFramesTable.combineRounds(rounds, cPrototypeRounds: [c(1000), [:], c(500)]))
        #expect(partial.medians?.fpsVsCSameRound == 2.0)     // sorted 0.9 2.0: upper median
        #expect(BenchFramesTable.combineRounds(rounds)?.medians?.fpsVsCSameRound == nil)
        let refs = BenchFramesReferences(memcpyGiBps: [:], cacheLineRoundTripNs: 0, cPrototype: c(2000))
        let r = BenchFramesTable.ratios(cases: [combined], references: refs)[0]
        #expect(r.fpsVsC == 0.5 && r.fpsVsCSameRound == 0.9)
    }

    @Test func mixedSizeRunsReportOneCasePerSize() throws {
        #expect(try BenchFramesProducer.frameSizes(mixBytes: "64,4194304", bytes: 7) == [64, 4 << 20])
        #expect(try BenchFramesProducer.frameSizes(mixBytes: nil, bytes: 7) == [7])
        #expect(throws: (any Error).self) { try BenchFramesProducer.frameSizes(mixBytes: "", bytes: 7) }
        #expect(throws: (any Error).self) { try BenchFramesProducer.frameSizes(mixBytes: "1,2,3,4,5,6,7,8,9", bytes: 7) }
        // One pool per stride class: 64 B and 100 B share the 4 KiB pool, 4 MiB gets its own.
        let pools = BenchFramesProducer.pools(for: [64, 4 << 20, 100])
        #expect(pools.map(\.strideBytes) == [4096, 4 << 20] && pools.map(\.poolId) == [1, 2])

        var fast = Self.consumer(p50: 100)
        fast.latencyBySizeNs = ["64": BenchLatency(count: 5, p50: 150, p99: 300, p999: 400, max: 500),
                                "4194304": BenchLatency(count: 5, p50: 180, p99: 350, p999: 450, max: 550)]
        var slow = Self.consumer(p50: 100)
        slow.latencyBySizeNs = ["64": BenchLatency(count: 5, p50: 160, p99: 200, p999: 400, max: 500),
                                "4194304": BenchLatency(count: 5, p50: 170, p99: 400, p999: 450, max: 550)]
        let run = BenchFramesTable.summarize(name: "mixed copy full x2", bytes: 4 << 20, path: "copy", read: "full", consumers: 2,
                                             nslots: 4, producer: Self.producer(frames: 1000, cpuNs: 0, publishNs: 0),
                                             consumers: [fast, slow], driverCpuNs: nil)
        let split = BenchFramesTable.splitBySize(run, sizes: [64, 4 << 20])
        #expect(split.map(\.name) == ["64 B copy full x2 mix", "4 MiB copy full x2 mix"])
        #expect(split.map(\.latencyNs.p50) == [160, 180])  // worst consumer, per size
        #expect(split.map(\.latencyNs.p99) == [300, 400])
        #expect(split.map(\.framesPerSecond) == [500, 500])  // the sizes take turns
        let r = BenchFramesTable.ratios(cases: split, references: BenchFramesReferences(memcpyGiBps: [:], cacheLineRoundTripNs: 0,
                                                                                        cPrototype: ["64": BenchCPrototypeResult(bytes: 64, fps: 1000, gibPerSecond: 0, raw: "")]))
        #expect(r[1].latencyP50VsSmallest == 180.0 / 160.0)
        #expect(r[0].fpsVsC == nil)                         // a share of a mix is not compared with a single-size run
    }

    @Test func cPrototypeLatencyRatioUsesTheMedianOverRounds() throws {
        // One run of run.sh per round; each round's log holds one RESULT line per size.
        func round(fps: Double, p50: Int, p99: Int) -> [String: BenchCPrototypeResult] {
            BenchCPrototypeRunner.parse("""
            RESULT aeron_shm_frames bytes=64 slots=4 write=copy read=full fps=\(fps) GiBps=0.005 per_frame_us=11.1 frames=1 desc_p50_ns=\(p50) desc_p99_ns=\(p99) desc_p99.9_ns=990 consumed_p50_ns=1
            unrelated line fps=1
            """)
        }
        let rounds = [round(fps: 90_000, p50: 400, p99: 900), round(fps: 120_000, p50: 100, p99: 300),
                      round(fps: 60_000, p50: 700, p99: 2000)]
        let combined = BenchCPrototypeResult.combine(rounds: rounds)
        let c = try #require(combined["64"])
        #expect(c.fps == 120_000)                         // best round for frames/s
        #expect(c.descP50Ns == 100)                       // that round's latency
        #expect(c.descP50MedianNs == 400 && c.descP99MedianNs == 900)
        #expect(BenchCPrototypeResult.combine(rounds: [rounds[0]])["64"]?.descP50MedianNs == nil)
        let ours = Self.summarize(bytes: 64, consumers: 1, producer: Self.producer(frames: 10, cpuNs: 0, publishNs: 0), p50s: [600])
        let refs = BenchFramesReferences(memcpyGiBps: [:], cacheLineRoundTripNs: 0, cPrototype: combined)
        #expect(BenchFramesTable.ratios(cases: [ours], references: refs)[0].latencyP50VsC == 1.5)
    }
}
