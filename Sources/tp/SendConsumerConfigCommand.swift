@preconcurrency import Glibc
import AeronClient
import ArgumentParser
import Foundation
import TensorPool

/// `tp send-consumer-config`: publishes one `ConsumerConfig` (spec §10.1.3) on the control stream, as a supervisor would.
struct SendConsumerConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-consumer-config",
        abstract: "Send a ConsumerConfig to a consumer (mode, decimation, SHM or fallback URI) on the control stream.",
        discussion: "Needs a running media driver (--aeron-dir or the configured one) and at least one subscriber on the control stream (a consumer); waits up to --timeout seconds for one. Exit status 0 = sent, 1 = not sent.")

    @Option(help: "Data source stream id.")
    var stream: UInt32

    @Option(help: "Consumer id.")
    var consumer: UInt32

    @Option(help: "stream, latest or decimated.")
    var mode: String

    @Option(help: "DECIMATED: deliver every Nth frame (>= 1).")
    var decimation: UInt16 = 1

    @Option(help: "Whether the consumer should use SHM (true/false).")
    var useShm: Bool = true

    @Option(help: "Payload fallback URI (e.g. aeron:udp?endpoint=host:port or bridge://id).")
    var fallbackUri: String?

    @Option(help: "Aeron directory of the running media driver (default: configured supervisor aeron_dir).")
    var aeronDir: String?

    @Option(help: "TOML configuration file ([supervisor] section: aeron_dir, channel, control_stream_id).")
    var config: String?

    @Option(help: "Seconds to wait for a subscriber.")
    var timeout: Double = 10

    /// One day: a longer wait is certainly a typo, and bounds the deadline arithmetic.
    static let maximumTimeoutSeconds: Double = 86_400

    func validate() throws {
        guard timeout.isFinite, timeout >= 0, timeout <= Self.maximumTimeoutSeconds else {
            throw ValidationError("--timeout must be between 0 and \(Int(Self.maximumTimeoutSeconds)) seconds, not \(timeout)")
        }
    }

    func run() throws {
        guard let parsedMode = ConsumerMode(name: mode) else { throw ValidationError("unknown --mode \(mode) (stream, latest, decimated)") }
        guard decimation >= 1 else { throw ValidationError("--decimation must be >= 1") }
        if let fallbackUri, !(fallbackUri.hasPrefix("aeron:") || fallbackUri.hasPrefix("bridge://")) {
            throw ValidationError("--fallback-uri must be an Aeron channel (aeron:...) or bridge://<id>")
        }
        let environment = ProcessInfoEnvironment.current
        let loaded = try config.map { try TensorPoolConfiguration.load(path: $0, environment: environment) }
            ?? TensorPoolConfiguration.parse(toml: "", environment: environment)
        var endpoint = loaded.supervisor.aeron
        if let aeronDir { endpoint.aeronDir = aeronDir }

        var context = AeronContext(directory: endpoint.aeronDir)
        context.driverTimeoutMs = 10_000
        let aeron: Aeron
        do { aeron = try Aeron.connect(context) } catch {
            fputs("tp send-consumer-config: cannot connect to the media driver in \(endpoint.aeronDir): \(error)\n", stderr)
            throw ExitCode(1)
        }
        defer { aeron.close() }
        let plane = try ControlPlane(aeron: aeron, endpoint: endpoint, roleName: "send-consumer-config",
                                     publishing: [.control], subscribing: [])
        defer { plane.close() }
        let command = ConsumerConfigCommand(streamId: stream, consumerId: consumer, useShm: useShm, mode: parsedMode,
                                            decimation: parsedMode == .decimated ? decimation : 1, payloadFallbackUri: fallbackUri)
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeout * 1e9)
        var last = PublicationResult.notConnected
        while DispatchTime.now().uptimeNanoseconds < deadline {
            last = plane.sendConsumerConfig(command)
            if case .position = last {
                print("tp send-consumer-config: sent stream=\(stream) consumer=\(consumer) mode=\(parsedMode.name) decimation=\(command.decimation) use_shm=\(useShm) fallback_uri=\(fallbackUri ?? "-") channel=\(endpoint.channel) stream_id=\(endpoint.controlStreamId)")
                return
            }
            switch last {
            case .notConnected, .backPressured, .adminAction: usleep(2_000)
            default:
                fputs("tp send-consumer-config: offer failed: \(last)\n", stderr)
                throw ExitCode(1)
            }
        }
        fputs("tp send-consumer-config: not sent (\(last)): no subscriber on \(endpoint.channel) stream \(endpoint.controlStreamId) within \(timeout) s\n", stderr)
        throw ExitCode(1)
    }
}
