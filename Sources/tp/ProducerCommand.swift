@preconcurrency import Glibc
import AeronConcurrent
import ArgumentParser
import Foundation
import TensorPool

/// `tp producer`: a producer of synthetic frames (self-checking pattern, see `tp consumer --verify`).
struct ProducerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "producer",
        abstract: "Produce synthetic frames into SHM and announce them over Aeron.",
        discussion: "Each run takes a new epoch. Stops on SIGINT/SIGTERM, --duration or --count; regions are unlinked on exit.")

    @OptionGroup var connection: DemoConnectionOptions
    @OptionGroup var frames: DemoFrameOptions

    @Option(help: "Producer id.")
    var producerId: UInt32?

    @Option(help: "Header ring slots (power of two).")
    var nslots: UInt32?

    @Option(help: "Stop after this many seconds.")
    var duration: Double?

    @Option(help: "Stop after this many frames.")
    var count: UInt64?

    @Flag(help: "No per-second line.")
    var quiet = false

    func run() throws {
        let loaded = try connection.loadConfiguration()
        var config = loaded.producer
        let layout = try frames.layout()
        if let streamId = connection.streamId { config.streamId = streamId }
        if let producerId { config.producerId = producerId }
        if let nslots { config.headerNslots = nslots }
        if let root = connection.shmRoot { config.shmRootDir = root }
        if let dir = connection.aeronDir { config.aeron.aeronDir = dir }
        if !loaded.presentSections.contains("producer") || connection.config == nil {
            config.payloadPools = DemoFrameOptions.pools(for: layout.contiguousByteCount)
        }
        let stop = DemoStopSignal()
        let session = try DemoAeronSession(
            externalDirectory: connection.aeronDir ?? (connection.embeddedDriver ? nil : config.aeron.aeronDir),
            embeddedDirectory: config.aeron.aeronDir, deleteOnClose: false) { demoPrint("tp producer: \($0)") }
        defer { session.close() }
        var options = ProducerOptions()
        options.logSink = TensorPoolLogSink { line in demoPrint("tp producer: \(line)") }
        options.summary = "\(layout.dtype.displayName) \(layout.shape)"
        let producer = try TensorPoolProducer(configuration: config, aeron: session.aeron, options: options)
        let source = SyntheticFrameSource(layout: layout, rateHz: frames.rate, zeroCopy: frames.zeroCopy, maxFrames: count)
        let runner = AgentRunner(agent: ProducerAgent(producer: producer, source: source),
                                 idleStrategy: BackoffIdleStrategy()) { error in demoPrint("tp producer: error: \(error)") }
        try runner.start()
        demoPrint("tp producer: stream \(config.streamId) epoch \(producer.epoch) \(layout.dtype.displayName) \(layout.shape) (\(layout.contiguousByteCount) bytes) rate \(frames.rate) Hz zero-copy \(frames.zeroCopy) pid \(getpid())")

        let stats = producer.statistics
        let start = DispatchTime.now().uptimeNanoseconds
        var lastPrint = start
        var lastFrames: UInt64 = 0
        while !stop.isStopped {
            stop.sleep(seconds: 0.05)
            let now = DispatchTime.now().uptimeNanoseconds
            if let duration, Double(now - start) / 1e9 >= duration { break }
            let attempted = stats[.framesPublished] + stats[.descriptorOfferFailures] + stats[.oversizeDrops] + stats[.invalidLayoutDrops]
            if let count, attempted >= count { break }
            if !quiet, now - lastPrint >= 1_000_000_000 {
                let published = stats[.framesPublished]
                let seconds = Double(now - lastPrint) / 1e9
                let rate = Double(published - lastFrames) / seconds
                demoPrint("tp producer: t=\(String(format: "%.0f", Double(now - start) / 1e9))s published=\(published) (\(demoRate(rate))/s, \(String(format: "%.1f", rate * Double(layout.contiguousByteCount) / 1_048_576)) MiB/s) descriptor_failures=\(stats[.descriptorOfferFailures]) oversize=\(stats[.oversizeDrops]) consumers=\(stats[.consumers])")
                lastFrames = published
                lastPrint = now
            }
        }
        try runner.close()
        demoPrint("tp producer: summary epoch=\(producer.epoch) published=\(stats[.framesPublished]) bytes=\(stats[.bytesPublished]) descriptor_failures=\(stats[.descriptorOfferFailures]) oversize=\(stats[.oversizeDrops]) invalid=\(stats[.invalidLayoutDrops]) announces=\(stats[.announcesSent])")
    }
}
