@preconcurrency import Glibc
import AeronConcurrent
import ArgumentParser
import Foundation
import TensorPool

/// `tp consumer`: maps a producer's regions and reads its frames, optionally verifying the synthetic pattern.
struct ConsumerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consumer",
        abstract: "Consume a data source: map its SHM regions, read frames through the seqlock, print statistics.",
        discussion: """
        Exit status: 0 = done (with --count: that many frames received, and with --verify none corrupt); \
        1 = a verified frame did not match the producer's synthetic pattern (--verify-republished for streams \
        republished by the decimator or a bridge receiver); 2 = --count not reached before \
        --duration ended. The last line is a machine-readable summary.
        """)

    @OptionGroup var connection: DemoConnectionOptions

    @Option(help: "Frame selection: stream, latest or decimated.")
    var mode: String?

    @Option(help: "DECIMATED: deliver every Nth frame.")
    var decimation: UInt16?

    @Option(help: "At most this many frames per second (0 = unlimited).")
    var maxRateHz: UInt16?

    @Option(help: "Consumer id (default: configured, else random).")
    var consumerId: UInt32?

    @Flag(help: "Check every accepted frame against the producer's synthetic pattern (tp producer / tp demo).")
    var verify = false

    @Flag(help: ArgumentHelp(
        "Check every accepted frame is one whole synthetic frame, of any source epoch/seq.",
        discussion: "For streams republished by tp decimator or tp bridge receive: they renumber frames (own epoch, seq), so --verify's exact check cannot hold. Detects torn, mixed or corrupted payloads, not reordered or repeated frames."))
    var verifyRepublished = false

    @Option(help: "Stop after this many accepted frames.")
    var count: UInt64?

    @Option(help: "Stop after this many seconds.")
    var duration: Double?

    @Flag(help: "No per-second line.")
    var quiet = false

    func run() throws {
        var config = try connection.loadConfiguration().consumer
        if let streamId = connection.streamId { config.streamId = streamId }
        if let mode {
            guard let parsed = ConsumerMode(name: mode) else { throw ValidationError("unknown --mode \(mode)") }
            config.modeSettings.mode = parsed
        }
        if let decimation {
            guard decimation >= 1 else { throw ValidationError("--decimation must be >= 1") }
            config.modeSettings.decimation = decimation
        }
        if let maxRateHz { config.modeSettings.maxRateHz = maxRateHz }
        if let consumerId { config.consumerId = consumerId }
        if let dir = connection.aeronDir { config.aeron.aeronDir = dir }
        let stop = DemoStopSignal()
        let session = try DemoAeronSession(
            externalDirectory: connection.aeronDir ?? (connection.embeddedDriver ? nil : config.aeron.aeronDir),
            embeddedDirectory: config.aeron.aeronDir, deleteOnClose: false) { demoPrint("tp consumer: \($0)") }
        defer { session.close() }
        var options = ConsumerOptions(shmRootDir: connection.shmRoot)
        options.logSink = TensorPoolLogSink { line in demoPrint("tp consumer: \(line)") }
        let consumer = try TensorPoolConsumer(configuration: config, aeron: session.aeron,
                                              handler: ConsumerVerifyingHandler(verify: verify, republished: verifyRepublished),
                                              options: options)
        let handlerCounters = consumer.handler.counters
        let runner = AgentRunner(agent: consumer, idleStrategy: BackoffIdleStrategy()) { error in
            demoPrint("tp consumer: error: \(error)")
        }
        try runner.start()
        demoPrint("tp consumer: id \(consumer.consumerId) stream \(config.streamId) mode \(config.modeSettings.mode) verify \(verifyRepublished ? "republished" : "\(verify)") aeron \(session.directory)")

        let start = DispatchTime.now().uptimeNanoseconds
        var lastVerified: UInt64 = 0
        var lastPrint = start
        while !stop.isStopped {
            stop.sleep(seconds: 0.05)
            let now = DispatchTime.now().uptimeNanoseconds
            let delivered = handlerCounters[.verified] + handlerCounters[.corrupt]
            if let count, delivered >= count { break }
            if verify || verifyRepublished, handlerCounters[.corrupt] > 0 { break }
            if let duration, Double(now - start) / 1e9 >= duration { break }
            if !quiet, now - lastPrint >= 1_000_000_000 {
                let s = consumer.statistics
                let rate = Double(delivered - lastVerified) * 1e9 / Double(now - lastPrint)
                demoPrint("tp consumer: t=\(String(format: "%.0f", Double(now - start) / 1e9))s frames=\(delivered) (\(demoRate(rate))/s) corrupt=\(handlerCounters[.corrupt]) torn=\(handlerCounters[.torn]) drops_gap=\(s[.dropsGap]) drops_late=\(s[.dropsLate]) epoch=\(s[.mappedEpoch]) lat_max_us=\(demoMicros(handlerCounters.takeIntervalMaxNs()))")
                lastVerified = delivered
                lastPrint = now
            }
        }
        try runner.close()
        let stopped = runner.agentIfStopped ?? consumer
        let s = stopped.statistics
        let handler = stopped.handler
        let delivered = handlerCounters[.verified] + handlerCounters[.corrupt]
        var summary = "tp consumer: summary frames=\(delivered) verified=\(handlerCounters[.verified]) corrupt=\(handlerCounters[.corrupt]) torn=\(handlerCounters[.torn])"
        summary += " drops_gap=\(s[.dropsGap]) drops_late=\(s[.dropsLate]) maps=\(s[.maps]) unmaps=\(s[.unmaps]) epochs=\(handler.epochs.map(String.init).joined(separator: ","))"
        summary += " rejected_messages=\(stopped.controlPlane.counters.rejectedTotal)"
        if handler.latency.totalCount > 0 {
            summary += " lat_p50_us=\(demoMicros(handler.latency.valueAtPercentile(50))) lat_p99_us=\(demoMicros(handler.latency.valueAtPercentile(99))) lat_max_us=\(demoMicros(handler.latency.max))"
        }
        if let bad = handler.firstCorrupt { summary += " first_corrupt=\(bad.epoch)/\(bad.seq)" }
        demoPrint(summary)
        let wholeOther = handlerCounters[.wholeOtherFrame]
        if !verifyRepublished, wholeOther > 0 {
            demoPrint("tp consumer: \(wholeOther) frame(s) failed --verify but are intact synthetic frames of another epoch/seq: "
                      + "the stream looks republished (tp decimator / tp bridge receive renumber frames); use --verify-republished")
        }
        if (verify || verifyRepublished) && handlerCounters[.corrupt] > 0 { throw ExitCode(1) }
        if let count, delivered < count { throw ExitCode(2) }
    }
}
