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

    @Option(help: "Stop after this many frames.")
    var count: UInt64?
    @OptionGroup var lifetime: RoleLifetimeOptions

    func run() throws {
        let loaded = try connection.loadConfiguration()
        var config = loaded.producer
        let layout = try frames.layout()
        config.applyRoleFlags(streamId: connection.streamId, connection: connection, loaded: loaded,
                              producerId: producerId, nslots: nslots, strideBytes: nil,
                              defaultPools: DemoFrameOptions.pools(for: layout.contiguousByteCount))
        let role = try RoleProcess(name: "tp producer", connection: connection, configuredAeronDir: config.aeron.aeronDir)
        defer { role.close() }
        var options = ProducerOptions()
        options.logSink = role.logSink
        options.summary = "\(layout.dtype.displayName) \(layout.shape)"
        let producer = try TensorPoolProducer(configuration: config, aeron: role.aeron, options: options)
        let source = SyntheticFrameSource(layout: layout, rateHz: frames.rate, zeroCopy: frames.zeroCopy, maxFrames: count)
        let runner = try role.start(ProducerAgent(producer: producer, source: source))
        role.print("stream \(config.streamId) epoch \(producer.epoch) \(layout.dtype.displayName) \(layout.shape) (\(layout.contiguousByteCount) bytes) rate \(frames.rate) Hz zero-copy \(frames.zeroCopy) pid \(getpid())")

        let stats = producer.statistics
        var lastFrames: UInt64 = 0
        let isDone: () -> Bool = {
            let attempted = stats[.framesPublished] + stats[.descriptorOfferFailures] + stats[.oversizeDrops] + stats[.invalidLayoutDrops]
            return count.map { attempted >= $0 } ?? false
        }
        role.wait(lifetime: lifetime, until: isDone) { seconds in
            let published = stats[.framesPublished]
            defer { lastFrames = published }
            let rate = Double(published - lastFrames) / seconds
            return "published=\(published) (\(demoRate(rate))/s, \(String(format: "%.1f", rate * Double(layout.contiguousByteCount) / 1_048_576)) MiB/s) descriptor_failures=\(stats[.descriptorOfferFailures]) oversize=\(stats[.oversizeDrops]) consumers=\(stats[.consumers])"
        }
        try runner.close()
        role.print("summary epoch=\(producer.epoch) published=\(stats[.framesPublished]) bytes=\(stats[.bytesPublished]) descriptor_failures=\(stats[.descriptorOfferFailures]) oversize=\(stats[.oversizeDrops]) invalid=\(stats[.invalidLayoutDrops]) announces=\(stats[.announcesSent])")
    }
}
