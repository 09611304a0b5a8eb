@preconcurrency import Glibc
import AeronConcurrent
import ArgumentParser
import Foundation
import TensorPool

/// `tp bridge send`: consumes a local stream and sends its frames as bridge chunks on an Aeron channel.
struct BridgeSendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Consume a local stream and send each frame over an Aeron channel (bridge chunks).",
        discussion: "Stops on SIGINT/SIGTERM, --duration or --count. The last line is a machine-readable summary.")

    @OptionGroup var connection: DemoConnectionOptions

    @Option(help: "Bridge channel, e.g. aeron:udp?endpoint=receiver-host:40123.")
    var channel: String

    @Option(help: "Aeron stream id of the bridge.")
    var bridgeStream: Int32 = 7001

    @Option(help: "Source frame selection: stream, latest or decimated.")
    var mode: String?

    @Option(help: "DECIMATED: send every Nth frame.")
    var decimation: UInt16?

    @Option(help: "Send at most this many frames per second (0 = unlimited).")
    var maxRateHz: UInt16?

    @Option(help: "Largest frame sent, in bytes (the staging buffer).")
    var maxFrameBytes: Int = 64 << 20

    @Option(help: "Payload bytes per chunk (default: one Aeron frame, i.e. one MTU).")
    var chunkBytes: Int?

    @Option(help: "Consumer id (default: configured, else random).")
    var consumerId: UInt32?

    @Option(help: "Stop after this many frames sent.")
    var count: UInt64?
    @Option(help: "Re-send the source's metadata this often, in ms, so late receivers get it (it is also sent on every change).")
    var metadataIntervalMs: UInt64 = 1_000
    @OptionGroup var lifetime: RoleLifetimeOptions

    func validate() throws {
        guard (1...3_600_000).contains(metadataIntervalMs) else { throw ValidationError("--metadata-interval-ms must be 1...3600000") }
    }

    func run() throws {
        var config = try connection.loadConfiguration().consumer
        try config.applyRoleFlags(streamId: connection.streamId, aeronDir: connection.aeronDir, mode: mode,
                                  decimation: decimation, maxRateHz: maxRateHz, consumerId: consumerId)
        guard maxFrameBytes >= 0 else { throw ValidationError("--max-frame-bytes must be >= 0") }
        if let chunkBytes, chunkBytes < 1 { throw ValidationError("--chunk-bytes must be >= 1") }
        let role = try RoleProcess(name: "tp bridge send", connection: connection, configuredAeronDir: config.aeron.aeronDir)
        defer { role.close() }
        var consumerOptions = ConsumerOptions(shmRootDir: connection.shmRoot)
        consumerOptions.logSink = role.logSink
        var senderOptions = BridgeSenderOptions(channel: channel, streamId: bridgeStream, maxFrameBytes: maxFrameBytes,
                                                chunkBytes: chunkBytes, source: consumerOptions)
        senderOptions.metadataIntervalNs = metadataIntervalMs * 1_000_000
        let sender = try TensorPoolBridgeSender(source: config, aeron: role.aeron, options: senderOptions)
        let statistics = sender.statistics
        let chunk = sender.chunkBytes
        let runner = try role.start(sender)
        role.print("stream \(config.streamId) -> \(channel) stream \(bridgeStream) chunk \(chunk) bytes pid \(getpid())")

        var lastBytes: UInt64 = 0
        var lastFrames: UInt64 = 0
        let start = role.wait(lifetime: lifetime, until: { count.map { statistics[.framesSent] >= $0 } ?? false }) { seconds in
            let frames = statistics[.framesSent]
            let bytes = statistics[.bytesSent]
            defer { lastFrames = frames; lastBytes = bytes }
            return "frames=\(frames) (\(demoRate(Double(frames - lastFrames) / seconds))/s, \(String(format: "%.1f", Double(bytes - lastBytes) / seconds / 1_048_576)) MiB/s) busy_drops=\(statistics[.busyDrops]) abandoned=\(statistics[.framesAbandoned]) back_pressured=\(statistics[.backPressured])"
        }
        try runner.close()
        let seconds = RoleProcess.seconds(since: start)
        role.print("summary frames=\(statistics[.framesSent]) bytes=\(statistics[.bytesSent]) chunks=\(statistics[.chunksSent]) seconds=\(String(format: "%.2f", seconds)) busy_drops=\(statistics[.busyDrops]) oversize=\(statistics[.oversizeDrops]) torn=\(statistics[.sourceTorn]) abandoned=\(statistics[.framesAbandoned]) back_pressured=\(statistics[.backPressured]) source_drops=\(statistics[.sourceDrops]) metadata_sent=\(statistics[.metadataSent]) announce_sent=\(statistics[.announceSent])")
        if let count, statistics[.framesSent] < count { throw ExitCode(2) }
    }
}
