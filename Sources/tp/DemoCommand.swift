@preconcurrency import Glibc
import AeronConcurrent
import ArgumentParser
import Foundation
import TensorPool

/// `tp demo`: the whole system in one process on the embedded Swift driver.
///
/// Threads: the media driver, the Aeron client conductor, one `AgentRunner` per role (producer of synthetic
/// frames, a STREAM consumer, a LATEST consumer, the supervisor agent) and the main thread printing a live line once per
/// second. One process keeps the demo a single command; `tp producer` / `tp consumer` / `tp driver` run the same
/// roles as separate processes.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a producer, a STREAM consumer, a LATEST consumer and a supervisor on the embedded driver.",
        discussion: "Prints frames/s, MiB/s, drops and latency (frame timestamp → consumer callback) every second and a summary at the end. Stops on Ctrl-C or --duration.")

    @Option(help: "Run for this many seconds (default: until Ctrl-C).")
    var duration: Double?

    @Option(help: "Frames per second (0 = as fast as possible).")
    var rate: Double = 1000

    @Option(help: "Tensor shape.")
    var shape: String = "256x256"

    @Option(help: "Element type.")
    var dtype: String = "float32"

    @Flag(help: "Zero-copy producer (claim → fill in place → commit).")
    var zeroCopy = false

    @Option(help: "Header ring slots (power of two).")
    var nslots: UInt32 = 256

    @Flag(inversion: .prefixedNo, help: "Verify every accepted frame against the synthetic pattern.")
    var verify = true

    @Option(help: "Use the media driver in this Aeron directory instead of launching the embedded one.")
    var aeronDir: String?

    @Option(help: "Longest sleep of the consumers' backoff when idle, µs (Aeron's default is 1000). A frame arriving during a sleep waits for its end, so this bounds the latency shown: lower means less latency and more wake-ups.")
    var maxParkUs: Int = 50

    /// "producers 1/1 live, consumers 2/2 live" from the supervisor's latest status snapshot.
    static func supervisorSummary(_ status: SupervisorStatus?) -> String {
        guard let status else { return "(no status yet)" }
        let producersLive = status.producers.filter { $0.state == .live }.count
        let consumersLive = status.consumers.filter { $0.state == .live }.count
        var text = "producers \(producersLive)/\(status.producers.count) live, consumers \(consumersLive)/\(status.consumers.count) live"
        let commanded = status.consumers.compactMap { c in c.commandedMode.map { "\(c.key.consumerId)→\($0)" } }
        if !commanded.isEmpty { text += ", commanded " + commanded.joined(separator: " ") }
        return text
    }

    func run() throws {
        var frameOptions = DemoFrameOptions()
        frameOptions.rate = rate
        frameOptions.shape = shape
        frameOptions.dtype = dtype
        frameOptions.zeroCopy = zeroCopy
        let layout = try frameOptions.layout()
        let stop = DemoStopSignal()
        let pid = getpid()
        let embeddedDir = "/dev/shm/tp-demo-aeron-\(pid)"
        let shmRoot = "/dev/shm/tp-demo-shm-\(pid)"
        mkdir(shmRoot, 0o770)
        defer { try? FileManager.default.removeItem(atPath: shmRoot) }
        let session = try DemoAeronSession(externalDirectory: aeronDir, embeddedDirectory: embeddedDir, deleteOnClose: true) {
            demoPrint("tp demo: \($0)")
        }
        defer { session.close() }
        let log = TensorPoolLogSink { line in demoPrint("tp demo: \(line)") }
        let endpoint = AeronEndpointConfiguration(aeronDir: session.directory)

        var producerConfig = ProducerConfiguration(user: "demo")
        producerConfig.shmRootDir = shmRoot
        producerConfig.headerNslots = nslots
        producerConfig.payloadPools = DemoFrameOptions.pools(for: layout.contiguousByteCount)
        producerConfig.name = "tp-demo synthetic"
        producerConfig.aeron = endpoint
        var producerOptions = ProducerOptions()
        producerOptions.logSink = log
        producerOptions.summary = "\(layout.dtype.displayName) \(layout.shape)"
        let producer = try TensorPoolProducer(configuration: producerConfig, aeron: session.aeron, options: producerOptions)

        func consumerConfig(id: UInt32, mode: ConsumerMode) -> ConsumerConfiguration {
            var c = ConsumerConfiguration(user: "demo")
            c.consumerId = id
            c.modeSettings.mode = mode
            c.aeron = endpoint
            return c
        }
        var consumerOptions = ConsumerOptions(shmRootDir: shmRoot)
        consumerOptions.logSink = log
        let streamConsumer = try TensorPoolConsumer(configuration: consumerConfig(id: 101, mode: .stream), aeron: session.aeron,
                                                    handler: ConsumerVerifyingHandler(verify: verify), options: consumerOptions)
        let latestConsumer = try TensorPoolConsumer(configuration: consumerConfig(id: 102, mode: .latest), aeron: session.aeron,
                                                    handler: ConsumerVerifyingHandler(verify: verify), options: consumerOptions)
        var supervisorConfig = SupervisorConfiguration(user: "demo")
        supervisorConfig.aeron = endpoint
        let supervisor = try SupervisorAgent(
            aeron: session.aeron,
            settings: SupervisorSettings(configuration: supervisorConfig, shmRoot: shmRoot, statusIntervalNs: 500_000_000,
                                         logSink: log))

        let errorHandler: AgentRunner<TensorPoolConsumer<ConsumerVerifyingHandler>, BackoffIdleStrategy>.ErrorHandler = { error in
            demoPrint("tp demo: agent error: \(error)")
        }
        let producerRunner = AgentRunner(
            agent: ProducerAgent(producer: producer, source: SyntheticFrameSource(layout: layout, rateHz: rate, zeroCopy: zeroCopy)),
            idleStrategy: BackoffIdleStrategy(), errorHandler: errorHandler)
        let consumerIdle = BackoffIdleStrategy(maxParkPeriodNs: max(1, maxParkUs) * 1_000)
        // Linux rounds every sleep up by the thread's timer slack (50 µs by default), which would put a floor under
        // the parks above; the agent threads inherit this thread's slack when they start.
        TimerSlack.setForCurrentThread(nanoseconds: 1_000)
        let streamRunner = AgentRunner(agent: streamConsumer, idleStrategy: consumerIdle, errorHandler: errorHandler)
        let latestRunner = AgentRunner(agent: latestConsumer, idleStrategy: consumerIdle, errorHandler: errorHandler)
        let supervisorRunner = AgentRunner(agent: supervisor, idleStrategy: BackoffIdleStrategy(), errorHandler: errorHandler)
        try supervisorRunner.start()
        try streamRunner.start()
        try latestRunner.start()
        try producerRunner.start()
        demoPrint("tp demo: producer epoch \(producer.epoch), \(layout.dtype.displayName) \(layout.shape) = \(layout.contiguousByteCount) bytes at \(rate) Hz\(zeroCopy ? " (zero-copy)" : ""), \(nslots) slots; consumers 101 STREAM, 102 LATEST; supervisor")

        let consumers: [(name: String, consumer: TensorPoolConsumer<ConsumerVerifyingHandler>)] =
            [("STREAM", streamConsumer), ("LATEST", latestConsumer)]
        let start = DispatchTime.now().uptimeNanoseconds
        var lastPrint = start
        var lastPublished: UInt64 = 0
        var lastDelivered = [UInt64](repeating: 0, count: consumers.count)
        var lastLatencySum = [UInt64](repeating: 0, count: consumers.count)
        while !stop.isStopped {
            stop.sleep(seconds: 0.02)
            let now = DispatchTime.now().uptimeNanoseconds
            if let duration, Double(now - start) / 1e9 >= duration { break }
            guard now - lastPrint >= 1_000_000_000 else { continue }
            let seconds = Double(now - lastPrint) / 1e9
            let published = producer.statistics[.framesPublished]
            let frameRate = Double(published - lastPublished) / seconds
            var line = String(format: "[%4.0fs] producer %@ fr/s %.1f MiB/s", Double(now - start) / 1e9, demoRate(frameRate),
                              frameRate * Double(layout.contiguousByteCount) / 1_048_576)
            for (i, entry) in consumers.enumerated() {
                let s = entry.consumer.statistics
                let h = entry.consumer.handler.counters
                let delivered = h[.verified] + h[.corrupt]
                let latencySum = h[.latencySumNs]
                let frames = delivered - lastDelivered[i]
                let avg = frames > 0 ? (latencySum - lastLatencySum[i]) / frames : 0
                line += " | \(entry.name) \(demoRate(Double(frames) / seconds)) fr/s drops gap \(s[.dropsGap]) late \(s[.dropsLate])"
                line += " lat avg \(demoMicros(avg)) max \(demoMicros(h.takeIntervalMaxNs())) µs"
                if h[.corrupt] > 0 { line += " CORRUPT \(h[.corrupt])" }
                lastDelivered[i] = delivered
                lastLatencySum[i] = latencySum
            }
            line += " | supervisor " + Self.supervisorSummary(supervisor.statusBoard.status)
            demoPrint(line)
            lastPublished = published
            lastPrint = now
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        try producerRunner.close()
        try streamRunner.close()
        try latestRunner.close()
        try supervisorRunner.close()

        let p = producer.statistics
        demoPrint(String(format: "tp demo: summary after %.1f s: producer published %llu frames (%.1f MiB/s), descriptor failures %llu, oversize %llu",
                         elapsed, p[.framesPublished], Double(p[.bytesPublished]) / 1_048_576 / max(elapsed, 1e-9),
                         p[.descriptorOfferFailures], p[.oversizeDrops]))
        var corrupt: UInt64 = 0
        for entry in consumers {
            let s = entry.consumer.statistics
            let h = entry.consumer.handler
            corrupt += h.counters[.corrupt]
            var line = "tp demo: \(entry.name): accepted \(h.counters[.verified] + h.counters[.corrupt])"
            line += verify ? " (verified \(h.counters[.verified]), corrupt \(h.counters[.corrupt]))" : ""
            line += ", torn \(h.counters[.torn]), drops gap \(s[.dropsGap]) late \(s[.dropsLate])"
            line += ", superseded \(s[.latestSuperseded]), remaps \(s[.unmaps])"
            if h.latency.totalCount > 0 {
                line += ", latency p50 \(demoMicros(h.latency.valueAtPercentile(50))) p99 \(demoMicros(h.latency.valueAtPercentile(99))) max \(demoMicros(h.latency.max)) µs"
            }
            demoPrint(line)
        }
        demoPrint("tp demo: supervisor: " + Self.supervisorSummary(supervisor.statusBoard.status))
        if consumers.contains(where: { $0.consumer.handler.latency.totalCount > 0 }) {
            demoPrint("tp demo: latency is commit → callback; idle consumers sleep up to \(maxParkUs) µs between frames (--max-park-us)")
        }
        if corrupt > 0 { throw ExitCode(1) }
    }
}
