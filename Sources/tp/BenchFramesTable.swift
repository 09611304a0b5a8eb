import Foundation

/// Turns the children's results into per-case figures, ratios to the references and the printed table.
enum BenchFramesTable {
    static func sizeLabel(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) B"
    }

    static func summarize(name: String, bytes: Int, path: String, read: String, consumers: Int, nslots: Int,
                          producer: BenchFramesProducerResult, consumers results: [BenchFramesConsumerResult],
                          driverCpuNs: UInt64?) -> BenchFramesCase {
        let fps = producer.seconds > 0 ? Double(producer.frames) / producer.seconds : 0
        let delivered = results.map { $0.measuredSeconds > 0 ? Double($0.measuredFrames) / $0.measuredSeconds : 0 }
        let latency = BenchLatency.worst(of: results.map(\.latencyNs)) ?? .none
        let descriptorLatency = results.allSatisfy { $0.descriptorLatencyNs != nil }
            ? BenchLatency.worst(of: results.compactMap(\.descriptorLatencyNs)) : nil
        var drops: [String: UInt64] = [:]
        for r in results { for (k, v) in r.drops { drops[k, default: 0] += v } }
        let consumerCpu = results.map { $0.cpuFrames > 0 ? Double($0.cpuNs) / Double($0.cpuFrames) : 0 }
        // The parent's CPU over the case is the embedded driver's thread (the parent itself only waits).
        let driverPerFrame = driverCpuNs.map { producer.frames > 0 ? Double($0) / Double(producer.frames) : 0 }
        let perFrame = { (ns: UInt64) in producer.frames > 0 ? Double(ns) / Double(producer.frames) : 0 }
        let queued = results.map { $0.measuredFrames > 0 ? Double($0.queuedBehindPrevious) / Double($0.measuredFrames) : 0 }
        return BenchFramesCase(
            name: name, bytes: bytes, path: path, read: read, consumers: consumers, nslots: nslots,
            producer: producer, consumerResults: results, framesPerSecond: fps,
            gibPerSecond: fps * Double(bytes) / Double(1 << 30), deliveredPerSecondMin: delivered.min() ?? 0,
            latencyNs: latency, descriptorLatencyNs: descriptorLatency,
            producerCpuNsPerFrame: perFrame(producer.cpuNs), producerPublishNsPerFrame: perFrame(producer.publishNs),
            producerWorkNsPerFrame: perFrame(producer.publishNs &+ producer.dutyWorkNs),
            producerWorkP50Ns: producer.workPerFrameNs.p50, queuedFractionMax: queued.max() ?? 0,
            consumerCpuNsPerFrameMax: consumerCpu.max() ?? 0, driverCpuNsPerFrame: driverPerFrame,
            producerMaxRssKiB: producer.maxRssKiB, consumerMaxRssKiBMax: results.map(\.maxRssKiB).max() ?? 0,
            consumerDrops: drops)
    }

    /// The cases of a mixed-size run, one per size: the run's figures with the latency of that size's frames
    /// (worst consumer) and its share of the frames (the sizes take turns, so each is 1/n of them).
    static func splitBySize(_ run: BenchFramesCase, sizes: [Int]) -> [BenchFramesCase] {
        sizes.map { size in
            var c = run
            c.bytes = size
            c.name = "\(sizeLabel(size)) \(run.path) \(run.read) x\(run.consumers) mix"
            c.latencyNs = BenchLatency.worst(of: run.consumerResults.compactMap { $0.latencyBySizeNs?[String(size)] })
                ?? .none
            c.descriptorLatencyNs = BenchLatency.worst(
                of: run.consumerResults.compactMap { $0.descriptorLatencyBySizeNs?[String(size)] })
            c.framesPerSecond = run.framesPerSecond / Double(max(sizes.count, 1))
            c.gibPerSecond = c.framesPerSecond * Double(size) / Double(1 << 30)
            c.deliveredPerSecondMin = run.deliveredPerSecondMin / Double(max(sizes.count, 1))
            c.mixedWith = sizes
            return c
        }
    }

    /// Ratios of each case to its references. Latency and producer CPU/work use the medians over rounds when
    /// present (``BenchFramesCase/medians``), frames/s the best round.
    static func ratios(cases: [BenchFramesCase], references: BenchFramesReferences) -> [BenchFramesRatio] {
        cases.map { (c: BenchFramesCase) -> BenchFramesRatio in
            let reference = references.cPrototype?[String(c.bytes)]
            let memcpy = references.memcpyGiBps[String(c.bytes)]
            let one: BenchFramesCase? = cases.first { (o: BenchFramesCase) -> Bool in
                o.bytes == c.bytes && o.path == c.path && o.read == c.read && o.consumers == 1
            }
            let smallest: BenchFramesCase? = cases.filter { (o: BenchFramesCase) -> Bool in
                o.path == c.path && o.read == c.read && o.consumers == c.consumers
            }.min { $0.bytes < $1.bytes }
            func ratio(_ a: Double, _ b: Double?) -> Double? {
                guard let b, b > 0 else { return nil }
                return a / b
            }
            let m = figures(c)
            let cDescriptorP50: Double? = reference?.descP50MedianNs ?? reference?.descP50Ns
            var descriptorVsSmallest: Double?
            if let s = smallest, s.bytes != c.bytes, let ours = m.descriptorLatencyP50Ns {
                descriptorVsSmallest = ratio(ours, figures(s).descriptorLatencyP50Ns)
            }
            let descriptorVsC: Double? = m.descriptorLatencyP50Ns.flatMap { ratio($0, cDescriptorP50) }
            return BenchFramesRatio(
                caseName: c.name, fpsVsC: c.mixedWith == nil ? ratio(c.framesPerSecond, reference?.fps) : nil,
                fpsVsCSameRound: c.medians?.fpsVsCSameRound,
                latencyP50VsC: ratio(m.latencyP50Ns, cDescriptorP50),
                latencyP50VsSmallest: smallest.flatMap { $0.bytes == c.bytes ? nil : ratio(m.latencyP50Ns, figures($0).latencyP50Ns) },
                latencyP50VsCacheLine: ratio(m.latencyP50Ns, references.cacheLineRoundTripNs),
                descriptorLatencyP50VsC: descriptorVsC, descriptorLatencyP50VsSmallest: descriptorVsSmallest,
                gibpsVsMemcpy: ratio(c.gibPerSecond, memcpy),
                producerCpuVsOneConsumer: one.flatMap { ratio(m.producerCpuNsPerFrame, figures($0).producerCpuNsPerFrame) },
                producerPublishVsOneConsumer: one.flatMap { ratio(c.producerPublishNsPerFrame, $0.producerPublishNsPerFrame) },
                producerWorkVsOneConsumer: one.flatMap { ratio(m.producerWorkNsPerFrame, figures($0).producerWorkNsPerFrame) },
                producerWorkP50VsOneConsumer: one.flatMap { ratio(m.producerWorkP50Ns, figures($0).producerWorkP50Ns) })
        }
    }

    /// The figures ratios are taken from: the medians over rounds, or the single round.
    static func figures(_ c: BenchFramesCase) -> BenchFramesMedians {
        c.medians ?? medians(of: [c])
    }

    /// Medians of the key figures over the rounds of one case (upper median for an even count: never flatters).
    static func medians(of rounds: [BenchFramesCase]) -> BenchFramesMedians {
        func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        }
        return BenchFramesMedians(
            rounds: rounds.count, framesPerSecond: median(rounds.map(\.framesPerSecond)),
            latencyP50Ns: median(rounds.map { Double($0.latencyNs.p50) }),
            latencyP99Ns: median(rounds.map { Double($0.latencyNs.p99) }),
            descriptorLatencyP50Ns: rounds.allSatisfy { $0.descriptorLatencyNs != nil }
                ? median(rounds.compactMap { $0.descriptorLatencyNs.map { Double($0.p50) } }) : nil,
            producerCpuNsPerFrame: median(rounds.map(\.producerCpuNsPerFrame)),
            producerWorkNsPerFrame: median(rounds.map(\.producerWorkNsPerFrame)),
            producerWorkP50Ns: median(rounds.map { Double($0.producerWorkP50Ns) }))
    }

    /// The best-frames/s round of each case, with the medians of all its rounds attached. `cPrototypeRounds[r]`
    /// is the C prototype's run of round `r` (missing or failed runs leave that round unpaired).
    static func combineRounds(_ rounds: [BenchFramesCase],
                              cPrototypeRounds: [[String: BenchCPrototypeResult]] = []) -> BenchFramesCase? {
        guard var best = rounds.max(by: { $0.framesPerSecond < $1.framesPerSecond }) else { return nil }
        var m = medians(of: rounds)
        let paired = zip(rounds, cPrototypeRounds).compactMap { ours, c -> Double? in
            guard ours.mixedWith == nil, let reference = c[String(ours.bytes)], reference.fps > 0 else { return nil }
            return ours.framesPerSecond / reference.fps
        }.sorted()
        m.fpsVsCSameRound = paired.isEmpty ? nil : paired[paired.count / 2]
        best.medians = m
        return best
    }

    /// What each reported figure measures (table legend and JSON `definitions`).
    static let definitions: [String: String] = [
        "framesPerSecond": "successful publishes (descriptor offered) per second in the measured window; best round",
        "fpsVsC / vsCrnd": "vsC: our best round ÷ the C prototype's best round (same size); vsCrnd (fpsVsCSameRound): median over rounds of our frames/s ÷ the C prototype's in the same round, run right after our cases of that size. This VM's two vCPUs move between placements that change every figure about 2× (rt, the cache-line round trip probed before each run, reads ~80 ns in one and 400+ ns in the other); vsCrnd pairs runs seconds apart",
        "latency": "producer commit (header timestamp_ns, FrameTimestamp.atCommit: read after the payload copy, right before the commit; with --stamp call: before publish/claim, so it includes the copy) to the start of the consumer's onFrame callback (descriptor polled, header read under the seqlock), worst consumer; C prototype: t_pub after its memcpy to t_rx at descriptor receipt",
        "latencyP50VsC": "our p50 ÷ the C prototype's descriptor p50 for the same size (the C run is closed-loop copy/full with 4 slots; its medians over the rounds when --repeats > 1; each of its runs follows our cases of the same round)",
        "latencyP50VsSmallest": "p50 ÷ the smallest payload's p50 with the same path/read/consumers (target: 4 MiB ≤ 1.2× 64 B)",
        "descP50 (descriptorLatencyNs)": "producer commit (the descriptor's timestamp_ns, the same stamp as the header's) to the FrameDescriptor's arrival at the consumer (TensorFrameHandler.onDescriptor, before admission and the slot read), worst consumer: the point where the C prototype stamps t_rx; its vsC and vsMin columns compare like with like (descriptor to descriptor)",
        "queued": "share of measured frames committed before the consumer had finished the previous one (latency then includes queueing behind that read, not only the hand-off)",
        "producerCpuNsPerFrame": "producer process CPU (getrusage user+sys, all threads) ÷ published frames; includes busy-spinning between paced frames unless --idle sleep, and the closed loop's wait for consumers",
        "producerWorkNsPerFrame": "producer work ÷ published frames: wall time in publish (or claim+fill+commit) plus duty cycles that did work (doWork > 0: hellos, QoS, announces); excludes idle duty cycles and flow-control waiting",
        "producerWorkP50Ns": "median of the per-frame producer work samples (robust to preemption, which the mean counts)",
        "pollns (producer.idleDutyP50Ns)": "median wall time of one producer duty cycle that found nothing to do (JSON: also the mean, idleDutyNsPerCall): the cost of polling its control and QoS subscriptions, which have one image per publisher (the producer + every consumer)",
        "commitP50 (producer.commitNs)": "claim path: median wall time of commit alone (stamp, header write, commit word release, descriptor offer), the producer's share of the commit → callback latency",
        "cIdleNs (consumerResults.idleLoopNs)": "mean period of a consumer's idle loop (a duty cycle that read nothing, plus the clock read: every 16th idle cycle with the default consumer-clock=reused-16, every cycle with --clock-every-cycle; spans over 10 µs, preempted, left out), the slowest consumer: a descriptor waits on average half of it before it is polled",
        "producerPublishNsPerFrame": "wall time inside publish (or claim+fill+commit) ÷ published frames",
        "driverCpuNsPerFrame": "CPU of the parent process (the embedded driver's thread) ÷ published frames",
        "medians": "with --repeats N: per-case medians over rounds; latency and CPU/work ratios use them, frames/s is the best round",
    ]

    static func render(_ report: BenchFramesReport) -> String {
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
        func x(_ v: Double?) -> String { v.map { String(format: $0 >= 100 ? "%.0fx" : "%.2fx", $0) } ?? "-" }
        func us(_ ns: UInt64) -> String { String(format: "%.1f", Double(ns) / 1000) }
        var lines: [String] = []
        lines.append("# tp bench frames  driver=\(report.driver)  flow=\(report.flow)\(report.acks.map { " acks=\($0)" } ?? "")\(report.pinned ? " pinned" : "")\(report.hugetlbfs.map { " regions=hugetlbfs:\($0)" } ?? "")  consumer-clock=\(report.consumerClock)  load before \(BenchFrames.format(report.loadAverageBefore)) after \(BenchFrames.format(report.loadAverageAfter))  nproc=\(report.nproc)  \(report.secondsPerCase) s/case, best of \(report.repeats)\(report.rateHz > 0 ? ", paced at \(Int(report.rateHz)) frames/s" : "")")
        lines.append("case".padding(toLength: 26, withPad: " ", startingAt: 0)
            + pad("frames/s", 10) + pad("vsC", 7) + pad("vsCrnd", 7) + pad("rtns", 6) + pad("GiB/s", 7) + pad("vsMemcpy", 9) + pad("deliv/s", 10)
            + pad("p50us", 9) + pad("vsC", 7) + pad("vsMin", 7) + pad("descP50", 8) + pad("vsC", 7) + pad("vsMin", 7) + pad("p99us", 9) + pad("p99.9us", 9) + pad("maxus", 9)
            + pad("queued", 7)
            + pad("prodCPUus", 10) + pad("vs1c", 7) + pad("workus", 8) + pad("vs1c", 7) + pad("workP50", 8) + pad("vs1c", 7)
            + pad("pubus", 8) + pad("commitP50", 10) + pad("pollns", 8) + pad("cIdleNs", 8) + pad("consCPUus", 10) + pad("drvCPUus", 9)
            + pad("RSSprodMiB", 11) + pad("RSSconsMiB", 11) + "  drops")
        for (c, r) in zip(report.cases, report.ratios) {
            let m = figures(c)
            let drops = c.consumerDrops.merging(c.producer.drops) { $0 + $1 }.sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            lines.append(c.name.padding(toLength: 26, withPad: " ", startingAt: 0)
                + pad(String(format: "%.0f", c.framesPerSecond), 10) + pad(x(r.fpsVsC), 7) + pad(x(r.fpsVsCSameRound), 7)
                + pad(c.placementRoundTripNs.map { String(format: "%.0f", $0) } ?? "-", 6)
                + pad(String(format: "%.2f", c.gibPerSecond), 7) + pad(x(r.gibpsVsMemcpy), 9)
                + pad(String(format: "%.0f", c.deliveredPerSecondMin), 10)
                + pad(us(UInt64(m.latencyP50Ns)), 9) + pad(x(r.latencyP50VsC), 7) + pad(x(r.latencyP50VsSmallest), 7)
                + pad(m.descriptorLatencyP50Ns.map { us(UInt64($0)) } ?? "-", 8) + pad(x(r.descriptorLatencyP50VsC), 7)
                + pad(x(r.descriptorLatencyP50VsSmallest), 7)
                + pad(us(UInt64(m.latencyP99Ns)), 9) + pad(us(c.latencyNs.p999), 9) + pad(us(c.latencyNs.max), 9)
                + pad(String(format: "%.0f%%", c.queuedFractionMax * 100), 7)
                + pad(String(format: "%.2f", m.producerCpuNsPerFrame / 1000), 10) + pad(x(r.producerCpuVsOneConsumer), 7)
                + pad(String(format: "%.2f", m.producerWorkNsPerFrame / 1000), 8) + pad(x(r.producerWorkVsOneConsumer), 7)
                + pad(String(format: "%.2f", m.producerWorkP50Ns / 1000), 8) + pad(x(r.producerWorkP50VsOneConsumer), 7)
                + pad(String(format: "%.2f", c.producerPublishNsPerFrame / 1000), 8)
                + pad(c.producer.commitNs.map { String(format: "%.2f", Double($0.p50) / 1000) } ?? "-", 10)
                + pad(String(format: "%llu", c.producer.idleDutyP50Ns), 8)
                + pad(c.consumerResults.compactMap(\.idleLoopNs).max().map { String(format: "%.0f", $0) } ?? "-", 8)
                + pad(String(format: "%.2f", c.consumerCpuNsPerFrameMax / 1000), 10)
                + pad(c.driverCpuNsPerFrame.map { String(format: "%.2f", $0 / 1000) } ?? "-", 9)
                + pad(String(format: "%.1f", Double(c.producerMaxRssKiB) / 1024), 11)
                + pad(String(format: "%.1f", Double(c.consumerMaxRssKiBMax) / 1024), 11)
                + "  " + (drops.isEmpty ? "none" : drops))
        }
        lines.append("# references (same run)")
        for (size, gib) in report.references.memcpyGiBps.sorted(by: { Int($0.key)! < Int($1.key)! }) {
            lines.append("  memcpy \(sizeLabel(Int(size)!)): \(String(format: "%.2f", gib)) GiB/s single thread")
        }
        lines.append("  cache-line round trip (2 threads): \(String(format: "%.0f", report.references.cacheLineRoundTripNs)) ns")
        if let first = report.references.firstTouchGiBps, let second = report.references.secondPassGiBps {
            lines.append("  fresh 256 MiB /dev/shm mapping: first touch \(String(format: "%.2f", first)) GiB/s, second pass \(String(format: "%.2f", second)) GiB/s")
        }
        if let c = report.references.cPrototype {
            for (_, r) in c.sorted(by: { $0.value.bytes < $1.value.bytes }) {
                let medians = r.descP50MedianNs.map { p50 in
                    " (medians over runs: p50 \(String(format: "%.1f", p50 / 1000)) us p99 \(r.descP99MedianNs.map { String(format: "%.1f", $0 / 1000) } ?? "-") us)"
                } ?? ""
                lines.append("  C prototype \(sizeLabel(r.bytes)) copy/full 4 slots, closed loop: \(String(format: "%.0f", r.fps)) frames/s \(String(format: "%.2f", r.gibPerSecond)) GiB/s desc p50 \(r.descP50Ns.map { String(format: "%.1f", $0 / 1000) } ?? "-") us p99 \(r.descP99Ns.map { String(format: "%.1f", $0 / 1000) } ?? "-") us (best run)" + medians)
            }
        }
        if let error = report.references.cPrototypeError { lines.append("  C prototype not measured: \(error)") }
        let stamps = Set(report.cases.map(\.producer.stamp)).sorted().joined(separator: ",")
        let idles = Set(report.cases.map(\.producer.idle)).sorted().joined(separator: ",")
        let duty = Set(report.cases.map { String(format: "%g", $0.producer.dutyEveryUs) }).sorted().joined(separator: ",")
        lines.append("# producer stamp=\(stamps) idle=\(idles) duty-every-us=\(duty); p50/p99/prodCPU/work columns are medians over \(report.repeats) round(s), the rest the best-frames/s round")
        lines.append("# definitions")
        for (key, text) in definitions.sorted(by: { $0.key < $1.key }) { lines.append("  \(key): \(text)") }
        return lines.joined(separator: "\n")
    }
}
