#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import AeronConcurrent

/// Settings of an embedded IPC media driver. Defaults are the Aeron C 1.53 media driver's.
public struct MediaDriverContext: Sendable {
    /// The Aeron directory (default `/dev/shm/aeron-<user>` on Linux, like the C driver).
    public var aeronDirectory: String = MediaDriverContext.defaultAeronDirectory()
    /// Section lengths of `cnc.dat` and the client liveness timeout written into it.
    public var cncLayout: CncFileDescriptor.Layout = .defaults
    /// Default term length of IPC publications (64 MiB).
    public var ipcTermLength: Int = 64 * 1024 * 1024
    /// Default MTU of IPC publications (1408).
    public var ipcMtu: Int = 1408
    /// Default publication window of IPC publications; 0 = term length / 2.
    public var ipcPublicationWindow: Int = 0
    /// Length of `loss-report.dat`.
    public var lossReportLength: Int = LossReportDescriptor.defaultLength
    /// How old the existing driver's heartbeat must be before its directory counts as stale (ms, default 10 s).
    public var driverTimeoutMs: Int64 = 10_000
    /// Timer interval: consumer heartbeat refresh and timed checks (default 1 s).
    public var timerIntervalNs: Int64 = 1_000_000_000
    /// A concurrent publication whose consumers have not moved for this long is unblocked (default 15 s).
    public var publicationUnblockTimeoutNs: Int64 = 15_000_000_000
    /// A stalled command in the to-driver ring buffer is unblocked after this long; 0 = client liveness timeout.
    public var commandUnblockTimeoutNs: Int64 = 0
    /// An untethered subscriber lagging behind the window for this long is dropped (default 5 s).
    public var untetheredWindowLimitTimeoutNs: Int64 = 5_000_000_000
    /// A dropped untethered subscriber lingers this long before resting (default 5 s).
    public var untetheredLingerTimeoutNs: Int64 = 5_000_000_000
    /// A resting untethered subscriber rejoins after this long (default 10 s).
    public var untetheredRestingTimeoutNs: Int64 = 10_000_000_000
    /// How long an IPC publication whose image a subscriber rejected (REJECT_IMAGE) refuses subscribers before
    /// linking them again (the C driver's image liveness timeout, default 10 s).
    public var imageLivenessTimeoutNs: Int64 = 10_000_000_000
    /// Publication linger written to log metadata (ns, default 5 s; IPC has no timed linger, as in the C driver).
    public var publicationLingerTimeoutNs: Int64 = 5_000_000_000
    /// Counter free-to-reuse delay (ms, default 1 s).
    public var counterFreeToReuseTimeoutMs: Int64 = 1_000
    /// Low end of the reserved session id range never handed out (default -1).
    public var reservedSessionIdLow: Int32 = -1
    /// High end of the reserved session id range (default 1000).
    public var reservedSessionIdHigh: Int32 = 1000
    /// Term buffers created sparse (default true): file pages are not reserved up front.
    public var termBufferSparse: Bool = true
    /// Remove the Aeron directory when the driver closes.
    public var deleteDirectoryOnShutdown: Bool = false
    /// Name of the driver thread in launched mode.
    public var threadName: String = "aeron-driver"
    /// CPU the driver thread is pinned to in launched mode; nil leaves it to the scheduler. A CPU that cannot be
    /// taken is recorded in the driver's error log and the thread runs unpinned.
    public var threadCpu: Int32? = nil
    /// Initial value of the session id sequence; nil = random (tests set it for determinism).
    public var initialSessionId: Int32? = nil

    /// The C 1.53 driver's defaults.
    public init() {}

    /// Client liveness timeout (ns), as written into `cnc.dat`.
    public var clientLivenessTimeoutNs: Int64 {
        get { cncLayout.clientLivenessTimeoutNs }
        set { cncLayout.clientLivenessTimeoutNs = newValue }
    }

    /// Sets the counters values length and the matching metadata length (4 ×).
    public mutating func setCountersValuesBufferLength(_ length: Int) {
        cncLayout.countersValuesBufferLength = length
        cncLayout.countersMetadataBufferLength = 4 * length
    }

    /// `/dev/shm/aeron-<user>` on Linux, `$TMPDIR/aeron-<user>` elsewhere; `$AERON_DIR` overrides both.
    public static func defaultAeronDirectory() -> String {
        if let dir = getenv("AERON_DIR").map({ String(cString: $0) }), !dir.isEmpty { return dir }
        var user = getenv("USER").map { String(cString: $0) } ?? ""
        if user.isEmpty, let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { user = String(cString: name) }
        if user.isEmpty { user = "default" }
        #if os(Linux)
        return "/dev/shm/aeron-\(user)"
        #else
        var tmp = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        if !tmp.hasSuffix("/") { tmp += "/" }
        return "\(tmp)aeron-\(user)"
        #endif
    }

    /// Checks settings the way the C driver does at start.
    public func validate() throws(MediaDriverError) {
        func pow2(_ v: Int) -> Bool { v > 0 && v & (v - 1) == 0 }
        guard pow2(ipcTermLength), ipcTermLength >= 65536, ipcTermLength <= 1 << 30 else {
            throw .invalidConfiguration("IPC term length must be a power of 2 in [64 KiB, 1 GiB]: \(ipcTermLength)")
        }
        guard ipcMtu > 32, ipcMtu <= 65504, ipcMtu % 32 == 0 else {
            throw .invalidConfiguration("MTU must be > 32, <= 65504 and a multiple of 32: \(ipcMtu)")
        }
        guard clientLivenessTimeoutNs > 0, timerIntervalNs > 0 else {
            throw .invalidConfiguration("timeouts must be positive")
        }
        do { try cncLayout.validate(fileLength: cncLayout.fileLength) } catch { throw .invalidConfiguration("\(error)") }
    }
}

/// Why a media driver could not start.
public enum MediaDriverError: Error, CustomStringConvertible, Sendable {
    /// Another driver is using the directory (its heartbeat is younger than the driver timeout).
    case activeDriverDetected(directory: String, heartbeatAgeMs: Int64, pid: Int64)
    /// A setting is out of range.
    case invalidConfiguration(String)
    /// Creating the directory or its files failed.
    case io(String)

    /// What is wrong and how to fix it, for the error that stops the driver from starting.
    public var description: String {
        switch self {
        case .activeDriverDetected(let dir, let age, let pid):
            "active media driver detected in \(dir) (pid \(pid), heartbeat \(age) ms old): stop it or use another directory"
        case .invalidConfiguration(let why): "invalid media driver configuration: \(why)"
        case .io(let why): "media driver I/O error: \(why)"
        }
    }
}
