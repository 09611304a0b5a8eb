@preconcurrency import Glibc
import AeronConcurrent
import ArgumentParser
import Foundation
import TensorPool

/// `tp bridge receive`: subscribes to a bridge channel and republishes the frames as a local producer.
struct BridgeReceiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receive",
        abstract: "Receive bridge chunks from an Aeron channel and publish the frames as a local data source.",
        discussion: """
        Local consumers read the frames with `tp consumer --stream-id <--stream-id>`. Stops on SIGINT/SIGTERM, \
        --duration or --count. The last line is a machine-readable summary.
        """)

    @OptionGroup var connection: DemoConnectionOptions

    @Option(help: "Bridge channel, e.g. aeron:udp?endpoint=0.0.0.0:40123.")
    var channel: String

    @Option(help: "Aeron stream id of the bridge.")
    var bridgeStream: Int32 = 7001

    @Option(help: "Accept only frames of this source stream id (default: any).")
    var sourceStream: UInt32?

    @Option(help: "Local payload pool stride in bytes (default: configured pools, else 64 MiB).")
    var strideBytes: UInt32?

    @Option(help: "Local header ring slots (power of two).")
    var nslots: UInt32?

    @Option(help: "Producer id.")
    var producerId: UInt32?

    @Option(help: "Abort a frame with no chunk for this many milliseconds.")
    var assemblyTimeoutMs: UInt64 = 1000

    @Option(help: "Stop after this many frames received.")
    var count: UInt64?
    @OptionGroup var lifetime: RoleLifetimeOptions

    func run() throws {
        let loaded = try connection.loadConfiguration()
        var config = loaded.producer
        config.applyRoleFlags(streamId: connection.streamId, connection: connection, loaded: loaded,
                              producerId: producerId, nslots: nslots, strideBytes: strideBytes,
                              defaultPools: [PayloadPoolConfiguration(poolId: 1, strideBytes: 64 << 20)])
        let role = try RoleProcess(name: "tp bridge receive", connection: connection,
                                   configuredAeronDir: config.aeron.aeronDir)
        defer { role.close() }
        var options = BridgeReceiverOptions(channel: channel, streamId: bridgeStream, sourceStreamId: sourceStream)
        options.producer.logSink = role.logSink
        options.producer.summary = "bridged from \(channel)"
        options.assemblyTimeoutNs = assemblyTimeoutMs * 1_000_000
        let receiver = try TensorPoolBridgeReceiver(target: config, aeron: role.aeron, options: options)
        let statistics = receiver.statistics
        let epoch = receiver.target.epoch
        let runner = try role.start(receiver)
        role.print("\(channel) stream \(bridgeStream) -> stream \(config.streamId) epoch \(epoch) pid \(getpid())")

        var lastBytes: UInt64 = 0
        var lastFrames: UInt64 = 0
        let start = role.wait(lifetime: lifetime, until: { count.map { statistics[.framesReceived] >= $0 } ?? false }) { seconds in
            let frames = statistics[.framesReceived]
            let bytes = statistics[.bytesReceived]
            defer { lastFrames = frames; lastBytes = bytes }
            return "frames=\(frames) (\(demoRate(Double(frames - lastFrames) / seconds))/s, \(String(format: "%.1f", Double(bytes - lastBytes) / seconds / 1_048_576)) MiB/s) aborted=\(statistics[.framesAborted]) malformed=\(statistics[.malformedMessages]) invalid=\(statistics[.invalidChunks] + statistics[.invalidHeaders])"
        }
        try runner.close()
        let seconds = RoleProcess.seconds(since: start)
        role.print("summary frames=\(statistics[.framesReceived]) bytes=\(statistics[.bytesReceived]) chunks=\(statistics[.chunksReceived]) seconds=\(String(format: "%.2f", seconds)) aborted=\(statistics[.framesAborted]) timeouts=\(statistics[.assemblyTimeouts]) malformed=\(statistics[.malformedMessages]) invalid_chunks=\(statistics[.invalidChunks]) invalid_headers=\(statistics[.invalidHeaders]) foreign=\(statistics[.foreignStreamDrops]) source_gaps=\(statistics[.sourceGaps]) rejected=\(statistics[.targetRejected]) descriptor_failures=\(statistics[.descriptorFailures]) metadata_updates=\(statistics[.metadataUpdates]) invalid_metadata=\(statistics[.invalidMetadata]) announce_updates=\(statistics[.announceUpdates]) invalid_announces=\(statistics[.invalidAnnounces]) epoch=\(epoch)")
        if let count, statistics[.framesReceived] < count { throw ExitCode(2) }
    }
}
