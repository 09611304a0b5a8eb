@preconcurrency import Glibc
import Dispatch
import Synchronization

/// Set by SIGINT/SIGTERM; polled by the `tp` role commands' main loops for a clean exit.
final class DemoStopSignal: @unchecked Sendable {
    private let stopped = Atomic<Bool>(false)
    private var sources: [any DispatchSourceSignal] = []

    /// Installs the handlers (created outside any main-actor context, and `@Sendable`).
    init() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { @Sendable [weak self] in self?.stop() }
            source.resume()
            sources.append(source)
        }
    }

    deinit { for source in sources { source.cancel() } }

    var isStopped: Bool { stopped.load(ordering: .acquiring) }
    func stop() { stopped.store(true, ordering: .releasing) }

    /// Sleeps up to `seconds`, returning early when stopped.
    func sleep(seconds: Double) {
        // Clamped to a year so NaN, negative or huge values cannot trap the conversion.
        let bounded = seconds.isNaN ? 0 : min(max(seconds, 0), 365 * 86_400)
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(bounded * 1e9)
        while !isStopped && DispatchTime.now().uptimeNanoseconds < deadline { usleep(5_000) }
    }
}
