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

    @Option(help: "Stop after this many seconds.")
    var duration: Double?

    @Option(help: "Stop after this many frames received.")
    var count: UInt64?

    @Flag(help: "No per-second line.")
    var quiet = false

    func run() throws {
        let loaded = try connection.loadConfiguration()
        var config = loaded.producer
        if let streamId = connection.streamId { config.streamId = streamId }
        if let producerId { config.producerId = producerId }
        if let nslots { config.headerNslots = nslots }
        if let root = connection.shmRoot { config.shmRootDir = root }
        if let dir = connection.aeronDir { config.aeron.aeronDir = dir }
        if let strideBytes {
            config.payloadPools = [PayloadPoolConfiguration(poolId: 1, strideBytes: strideBytes)]
        } else if !loaded.presentSections.contains("producer") || connection.config == nil {
            config.payloadPools = [PayloadPoolConfiguration(poolId: 1, strideBytes: 64 << 20)]
        }
        let stop = DemoStopSignal()
        let session = try DemoAeronSession(
            externalDirectory: connection.aeronDir ?? (connection.embeddedDriver ? nil : config.aeron.aeronDir),
            embeddedDirectory: config.aeron.aeronDir, deleteOnClose: false) { demoPrint("tp bridge receive: \($0)") }
        defer { session.close() }
        var options = BridgeReceiverOptions(channel: channel, streamId: bridgeStream, sourceStreamId: sourceStream)
        options.producer.logSink = TensorPoolLogSink { line in demoPrint("tp bridge receive: \(line)") }
        options.producer.summary = "bridged from \(channel)"
        options.assemblyTimeoutNs = assemblyTimeoutMs * 1_000_000
        let receiver = try TensorPoolBridgeReceiver(target: config, aeron: session.aeron, options: options)
        let statistics = receiver.statistics
        let epoch = receiver.target.epoch
        let runner = AgentRunner(agent: receiver, idleStrategy: BackoffIdleStrategy()) { error in
            demoPrint("tp bridge receive: error: \(error)")
        }
        try runner.start()
        demoPrint("tp bridge receive: \(channel) stream \(bridgeStream) -> stream \(config.streamId) epoch \(epoch) pid \(getpid())")

        let start = DispatchTime.now().uptimeNanoseconds
        var lastPrint = start
        var lastBytes: UInt64 = 0
        var lastFrames: UInt64 = 0
        while !stop.isStopped {
            stop.sleep(seconds: 0.05)
            let now = DispatchTime.now().uptimeNanoseconds
            if let count, statistics[.framesReceived] >= count { break }
            if let duration, Double(now - start) / 1e9 >= duration { break }
            if !quiet, now - lastPrint >= 1_000_000_000 {
                let seconds = Double(now - lastPrint) / 1e9
                let frames = statistics[.framesReceived]
                let bytes = statistics[.bytesReceived]
                demoPrint("tp bridge receive: t=\(String(format: "%.0f", Double(now - start) / 1e9))s frames=\(frames) (\(demoRate(Double(frames - lastFrames) / seconds))/s, \(String(format: "%.1f", Double(bytes - lastBytes) / seconds / 1_048_576)) MiB/s) aborted=\(statistics[.framesAborted]) malformed=\(statistics[.malformedMessages]) invalid=\(statistics[.invalidChunks] + statistics[.invalidHeaders])")
                lastFrames = frames
                lastBytes = bytes
                lastPrint = now
            }
        }
        try runner.close()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        demoPrint("tp bridge receive: summary frames=\(statistics[.framesReceived]) bytes=\(statistics[.bytesReceived]) chunks=\(statistics[.chunksReceived]) seconds=\(String(format: "%.2f", seconds)) aborted=\(statistics[.framesAborted]) timeouts=\(statistics[.assemblyTimeouts]) malformed=\(statistics[.malformedMessages]) invalid_chunks=\(statistics[.invalidChunks]) invalid_headers=\(statistics[.invalidHeaders]) foreign=\(statistics[.foreignStreamDrops]) source_gaps=\(statistics[.sourceGaps]) rejected=\(statistics[.targetRejected]) descriptor_failures=\(statistics[.descriptorFailures]) epoch=\(epoch)")
        if let count, statistics[.framesReceived] < count { throw ExitCode(2) }
    }
}
