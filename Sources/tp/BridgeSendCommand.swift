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

    @Option(help: "Stop after this many seconds.")
    var duration: Double?

    @Option(help: "Stop after this many frames sent.")
    var count: UInt64?

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
        guard maxFrameBytes >= 0 else { throw ValidationError("--max-frame-bytes must be >= 0") }
        if let chunkBytes, chunkBytes < 1 { throw ValidationError("--chunk-bytes must be >= 1") }
        let stop = DemoStopSignal()
        let session = try DemoAeronSession(
            externalDirectory: connection.aeronDir ?? (connection.embeddedDriver ? nil : config.aeron.aeronDir),
            embeddedDirectory: config.aeron.aeronDir, deleteOnClose: false) { demoPrint("tp bridge send: \($0)") }
        defer { session.close() }
        var consumerOptions = ConsumerOptions(shmRootDir: connection.shmRoot)
        consumerOptions.logSink = TensorPoolLogSink { line in demoPrint("tp bridge send: \(line)") }
        let sender = try TensorPoolBridgeSender(
            source: config, aeron: session.aeron,
            options: BridgeSenderOptions(channel: channel, streamId: bridgeStream, maxFrameBytes: maxFrameBytes,
                                         chunkBytes: chunkBytes, source: consumerOptions))
        let statistics = sender.statistics
        let chunk = sender.chunkBytes
        let runner = AgentRunner(agent: sender, idleStrategy: BackoffIdleStrategy()) { error in
            demoPrint("tp bridge send: error: \(error)")
        }
        try runner.start()
        demoPrint("tp bridge send: stream \(config.streamId) -> \(channel) stream \(bridgeStream) chunk \(chunk) bytes pid \(getpid())")

        let start = DispatchTime.now().uptimeNanoseconds
        var lastPrint = start
        var lastBytes: UInt64 = 0
        var lastFrames: UInt64 = 0
        while !stop.isStopped {
            stop.sleep(seconds: 0.05)
            let now = DispatchTime.now().uptimeNanoseconds
            if let count, statistics[.framesSent] >= count { break }
            if let duration, Double(now - start) / 1e9 >= duration { break }
            if !quiet, now - lastPrint >= 1_000_000_000 {
                let seconds = Double(now - lastPrint) / 1e9
                let frames = statistics[.framesSent]
                let bytes = statistics[.bytesSent]
                demoPrint("tp bridge send: t=\(String(format: "%.0f", Double(now - start) / 1e9))s frames=\(frames) (\(demoRate(Double(frames - lastFrames) / seconds))/s, \(String(format: "%.1f", Double(bytes - lastBytes) / seconds / 1_048_576)) MiB/s) busy_drops=\(statistics[.busyDrops]) abandoned=\(statistics[.framesAbandoned]) back_pressured=\(statistics[.backPressured])")
                lastFrames = frames
                lastBytes = bytes
                lastPrint = now
            }
        }
        try runner.close()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        demoPrint("tp bridge send: summary frames=\(statistics[.framesSent]) bytes=\(statistics[.bytesSent]) chunks=\(statistics[.chunksSent]) seconds=\(String(format: "%.2f", seconds)) busy_drops=\(statistics[.busyDrops]) oversize=\(statistics[.oversizeDrops]) torn=\(statistics[.sourceTorn]) abandoned=\(statistics[.framesAbandoned]) back_pressured=\(statistics[.backPressured]) source_drops=\(statistics[.sourceDrops])")
        if let count, statistics[.framesSent] < count { throw ExitCode(2) }
    }
}
