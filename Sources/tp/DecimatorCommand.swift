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

    @Option(help: "Stop after this many republished frames.")
    var count: UInt64?
    @OptionGroup var lifetime: RoleLifetimeOptions

    func run() throws {
        let loaded = try connection.loadConfiguration()
        var source = loaded.consumer
        var target = loaded.producer
        try source.applyRoleFlags(streamId: sourceStream ?? connection.streamId, aeronDir: connection.aeronDir,
                                  mode: mode, decimation: decimation, maxRateHz: maxRateHz, consumerId: consumerId,
                                  decimationSelectsDecimatedMode: true)
        target.applyRoleFlags(streamId: targetStream, connection: connection, loaded: loaded,
                              producerId: producerId, nslots: nslots, strideBytes: strideBytes,
                              defaultPools: [PayloadPoolConfiguration(poolId: 1, strideBytes: 1 << 20)])
        let role = try RoleProcess(name: "tp decimator", connection: connection, configuredAeronDir: source.aeron.aeronDir)
        defer { role.close() }
        var options = DecimatorOptions(source: ConsumerOptions(shmRootDir: connection.shmRoot ?? target.shmRootDir))
        options.source.logSink = role.logSink
        options.target.logSink = role.logSink
        options.target.summary = "decimated from stream \(source.streamId)"
        let decimator = try TensorPoolDecimator(source: source, target: target, aeron: role.aeron, options: options)
        let statistics = decimator.statistics
        let targetEpoch = decimator.target.epoch
        let runner = try role.start(decimator)
        role.print("stream \(source.streamId) (\(source.modeSettings.mode) N=\(source.modeSettings.decimation) max_rate_hz=\(source.modeSettings.maxRateHz)) -> stream \(targetStream) epoch \(targetEpoch) pid \(getpid())")

        var lastRepublished: UInt64 = 0
        role.wait(lifetime: lifetime, until: { count.map { statistics[.republished] >= $0 } ?? false }) { seconds in
            let republished = statistics[.republished]
            defer { lastRepublished = republished }
            return "republished=\(republished) (\(demoRate(Double(republished - lastRepublished) / seconds))/s) aborted=\(statistics[.aborted]) source_drops=\(statistics[.sourceDrops]) rejected=\(statistics[.targetRejected])"
        }
        try runner.close()
        role.print("summary republished=\(statistics[.republished]) bytes=\(statistics[.bytesRepublished]) aborted=\(statistics[.aborted]) source_drops=\(statistics[.sourceDrops]) rejected=\(statistics[.targetRejected]) descriptor_failures=\(statistics[.descriptorFailures]) metadata_forwarded=\(statistics[.metadataForwarded]) target_epoch=\(targetEpoch)")
        if let count, statistics[.republished] < count { throw ExitCode(2) }
    }
}
