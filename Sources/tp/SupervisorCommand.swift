@preconcurrency import Glibc
import AeronConcurrent
import ArgumentParser
import Foundation
import TensorPool

/// `tp supervisor`: the supervisor agent (liveness, collisions, drop-rate policy) with a periodic status view.
struct SupervisorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supervisor",
        abstract: "Supervise producers and consumers: liveness from announces, QoS and superblock activity; consumer id collisions; drop-rate policy.",
        discussion: """
        Prints a status table every --status-interval seconds (or one JSON object per line with --json). \
        Uses the [supervisor] section of --config (TP_SUPERVISOR_* environment overrides apply); flags override it.
        """)

    @Option(help: "TOML configuration file ([supervisor] section).")
    var config: String?

    @Option(help: "Connect to the media driver in this Aeron directory (e.g. the Aeron C driver or `tp driver`) instead of the embedded one.")
    var aeronDir: String?

    @Flag(inversion: .prefixedNo, help: "Without --aeron-dir: launch the embedded Swift driver in the configured aeron_dir (or use the driver already running there).")
    var embeddedDriver = true

    @Option(help: "Map announced header rings under this directory read-only to read their activity timestamps (default: producer.shm_root_dir when it exists).")
    var shmRoot: String?

    @Flag(help: "Do not map header rings: liveness from the control plane only.")
    var noShm = false

    @Option(help: "Seconds between status prints (0 = none).")
    var statusInterval: Double = 1

    @Flag(help: "Print status as one JSON object per line instead of a table.")
    var json = false

    @Option(help: "Producer announce cadence in milliseconds.")
    var announceIntervalMs: UInt32?

    @Option(help: "Consumer QoS cadence in milliseconds.")
    var qosIntervalMs: UInt32?

    @Option(help: "STALE after this many silent cadences.")
    var staleMultiple: UInt32?

    @Option(help: "EXPIRED after this many silent cadences.")
    var expiredMultiple: UInt32?

    @Flag(help: "Disable the drop-rate policy.")
    var noPolicy = false

    @Option(help: "Supervisor id in counter labels.")
    var supervisorId: UInt32 = 1

    @Option(help: "Stop after this many seconds.")
    var duration: Double?

    /// One day: longer is certainly a typo, and it bounds the conversion to nanoseconds.
    static let maximumStatusIntervalSeconds: Double = 86_400

    func validate() throws {
        guard statusInterval.isFinite, statusInterval >= 0, statusInterval <= Self.maximumStatusIntervalSeconds else {
            throw ValidationError("--status-interval must be between 0 and \(Int(Self.maximumStatusIntervalSeconds)) seconds, not \(statusInterval)")
        }
    }

    func run() throws {
        let environment = ProcessInfoEnvironment.current
        let loaded = try config.map { try TensorPoolConfiguration.load(path: $0, environment: environment) }
            ?? TensorPoolConfiguration.parse(toml: "", environment: environment)
        var configuration = loaded.supervisor
        if let aeronDir { configuration.aeron.aeronDir = aeronDir }
        if let announceIntervalMs { configuration.announceIntervalMs = announceIntervalMs }
        if let qosIntervalMs { configuration.qosIntervalMs = qosIntervalMs }
        if let staleMultiple { configuration.staleMultiple = staleMultiple }
        if let expiredMultiple { configuration.expiredMultiple = expiredMultiple }
        guard configuration.announceIntervalMs > 0, configuration.qosIntervalMs > 0, configuration.staleMultiple > 0 else {
            throw ValidationError("cadences and --stale-multiple must be > 0")
        }
        guard configuration.expiredMultiple > configuration.staleMultiple else {
            throw ValidationError("--expired-multiple must be greater than --stale-multiple")
        }
        if noPolicy { configuration.policy.enabled = false }

        var root: String? = nil
        if !noShm {
            if let shmRoot {
                root = shmRoot
            } else {
                var isDirectory: ObjCBool = false
                let configured = loaded.producer.shmRootDir
                if FileManager.default.fileExists(atPath: configured, isDirectory: &isDirectory), isDirectory.boolValue { root = configured }
            }
        }

        let role = try RoleProcess(name: "tp supervisor", aeronDir: aeronDir, embeddedDriver: embeddedDriver,
                                   configuredAeronDir: configuration.aeron.aeronDir)
        defer { role.close() }
        let intervalNs = UInt64(statusInterval * 1e9)
        let settings = SupervisorSettings(configuration: configuration, shmRoot: root, supervisorId: supervisorId,
                                          statusIntervalNs: intervalNs, logSink: role.logSink)
        let agent = try SupervisorAgent(aeron: role.aeron, settings: settings)
        let board = agent.statusBoard
        let runner = try role.start(agent)
        role.print("ready aeron \(role.session.directory) shm-root \(root ?? "-") announce \(configuration.announceIntervalMs) ms qos \(configuration.qosIntervalMs) ms stale x\(configuration.staleMultiple) expired x\(configuration.expiredMultiple) policy \(configuration.policy.enabled ? "on" : "off") pid \(getpid())")

        var printed: UInt64 = 0
        role.wait(duration: duration) { _, _ in
            let publications = board.publications
            if intervalNs > 0, publications != printed, let status = board.status {
                printed = publications
                demoPrint(json ? status.jsonLine : status.table)
            }
            return false
        }
        try runner.close()
        role.print("closed")
    }
}
