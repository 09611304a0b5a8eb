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
        let latency = BenchLatency(
            count: results.reduce(0) { $0 + $1.latencyNs.count },
            p50: results.map(\.latencyNs.p50).max() ?? 0, p99: results.map(\.latencyNs.p99).max() ?? 0,
            p999: results.map(\.latencyNs.p999).max() ?? 0, max: results.map(\.latencyNs.max).max() ?? 0)
        var drops: [String: UInt64] = [:]
        for r in results { for (k, v) in r.drops { drops[k, default: 0] += v } }
        let consumerCpu = results.map { $0.cpuFrames > 0 ? Double($0.cpuNs) / Double($0.cpuFrames) : 0 }
        // The parent's CPU over the case is the embedded driver's thread (the parent itself only waits).
        let driverPerFrame = driverCpuNs.map { producer.frames > 0 ? Double($0) / Double(producer.frames) : 0 }
        return BenchFramesCase(
            name: name, bytes: bytes, path: path, read: read, consumers: consumers, nslots: nslots,
            producer: producer, consumerResults: results, framesPerSecond: fps,
            gibPerSecond: fps * Double(bytes) / Double(1 << 30), deliveredPerSecondMin: delivered.min() ?? 0,
            latencyNs: latency,
            producerCpuNsPerFrame: producer.frames > 0 ? Double(producer.cpuNs) / Double(producer.frames) : 0,
            producerPublishNsPerFrame: producer.frames > 0 ? Double(producer.publishNs) / Double(producer.frames) : 0,
            consumerCpuNsPerFrameMax: consumerCpu.max() ?? 0, driverCpuNsPerFrame: driverPerFrame,
            producerMaxRssKiB: producer.maxRssKiB, consumerMaxRssKiBMax: results.map(\.maxRssKiB).max() ?? 0,
            consumerDrops: drops)
    }

    static func ratios(cases: [BenchFramesCase], references: BenchFramesReferences) -> [BenchFramesRatio] {
        cases.map { c in
            let reference = references.cPrototype?[String(c.bytes)]
            let memcpy = references.memcpyGiBps[String(c.bytes)]
            let one = cases.first { $0.bytes == c.bytes && $0.path == c.path && $0.read == c.read && $0.consumers == 1 }
            func ratio(_ a: Double, _ b: Double?) -> Double? {
                guard let b, b > 0 else { return nil }
                return a / b
            }
            return BenchFramesRatio(
                caseName: c.name, fpsVsC: ratio(c.framesPerSecond, reference?.fps),
                latencyP50VsC: ratio(Double(c.latencyNs.p50), reference?.descP50Ns),
                latencyP50VsCacheLine: ratio(Double(c.latencyNs.p50), references.cacheLineRoundTripNs),
                gibpsVsMemcpy: ratio(c.gibPerSecond, memcpy),
                producerCpuVsOneConsumer: one.flatMap { ratio(c.producerCpuNsPerFrame, $0.producerCpuNsPerFrame) },
                producerPublishVsOneConsumer: one.flatMap { ratio(c.producerPublishNsPerFrame, $0.producerPublishNsPerFrame) })
        }
    }

    static func render(_ report: BenchFramesReport) -> String {
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
        func x(_ v: Double?) -> String { v.map { String(format: $0 >= 100 ? "%.0fx" : "%.2fx", $0) } ?? "-" }
        func us(_ ns: UInt64) -> String { String(format: "%.1f", Double(ns) / 1000) }
        var lines: [String] = []
        lines.append("# tp bench frames  driver=\(report.driver)  flow=\(report.flow)\(report.pinned ? " pinned" : "")  load before \(BenchFrames.format(report.loadAverageBefore)) after \(BenchFrames.format(report.loadAverageAfter))  nproc=\(report.nproc)  \(report.secondsPerCase) s/case, best of \(report.repeats)\(report.rateHz > 0 ? ", paced at \(Int(report.rateHz)) frames/s" : "")")
        lines.append("case".padding(toLength: 26, withPad: " ", startingAt: 0)
            + pad("frames/s", 10) + pad("vsC", 7) + pad("GiB/s", 7) + pad("vsMemcpy", 9) + pad("deliv/s", 10)
            + pad("p50us", 9) + pad("vsC", 7) + pad("p99us", 9) + pad("p99.9us", 9) + pad("maxus", 9)
            + pad("prodCPUus", 10) + pad("vs1c", 7) + pad("pubus", 8) + pad("vs1c", 7) + pad("consCPUus", 10) + pad("drvCPUus", 9)
            + pad("RSSprodMiB", 11) + pad("RSSconsMiB", 11) + "  drops")
        for (c, r) in zip(report.cases, report.ratios) {
            let drops = c.consumerDrops.merging(c.producer.drops) { $0 + $1 }.sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            lines.append(c.name.padding(toLength: 26, withPad: " ", startingAt: 0)
                + pad(String(format: "%.0f", c.framesPerSecond), 10) + pad(x(r.fpsVsC), 7)
                + pad(String(format: "%.2f", c.gibPerSecond), 7) + pad(x(r.gibpsVsMemcpy), 9)
                + pad(String(format: "%.0f", c.deliveredPerSecondMin), 10)
                + pad(us(c.latencyNs.p50), 9) + pad(x(r.latencyP50VsC), 7) + pad(us(c.latencyNs.p99), 9)
                + pad(us(c.latencyNs.p999), 9) + pad(us(c.latencyNs.max), 9)
                + pad(String(format: "%.2f", c.producerCpuNsPerFrame / 1000), 10) + pad(x(r.producerCpuVsOneConsumer), 7)
                + pad(String(format: "%.2f", c.producerPublishNsPerFrame / 1000), 8) + pad(x(r.producerPublishVsOneConsumer), 7)
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
                lines.append("  C prototype \(sizeLabel(r.bytes)) copy/full 4 slots: \(String(format: "%.0f", r.fps)) frames/s \(String(format: "%.2f", r.gibPerSecond)) GiB/s desc p50 \(r.descP50Ns.map { String(format: "%.1f", $0 / 1000) } ?? "-") us p99 \(r.descP99Ns.map { String(format: "%.1f", $0 / 1000) } ?? "-") us")
            }
        }
        if let error = report.references.cPrototypeError { lines.append("  C prototype not measured: \(error)") }
        lines.append("# frames/s: successful publishes; latency: header timestamp (copy: before publish, so it includes the copy; claim: at commit) to the consumer's onFrame, worst consumer; CPU: getrusage user+sys per frame in the measured window (closed flow: includes the producer's wait for consumers); pubus: producer wall time inside publish (or claim+fill+commit) per frame; drvCPU: the parent (embedded driver thread)")
        return lines.joined(separator: "\n")
    }
}
