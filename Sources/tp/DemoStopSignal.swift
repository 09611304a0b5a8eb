@preconcurrency import Glibc
import CSystemShims
import Dispatch
import Synchronization

/// Set by SIGINT/SIGTERM; polled by the `tp` role commands' main loops for a clean exit.
///
/// The handler is installed with `sigaction` and only records the signal (CSystemShims): a signal arriving while
/// it is being installed either ends the process (before) or is recorded (after), never lost. (Ignoring the
/// signals first and arming a dispatch source after left a window in which a SIGTERM was dropped and the
/// process ran on.)
final class DemoStopSignal: @unchecked Sendable {
    private let stopped = Atomic<Bool>(false)

    /// Installs the handler; a failure (which `sigaction` reports only for invalid arguments) is reported.
    init() {
        let result = shims_install_termination_handler()
        if result != 0 { fputs("tp: cannot install the SIGINT/SIGTERM handler (errno \(-result))\n", stderr) }
    }

    var isStopped: Bool { stopped.load(ordering: .acquiring) || shims_termination_requested() != 0 }
    func stop() { stopped.store(true, ordering: .releasing) }

    /// Blocks until SIGINT/SIGTERM (or ``stop()``).
    func waitUntilStopped() {
        while !isStopped { usleep(10_000) }
    }

    /// Sleeps up to `seconds`, returning early when stopped.
    func sleep(seconds: Double) {
        // Clamped to a year so NaN, negative or huge values cannot trap the conversion.
        let bounded = seconds.isNaN ? 0 : min(max(seconds, 0), 365 * 86_400)
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(bounded * 1e9)
        while !isStopped && DispatchTime.now().uptimeNanoseconds < deadline { usleep(5_000) }
    }
}
