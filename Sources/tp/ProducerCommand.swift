@preconcurrency import Glibc
import AeronConcurrent
import ArgumentParser
import Foundation
import TensorPool
import TensorPoolCore

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
    @Option(help: ArgumentHelp(
        "Row pitch in bytes of a --shape of 2 or more dimensions: rows are this far apart, padding after each (strides[0]).",
        discussion: "At least the dense row size (product of the other extents times the element size) and a multiple of the element size; the frame is rows x pitch bytes and must fit the payload pool stride. Only the rows carry the synthetic pattern: `tp consumer --verify` checks row by row, and with --progress-steps each update carries rows_filled, read as rows by `tp consumer --progress`. The producer always writes payload_offset 0 (reserved in spec v1.1)."))
    var rowPitchBytes: Int?
    @OptionGroup var lifetime: RoleLifetimeOptions

    func validate() throws {
        guard (0...4096).contains(progressSteps) else { throw ValidationError("--progress-steps must be in 0...4096") }
        _ = try Self.attributes(meta)
        _ = try frameLayout()
    }

    /// The frame layout of `--shape`/`--size`/`--dtype`, with `strides[0] = --row-pitch-bytes` when given.
    func frameLayout() throws -> TensorLayout {
        try Self.layout(frames.layout(), rowPitchBytes: rowPitchBytes)
    }

    /// `layout` with row pitch `rowPitchBytes` (nil: unchanged), or why that pitch cannot describe its rows.
    static func layout(_ layout: TensorLayout, rowPitchBytes: Int?) throws -> TensorLayout {
        guard let pitch = rowPitchBytes else { return layout }
        guard layout.ndims >= 2 else {
            throw ValidationError("--row-pitch-bytes needs a --shape of 2 or more dimensions (rows x ...), got \(layout.shape)")
        }
        let elementSize = layout.dtype.elementSize ?? 1
        let rows = Int(layout.dims[0])
        let rowBytes = layout.contiguousByteCount / rows
        guard pitch >= rowBytes else {
            throw ValidationError("--row-pitch-bytes \(pitch) is smaller than a row of \(layout.shape.dropFirst().map(String.init).joined(separator: "x")) \(layout.dtype.displayName) (\(rowBytes) bytes)")
        }
        guard pitch % elementSize == 0 else {
            throw ValidationError("--row-pitch-bytes \(pitch) is not a multiple of the \(elementSize)-byte \(layout.dtype.displayName) element")
        }
        guard pitch <= Int(Int32.max) else { throw ValidationError("--row-pitch-bytes \(pitch) exceeds \(Int32.max)") }
        let (frameBytes, overflow) = rows.multipliedReportingOverflow(by: pitch)
        guard !overflow, frameBytes <= 1 << 30 else {
            throw ValidationError("--row-pitch-bytes \(pitch): \(rows) rows make a frame larger than the 1 GiB payload pool limit")
        }
        var padded = layout
        var strides = [Int](repeating: 0, count: Int(layout.ndims))
        strides[0] = pitch
        padded.strides = TensorDims(strides.map { Int32($0) })
        return padded
    }

    /// Bytes of one frame's payload (what ``SyntheticFrameSource/frameByteCount`` will be): `dims[0] * pitch` with a
    /// row pitch (validated by ``layout(_:rowPitchBytes:)``), else the contiguous size.
    static func frameByteCount(_ layout: TensorLayout, rowPitchBytes: Int?) -> Int {
        rowPitchBytes.map { Int(layout.dims[0]) * $0 } ?? layout.contiguousByteCount
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
        let layout = try frameLayout()
        let frameBytes = Self.frameByteCount(layout, rowPitchBytes: rowPitchBytes)
        config.applyRoleFlags(streamId: connection.streamId, connection: connection, loaded: loaded,
                              producerId: producerId, nslots: nslots, strideBytes: nil,
                              defaultPools: DemoFrameOptions.pools(for: frameBytes))
        let largestStride = config.payloadPools.map { Int($0.strideBytes) }.max() ?? 0
        // Contiguous frames larger than a pool stay counted oversize drops, as before; a padded layout is checked.
        guard rowPitchBytes == nil || frameBytes <= largestStride else {
            throw ValidationError("a frame of \(frameBytes) bytes is larger than the largest payload pool stride (\(largestStride) bytes)")
        }
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
        role.print("stream \(config.streamId) epoch \(producer.epoch) \(layout.dtype.displayName) \(layout.shape) (\(frameBytes) bytes\(rowPitchBytes.map { ", row pitch \($0)" } ?? "")) rate \(frames.rate) Hz zero-copy \(source.zeroCopy) progress-steps \(progressSteps) pid \(getpid())")

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
            return "published=\(published) (\(demoRate(rate))/s, \(String(format: "%.1f", rate * Double(frameBytes) / 1_048_576)) MiB/s) descriptor_failures=\(stats[.descriptorOfferFailures]) oversize=\(stats[.oversizeDrops]) consumers=\(stats[.consumers])"
        }
        try runner.close()
        role.print("summary epoch=\(producer.epoch) published=\(stats[.framesPublished]) bytes=\(stats[.bytesPublished]) descriptor_failures=\(stats[.descriptorOfferFailures]) oversize=\(stats[.oversizeDrops]) invalid=\(stats[.invalidLayoutDrops]) announces=\(stats[.announcesSent]) progress_sent=\(stats[.progressSent])")
    }
}
