@preconcurrency import Glibc
import AeronConcurrent
import ArgumentParser
import Foundation
import TensorPool

/// `tp consumer`: maps a producer's regions and reads its frames, optionally verifying the synthetic pattern.
struct ConsumerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consumer",
        abstract: "Consume a data source: map its SHM regions, read frames through the seqlock, print statistics.",
        discussion: """
        Exit status: 0 = done (with --count: that many frames received, and with --verify none corrupt); \
        1 = a verified frame (or, with --progress, an intact prefix) did not match the producer's synthetic pattern (--verify-republished for streams \
        republished by the decimator or a bridge receiver); 2 = --count not reached before \
        --duration ended. The last line is a machine-readable summary.
        """)

    @OptionGroup var connection: DemoConnectionOptions

    @Option(help: "Frame selection: stream, latest or decimated.")
    var mode: String?

    @Option(help: "DECIMATED: deliver every Nth frame.")
    var decimation: UInt16?

    @Option(help: "At most this many frames per second (0 = unlimited).")
    var maxRateHz: UInt16?

    @Option(help: "Consumer id (default: configured, else random).")
    var consumerId: UInt32?

    @Flag(help: "Check every accepted frame against the producer's synthetic pattern (tp producer / tp demo).")
    var verify = false

    @Flag(help: ArgumentHelp(
        "Check every accepted frame is one whole synthetic frame, of any source epoch/seq.",
        discussion: "For streams republished by tp decimator or tp bridge receive: they renumber frames (own epoch, seq), so --verify's exact check cannot hold. Detects torn, mixed or corrupted payloads, not reordered or repeated frames."))
    var verifyRepublished = false

    @Flag(help: ArgumentHelp(
        "Declare supports_progress and read the filled prefix of each FrameProgress (spec §10.2.2).",
        discussion: "Counts prefix reads (intact, torn, refused) and, with --verify, checks intact prefixes against the synthetic pattern (exit 1 on a mismatch; updates with rows_filled are read and checked row by row). Prefixes are readable when the producer stages the layout at claim (tp producer --progress-steps N)."))
    var progress = false

    @Option(help: "FALLBACK: bridge Aeron stream id for payload_fallback_uri values without a stream-id=<n> parameter (overrides consumer.fallback_bridge_stream_id of --config / TP_CONSUMER_FALLBACK_BRIDGE_STREAM_ID).")
    var fallbackBridgeStream: Int32?

    @Option(help: "FALLBACK: largest bridged frame accepted, in bytes, 1...1073741824 (two buffers of this size; overrides consumer.fallback_max_frame_bytes, default 16 MiB).")
    var fallbackMaxFrameBytes: Int?

    @Option(help: "FALLBACK: abandon a bridged frame with no chunk for this many milliseconds (overrides consumer.fallback_assembly_timeout_ms, default 1000).")
    var fallbackAssemblyTimeoutMs: UInt32?

    @Option(help: "Stop after this many accepted frames.")
    var count: UInt64?
    @OptionGroup var lifetime: RoleLifetimeOptions

    /// The same ranges as the `[consumer]` keys the flags override; checked before any driver is launched.
    func validate() throws {
        let limit = ConsumerConfiguration.fallbackMaxFrameBytesLimit
        if let fallbackMaxFrameBytes, !(1...limit).contains(fallbackMaxFrameBytes) {
            throw ValidationError("--fallback-max-frame-bytes must be in 1...\(limit) (1 GiB)")
        }
        if fallbackAssemblyTimeoutMs == 0 { throw ValidationError("--fallback-assembly-timeout-ms must be > 0") }
    }

    func run() throws {
        var config = try connection.loadConfiguration().consumer
        try config.applyRoleFlags(streamId: connection.streamId, aeronDir: connection.aeronDir, mode: mode,
                                  decimation: decimation, maxRateHz: maxRateHz, consumerId: consumerId)
        if progress { config.supportsProgress = true }
        let role = try RoleProcess(name: "tp consumer", connection: connection, configuredAeronDir: config.aeron.aeronDir)
        defer { role.close() }
        var options = ConsumerOptions(shmRootDir: connection.shmRoot)
        options.logSink = role.logSink
        // The flags override the configured fallback_* keys; left nil, the consumer uses the configuration's.
        options.fallbackBridgeStreamId = fallbackBridgeStream
        options.fallbackMaxFrameBytes = fallbackMaxFrameBytes
        options.fallbackAssemblyTimeoutNs = fallbackAssemblyTimeoutMs.map { UInt64($0) * 1_000_000 }
        let consumer = try TensorPoolConsumer(configuration: config, aeron: role.aeron,
                                              handler: ConsumerVerifyingHandler(verify: verify, republished: verifyRepublished,
                                                                                printMetadata: role.logSink.write),
                                              options: options)
        let handlerCounters = consumer.handler.counters
        let runner = try role.start(consumer)
        role.print("id \(consumer.consumerId) stream \(config.streamId) mode \(config.modeSettings.mode) verify \(verifyRepublished ? "republished" : "\(verify)") aeron \(role.session.directory)")

        var lastVerified: UInt64 = 0
        let isDone: () -> Bool = {
            if let count, handlerCounters[.verified] + handlerCounters[.corrupt] >= count { return true }
            return (verify || verifyRepublished) && handlerCounters[.corrupt] + handlerCounters[.prefixCorrupt] > 0
        }
        role.wait(lifetime: lifetime, until: isDone) { seconds in
            let delivered = handlerCounters[.verified] + handlerCounters[.corrupt]
            defer { lastVerified = delivered }
            let s = consumer.statistics
            return "frames=\(delivered) (\(demoRate(Double(delivered - lastVerified) / seconds))/s) corrupt=\(handlerCounters[.corrupt]) torn=\(handlerCounters[.torn]) drops_gap=\(s[.dropsGap]) drops_late=\(s[.dropsLate]) epoch=\(s[.mappedEpoch]) lat_max_us=\(demoMicros(handlerCounters.takeIntervalMaxNs()))"
        }
        try runner.close()
        let stopped = runner.agentIfStopped ?? consumer
        let s = stopped.statistics
        let handler = stopped.handler
        let delivered = handlerCounters[.verified] + handlerCounters[.corrupt]
        var summary = "summary frames=\(delivered) verified=\(handlerCounters[.verified]) corrupt=\(handlerCounters[.corrupt]) torn=\(handlerCounters[.torn])"
        summary += " drops_gap=\(s[.dropsGap]) drops_late=\(s[.dropsLate]) maps=\(s[.maps]) unmaps=\(s[.unmaps]) epochs=\(handler.epochs.map(String.init).joined(separator: ","))"
        summary += " rejected_messages=\(stopped.controlPlane.counters.rejectedTotal)"
        if config.supportsProgress {
            let refused = s[.prefixRefusedEpoch] + s[.prefixRefusedSlot] + s[.prefixRefusedNotStaged]
                + s[.prefixRefusedInformational] + s[.prefixRefusedInvalid]
            summary += " progress=\(s[.progressDelivered]) prefix_intact=\(s[.prefixReadsIntact]) prefix_torn=\(s[.prefixReadsTorn]) prefix_rows=\(s[.prefixRowReadsIntact])"
            summary += " prefix_refused=\(refused) prefix_not_staged=\(s[.prefixRefusedNotStaged]) prefix_refused_epoch=\(s[.prefixRefusedEpoch])"
                + " prefix_refused_slot=\(s[.prefixRefusedSlot]) prefix_refused_informational=\(s[.prefixRefusedInformational])"
                + " prefix_refused_invalid=\(s[.prefixRefusedInvalid])"
            summary += " prefix_verified=\(handlerCounters[.prefixVerified]) prefix_corrupt=\(handlerCounters[.prefixCorrupt])"
        }
        if handler.latency.totalCount > 0 {
            summary += " lat_p50_us=\(demoMicros(handler.latency.valueAtPercentile(50))) lat_p99_us=\(demoMicros(handler.latency.valueAtPercentile(99))) lat_max_us=\(demoMicros(handler.latency.max))"
        }
        if let bad = handler.firstCorrupt { summary += " first_corrupt=\(bad.epoch)/\(bad.seq)" }
        let wholeOther = handlerCounters[.wholeOtherFrame]
        if !verifyRepublished, wholeOther > 0 {
            role.print("\(wholeOther) frame(s) failed --verify but are intact synthetic frames of another epoch/seq: "
                       + "the stream looks republished (tp decimator / tp bridge receive renumber frames); use --verify-republished")
        }
        role.print(summary)
        if (verify || verifyRepublished) && handlerCounters[.corrupt] + handlerCounters[.prefixCorrupt] > 0 { throw ExitCode(1) }
        if let count, delivered < count { throw ExitCode(2) }
    }
}
