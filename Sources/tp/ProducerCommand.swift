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
    @Option(name: .customLong("meta"), help: "Metadata attribute `key=value` (format text/plain), repeatable: sent as DataSourceMeta (spec §10.3.2) and tied to every frame by meta_version.")
    var meta: [String] = []
    @Option(help: ArgumentHelp(
        "Zero-copy: fill each frame in N steps spread over the frame period, like a DMA engine (implies --zero-copy).",
        discussion: "The frame is claimed with its layout staged and every step is reported as FrameProgress (spec §10.2.2), so `tp consumer --progress` can read the filled prefix while the frame is written."))
    var progressSteps: Int = 0
    @OptionGroup var lifetime: RoleLifetimeOptions

    func validate() throws {
        guard (0...4096).contains(progressSteps) else { throw ValidationError("--progress-steps must be in 0...4096") }
        _ = try Self.attributes(meta)
    }

    /// `key=value` pairs as text attributes; keys are printable ASCII without `=` (what consumers accept).
    static func attributes(_ pairs: [String]) throws -> [MetaAttribute] {
        try pairs.map { pair in
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw ValidationError("--meta takes key=value, got \(String(reflecting: pair))")
            }
            let key = String(pair[..<eq])
            guard key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
                throw ValidationError("--meta key \(String(reflecting: key)) must be printable ASCII without spaces")
            }
            return MetaAttribute(key: key, format: "text/plain", value: Array(pair[pair.index(after: eq)...].utf8))
        }
    }

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
        let attributes = try Self.attributes(meta)
        if !attributes.isEmpty { producer.setMetadata(attributes, nowNs: TensorPoolClock.monotonicNs()) }
        var source = SyntheticFrameSource(layout: layout, rateHz: frames.rate, zeroCopy: frames.zeroCopy || progressSteps > 1,
                                          maxFrames: count)
        source.progressSteps = progressSteps
        let runner = try role.start(ProducerAgent(producer: producer, source: source))
        role.print("stream \(config.streamId) epoch \(producer.epoch) \(layout.dtype.displayName) \(layout.shape) (\(layout.contiguousByteCount) bytes) rate \(frames.rate) Hz zero-copy \(source.zeroCopy) progress-steps \(progressSteps) pid \(getpid())")

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
        role.print("summary epoch=\(producer.epoch) published=\(stats[.framesPublished]) bytes=\(stats[.bytesPublished]) descriptor_failures=\(stats[.descriptorOfferFailures]) oversize=\(stats[.oversizeDrops]) invalid=\(stats[.invalidLayoutDrops]) announces=\(stats[.announcesSent]) progress_sent=\(stats[.progressSent])")
    }
}
