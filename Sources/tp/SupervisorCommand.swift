@preconcurrency import Glibc
import ArgumentParser
import Dispatch
import Foundation
import Synchronization
import AeronClient
import TensorPool

/// `tp supervisor`: the tensor-pool supervisor (liveness, QoS aggregation, drop-rate policy) on Aeron.
struct SupervisorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supervisor",
        abstract: "Run the tensor-pool supervisor and print its status periodically until SIGINT/SIGTERM.",
        discussion: "Reads the [supervisor] section of --config (plus TP_SUPERVISOR_* overrides); needs a running media driver (tp driver).")

    @Option(help: "TOML configuration file (default: built-in defaults plus TP_* environment).")
    var config: String?

    @Option(help: "Status print interval in milliseconds (0 = only at exit).")
    var statusIntervalMs: UInt64 = 1000

    @Option(help: "Stop after this many seconds (default: run until a signal).")
    var durationS: Double?

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let settings: SupervisorConfiguration
        do {
            let all = try config.map { path throws(ConfigurationError) in try TensorPoolConfiguration.load(path: path, environment: environment) }
                ?? TensorPoolConfiguration.parse(toml: "", environment: environment)
            settings = all.supervisor
        } catch {
            fputs("tp supervisor: \(error)\n", stderr)
            throw ExitCode(1)
        }
        let agent: SupervisorAgent
        let aeron: Aeron
        do {
            aeron = try Aeron.connect(AeronContext(directory: settings.aeron.aeronDir))
            agent = try SupervisorAgent(configuration: settings, aeron: aeron)
        } catch {
            fputs("tp supervisor: \(error)\n", stderr)
            throw ExitCode(2)
        }
        defer { aeron.close() }
        print("tp supervisor: running dir=\(settings.aeron.aeronDir) channel=\(settings.aeron.channel) control=\(settings.aeron.controlStreamId) qos=\(settings.aeron.qosStreamId)")
        fflush(stdout)

        let stop = SupervisorStopFlag.install()
        let start = Self.monotonicNs()
        let deadline = durationS.map { start + UInt64($0 * 1e9) }
        var statusTimer = CadenceTimer(intervalNs: statusIntervalMs * 1_000_000)
        _ = statusTimer.isDue(nowNs: start)
        while !stop.isSet {
            let now = Self.monotonicNs()
            if let deadline, now >= deadline { break }
            if agent.doWork(nowNs: now) == 0 { usleep(1000) }
            if statusIntervalMs > 0 && statusTimer.isDue(nowNs: now) {
                print(agent.status(nowNs: now).description)
                fflush(stdout)
            }
        }
        print(agent.status(nowNs: Self.monotonicNs()).description)
        print("tp supervisor: stopped (commands sent \(agent.commandsSent), malformed \(agent.inbox.counters.malformed))")
    }

    static func monotonicNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}

/// Set by SIGINT/SIGTERM; the handlers are `@Sendable` and created in a nonisolated function, so they
/// never assert the main actor from a dispatch thread.
final class SupervisorStopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    nonisolated(unsafe) private var sources: [any DispatchSourceSignal] = []

    var isSet: Bool { flag.load(ordering: .acquiring) }

    nonisolated static func install() -> SupervisorStopFlag {
        let stop = SupervisorStopFlag()
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { @Sendable in stop.flag.store(true, ordering: .releasing) }
            source.resume()
            stop.sources.append(source)
        }
        return stop
    }
}
