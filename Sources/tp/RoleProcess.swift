@preconcurrency import Glibc
import AeronConcurrent
import AeronClient
import Foundation
import TensorPool

/// The process around one `tp` role agent (producer, consumer, decimator, bridge ends, supervisor): the SIGINT/SIGTERM
/// stop signal, the Aeron session (external or embedded driver), the agent's runner thread, and the main thread's
/// wait for the stop condition. Every line it prints starts with the command's name (`tp consumer: ...`) because
/// tests and scripts read role output line by line.
final class RoleProcess {
    /// `tp consumer`, `tp bridge send`, ...: the prefix of every printed line.
    let name: String
    let session: DemoAeronSession
    private let stop: DemoStopSignal

    /// - Parameters:
    ///   - aeronDir: `--aeron-dir`: connect to the driver there.
    ///   - embeddedDriver: without `--aeron-dir`, whether to launch (or reuse) the embedded driver in
    ///     `configuredAeronDir`; otherwise connect to the driver expected there.
    init(name: String, aeronDir: String?, embeddedDriver: Bool, configuredAeronDir: String) throws {
        self.name = name
        // Installed before connecting so a signal during a slow connect still stops the loop.
        stop = DemoStopSignal()
        session = try DemoAeronSession(
            externalDirectory: aeronDir ?? (embeddedDriver ? nil : configuredAeronDir),
            embeddedDirectory: configuredAeronDir, deleteOnClose: false) { demoPrint("\(name): \($0)") }
    }

    convenience init(name: String, connection: DemoConnectionOptions, configuredAeronDir: String) throws {
        try self.init(name: name, aeronDir: connection.aeronDir, embeddedDriver: connection.embeddedDriver,
                      configuredAeronDir: configuredAeronDir)
    }

    var aeron: Aeron { session.aeron }

    /// Prints `<name>: <line>` and flushes.
    func print(_ line: String) { demoPrint("\(name): \(line)") }

    /// Agent log lines, printed like ``print(_:)``.
    var logSink: TensorPoolLogSink {
        TensorPoolLogSink { [name] line in demoPrint("\(name): \(line)") }
    }

    /// Starts `agent` on its own thread with a backoff idle strategy; its errors are printed as `<name>: error: ...`.
    func start<A: Agent>(_ agent: A) throws -> AgentRunner<A, BackoffIdleStrategy> {
        let runner = AgentRunner(agent: agent, idleStrategy: BackoffIdleStrategy()) { [name] error in
            demoPrint("\(name): error: \(error)")
        }
        try runner.start()
        return runner
    }

    /// Wakes every 50 ms until SIGINT/SIGTERM, `step` returns true, or `duration` seconds have passed.
    ///
    /// - Parameter step: called on each wake-up with the monotonic time now and at the start, in nanoseconds.
    /// - Returns: the monotonic time the wait began, in nanoseconds.
    @discardableResult
    func wait(duration: Double?, step: (_ nowNs: UInt64, _ startNs: UInt64) -> Bool) -> UInt64 {
        let start = DispatchTime.now().uptimeNanoseconds
        while !stop.isStopped {
            stop.sleep(seconds: 0.05)
            let now = DispatchTime.now().uptimeNanoseconds
            if step(now, start) { break }
            if let duration, Double(now - start) / 1e9 >= duration { break }
        }
        return start
    }

    /// ``wait(duration:step:)`` for a stop condition and a once-a-second progress line
    /// (`<name>: t=<elapsed>s <progress>`, unless `--quiet`): the loop of the frame-moving roles.
    ///
    /// - Parameters:
    ///   - isDone: checked on each wake-up, before the duration; no progress line follows a true.
    ///   - progress: the rest of the progress line, given the seconds since the previous line (or the start).
    /// - Returns: the monotonic time the wait began, in nanoseconds.
    @discardableResult
    func wait(lifetime: RoleLifetimeOptions, until isDone: () -> Bool,
              progress: (_ intervalSeconds: Double) -> String) -> UInt64 {
        var lastPrint: UInt64?
        return wait(duration: lifetime.duration) { now, start in
            if isDone() { return true }
            if let duration = lifetime.duration, Double(now - start) / 1e9 >= duration { return true }
            let previous = lastPrint ?? start
            if !lifetime.quiet, now - previous >= 1_000_000_000 {
                print("t=\(String(format: "%.0f", Double(now - start) / 1e9))s \(progress(Double(now - previous) / 1e9))")
                lastPrint = now
            }
            return false
        }
    }

    /// Seconds from `startNs` (a ``wait(duration:step:)`` result) to now.
    static func seconds(since startNs: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - startNs) / 1e9
    }

    func close() { session.close() }
}
