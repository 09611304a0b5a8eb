@preconcurrency import Glibc
import ArgumentParser
import Dispatch
import Synchronization
import AeronDriver

/// `tp driver`: the embedded Swift IPC media driver as a standalone process.
struct DriverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "driver",
        abstract: "Run the Swift aeron:ipc media driver until SIGINT/SIGTERM.",
        discussion: "Real Aeron C/Java clients connect to it through --dir. Network channels (aeron:udp) are refused: use the Aeron C or Java media driver for those.")

    @Option(help: "Aeron directory (default: $AERON_DIR or /dev/shm/aeron-$USER).")
    var dir: String?

    @Option(help: "Default IPC term length in bytes (power of 2, 64k..1g; suffixes k/m/g).")
    var termLength: String?

    @Option(help: "Client liveness timeout in milliseconds.")
    var clientLivenessTimeoutMs: Int64?

    @Option(help: "Publication unblock timeout in milliseconds.")
    var publicationUnblockTimeoutMs: Int64?

    @Option(help: "Timer interval (driver heartbeat, timed checks) in milliseconds.")
    var timerIntervalMs: Int64?

    @Option(help: "Counters values buffer length in bytes (metadata is 4x).")
    var countersBufferLength: Int?

    @Flag(help: "Delete the Aeron directory on shutdown.")
    var deleteOnShutdown = false

    @Option(help: "Pin the driver thread to this CPU (on a small machine, keeps the conductor off the CPU of a latency-critical thread).")
    var cpu: Int32?

    func validate() throws {
        try CPUOption.validate(cpu, flag: "--cpu")
    }

    func run() throws {
        var context = MediaDriverContext()
        if let dir { context.aeronDirectory = dir }
        if let termLength {
            guard let bytes = Self.parseSize(termLength) else { throw ValidationError("invalid --term-length \(termLength)") }
            context.ipcTermLength = bytes
        }
        if let ms = clientLivenessTimeoutMs { context.clientLivenessTimeoutNs = ms * 1_000_000 }
        if let ms = publicationUnblockTimeoutMs { context.publicationUnblockTimeoutNs = ms * 1_000_000 }
        if let ms = timerIntervalMs { context.timerIntervalNs = ms * 1_000_000 }
        if let countersBufferLength { context.setCountersValuesBufferLength(countersBufferLength) }
        context.deleteDirectoryOnShutdown = deleteOnShutdown
        context.threadCpu = cpu

        // Before the driver starts: a SIGINT/SIGTERM sent as soon as "ready" is printed is never lost.
        let stop = DemoStopSignal()
        let driver: MediaDriver
        do { driver = try MediaDriver.launch(context) } catch {
            fputs("tp driver: \(error)\n", stderr)
            throw ExitCode(2)
        }
        print("tp driver: ready dir=\(driver.aeronDirectory) pid=\(getpid()) ipc-term-length=\(context.ipcTermLength)")
        fflush(stdout)
        stop.waitUntilStopped()
        driver.close()
        print("tp driver: closed")
    }

    static func parseSize(_ text: String) -> Int? {
        var digits = Substring(text)
        var multiplier = 1
        switch text.last {
        case "k", "K": multiplier = 1 << 10; digits = digits.dropLast()
        case "m", "M": multiplier = 1 << 20; digits = digits.dropLast()
        case "g", "G": multiplier = 1 << 30; digits = digits.dropLast()
        default: break
        }
        guard let value = Int(digits), value > 0 else { return nil }
        return value * multiplier
    }
}
