import Foundation

/// The real Aeron C 1.53 media driver (`aeron_peer.py driver`) running as a child process on its own
/// temporary Aeron directory.
///
/// Start it, point the client under test at ``path``, and let it go: ``stop(timeout:)`` shuts it down cleanly
/// (the driver deletes its directory), ``kill()`` leaves a stale directory behind, and `deinit` stops a driver
/// that is still running. The driver also stops when this process dies (its stdin reaches EOF).
public final class RealAeronMediaDriver: @unchecked Sendable {
    /// Media driver settings passed to `aeron_peer.py driver`; `nil` keeps the C driver's default.
    public struct Options: Sendable {
        /// `dedicated`, `shared_network`, `shared` or `invoker` (manual main loop in the peer).
        public var threading: String = "shared"
        /// Idle strategy name for the driver's agents (`backoff`, `noop`, `yield`, `busy_spin`, `sleep-ns`).
        public var idleStrategy: String?
        /// Term buffer length for IPC and network publications (power of two, 64 KiB ... 1 GiB).
        public var termLength: Int?
        /// IPC MTU length.
        public var ipcMtu: Int?
        public var clientLivenessTimeoutNs: UInt64?
        public var timerIntervalNs: UInt64?
        public var publicationLingerTimeoutNs: UInt64?
        public var imageLivenessTimeoutNs: UInt64?
        public var publicationUnblockTimeoutNs: UInt64?
        /// How old the CnC heartbeat must be before an existing directory counts as a dead driver's.
        public var driverTimeoutMs: UInt64?
        /// Delete an existing directory before starting (default); `false` makes the driver check whether another
        /// driver is active there first.
        public var deleteDirectoryOnStart: Bool = true
        /// Keep the directory on shutdown.
        public var keepDirectory: Bool = false
        /// Further raw flags.
        public var extraArguments: [String] = []

        public init() {}

        /// The command-line flags these options stand for.
        public var arguments: [String] {
            var args = ["--threading", threading]
            func add(_ flag: String, _ value: (some CustomStringConvertible)?) {
                if let value { args += [flag, value.description] }
            }
            add("--idle", idleStrategy)
            add("--term-length", termLength)
            add("--ipc-mtu", ipcMtu)
            add("--client-liveness-timeout-ns", clientLivenessTimeoutNs)
            add("--timer-interval-ns", timerIntervalNs)
            add("--publication-linger-timeout-ns", publicationLingerTimeoutNs)
            add("--image-liveness-timeout-ns", imageLivenessTimeoutNs)
            add("--publication-unblock-timeout-ns", publicationUnblockTimeoutNs)
            add("--driver-timeout-ms", driverTimeoutMs)
            if !deleteDirectoryOnStart { args.append("--no-delete-on-start") }
            if keepDirectory { args.append("--keep-dir") }
            return args + extraArguments
        }
    }

    /// The Aeron directory (kept alive, and finally removed, by this driver object).
    public let directory: TemporaryAeronDirectory
    /// The driver's peer process.
    public let process: AeronPeerProcess
    /// The `ready` event (`dir`, `pid`, `cnc`, `threading`, `aeron_version`).
    public let ready: PeerEvent

    /// Path of the Aeron directory, for the client under test.
    public var path: String { directory.path }

    /// Starts the driver and waits until its CnC file is ready.
    ///
    /// - Parameters:
    ///   - directory: where to run; a fresh unique one by default. Pass an existing one to start over a
    ///     previous (e.g. killed) driver's directory.
    ///   - readyTimeout: seconds to wait for `ready`; the process is killed if it does not come.
    public init(
        directory: TemporaryAeronDirectory = TemporaryAeronDirectory(prefix: "c-driver"),
        options: Options = Options(),
        readyTimeout: Double = 30
    ) throws {
        self.directory = directory
        process = try AeronPeerProcess("driver", directory: directory.path, arguments: options.arguments)
        ready = try process.waitForEvent("ready", timeout: readyTimeout)
    }

    deinit {
        if process.isRunning {
            process.terminate()
            if (try? process.waitForExit(timeout: 10)) == nil {
                process.kill()
            }
        }
    }

    /// Shuts the driver down cleanly (SIGTERM) and returns its `closed` event (`dir`, `dir_exists`).
    /// Kills it if it does not exit within `timeout` seconds.
    @discardableResult
    public func stop(timeout: Double = 15) throws -> PeerEvent? {
        process.terminate()
        let run = try process.waitForExit(timeout: timeout)
        return run.last("closed")
    }

    /// All counters of this driver (`counter` events: `id`, `type_id`, `registration_id`, `owner_id`,
    /// `reference_id`, `value`, `label`), read by the real C client's counters reader.
    public func counters(timeout: Double = 60) throws -> [PeerEvent] {
        try AeronPeerProcess.run("counters", directory: path, timeout: timeout).all("counter")
    }

    /// The distinct errors in this driver's error log (`error` events: `observation_count`,
    /// `first_observation_ms`, `last_observation_ms`, `message`).
    public func errorLog(timeout: Double = 60) throws -> [PeerEvent] {
        try AeronPeerProcess.run("errors", directory: path, timeout: timeout).all("error")
    }

    /// Kills the driver with SIGKILL: its directory and CnC file stay behind, as after a crash.
    public func kill(timeout: Double = 10) throws {
        process.kill()
        try process.waitForExit(timeout: timeout)
    }
}
