@preconcurrency import Glibc
import AeronConcurrent
import ArgumentParser
import Foundation
import TensorPool

/// `tp decimator`: republishes a source stream's accepted frames (DECIMATED N and/or a rate limit) as a producer
/// of a target stream.
struct DecimatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decimator",
        abstract: "Consume a source stream (e.g. every Nth frame) and republish it as a new data source.",
        discussion: """
        The source is read with the [consumer] configuration (--stream-id / --source-stream), the target is \
        produced with the [producer] configuration (--target-stream, own regions and epoch). Each accepted \
        source frame is copied once, inside the seqlock read, into a claimed target slot; a torn read aborts \
        the claim. Stops on SIGINT/SIGTERM, --duration or --count. The last line is a machine-readable summary.
        """)

    @OptionGroup var connection: DemoConnectionOptions

    @Option(help: "Source stream id (default: --stream-id, else the configured consumer stream).")
    var sourceStream: UInt32?

    @Option(help: "Target stream id (must differ from the source on the same Aeron channel).")
    var targetStream: UInt32

    @Option(help: "Source frame selection: stream, latest or decimated (default decimated when --decimation is given).")
    var mode: String?

    @Option(help: "DECIMATED: republish every Nth source frame.")
    var decimation: UInt16?

    @Option(help: "Republish at most this many frames per second (0 = unlimited).")
    var maxRateHz: UInt16?

    @Option(help: "Target payload pool stride in bytes (default: configured pools, else 1 MiB).")
    var strideBytes: UInt32?

    @Option(help: "Target header ring slots (power of two).")
    var nslots: UInt32?

    @Option(help: "Source consumer id (default: configured, else random).")
    var consumerId: UInt32?

    @Option(help: "Target producer id.")
    var producerId: UInt32?

    @Option(help: "Stop after this many seconds.")
    var duration: Double?

    @Option(help: "Stop after this many republished frames.")
    var count: UInt64?

    @Flag(help: "No per-second line.")
    var quiet = false

    func run() throws {
        let loaded = try connection.loadConfiguration()
        var source = loaded.consumer
        var target = loaded.producer
        if let stream = sourceStream ?? connection.streamId { source.streamId = stream }
        target.streamId = targetStream
        if let mode {
            guard let parsed = ConsumerMode(name: mode) else { throw ValidationError("unknown --mode \(mode)") }
            source.modeSettings.mode = parsed
        } else if decimation != nil {
            source.modeSettings.mode = .decimated
        }
        if let decimation {
            guard decimation >= 1 else { throw ValidationError("--decimation must be >= 1") }
            source.modeSettings.decimation = decimation
        }
        if let maxRateHz { source.modeSettings.maxRateHz = maxRateHz }
        if let consumerId { source.consumerId = consumerId }
        if let producerId { target.producerId = producerId }
        if let nslots { target.headerNslots = nslots }
        if let strideBytes {
            target.payloadPools = [PayloadPoolConfiguration(poolId: 1, strideBytes: strideBytes)]
        } else if !loaded.presentSections.contains("producer") || connection.config == nil {
            target.payloadPools = [PayloadPoolConfiguration(poolId: 1, strideBytes: 1 << 20)]
        }
        if let root = connection.shmRoot { target.shmRootDir = root }
        if let dir = connection.aeronDir {
            source.aeron.aeronDir = dir
            target.aeron.aeronDir = dir
        }
        let stop = DemoStopSignal()
        let session = try DemoAeronSession(
            externalDirectory: connection.aeronDir ?? (connection.embeddedDriver ? nil : source.aeron.aeronDir),
            embeddedDirectory: source.aeron.aeronDir, deleteOnClose: false) { demoPrint("tp decimator: \($0)") }
        defer { session.close() }
        var options = DecimatorOptions(source: ConsumerOptions(shmRootDir: connection.shmRoot ?? target.shmRootDir))
        let sink = TensorPoolLogSink { line in demoPrint("tp decimator: \(line)") }
        options.source.logSink = sink
        options.target.logSink = sink
        options.target.summary = "decimated from stream \(source.streamId)"
        let decimator = try TensorPoolDecimator(source: source, target: target, aeron: session.aeron, options: options)
        let statistics = decimator.statistics
        let targetEpoch = decimator.target.epoch
        let runner = AgentRunner(agent: decimator, idleStrategy: BackoffIdleStrategy()) { error in
            demoPrint("tp decimator: error: \(error)")
        }
        try runner.start()
        demoPrint("tp decimator: stream \(source.streamId) (\(source.modeSettings.mode) N=\(source.modeSettings.decimation) max_rate_hz=\(source.modeSettings.maxRateHz)) -> stream \(targetStream) epoch \(targetEpoch) pid \(getpid())")

        let start = DispatchTime.now().uptimeNanoseconds
        var lastPrint = start
        var lastRepublished: UInt64 = 0
        while !stop.isStopped {
            stop.sleep(seconds: 0.05)
            let now = DispatchTime.now().uptimeNanoseconds
            let republished = statistics[.republished]
            if let count, republished >= count { break }
            if let duration, Double(now - start) / 1e9 >= duration { break }
            if !quiet, now - lastPrint >= 1_000_000_000 {
                let rate = Double(republished - lastRepublished) * 1e9 / Double(now - lastPrint)
                demoPrint("tp decimator: t=\(String(format: "%.0f", Double(now - start) / 1e9))s republished=\(republished) (\(demoRate(rate))/s) aborted=\(statistics[.aborted]) source_drops=\(statistics[.sourceDrops]) rejected=\(statistics[.targetRejected])")
                lastRepublished = republished
                lastPrint = now
            }
        }
        try runner.close()
        demoPrint("tp decimator: summary republished=\(statistics[.republished]) bytes=\(statistics[.bytesRepublished]) aborted=\(statistics[.aborted]) source_drops=\(statistics[.sourceDrops]) rejected=\(statistics[.targetRejected]) descriptor_failures=\(statistics[.descriptorFailures]) metadata_forwarded=\(statistics[.metadataForwarded]) target_epoch=\(targetEpoch)")
        if let count, statistics[.republished] < count { throw ExitCode(2) }
    }
}
