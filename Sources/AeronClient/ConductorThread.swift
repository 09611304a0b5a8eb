#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Synchronization

/// The background thread that runs the conductor when the application does not (non-invoker mode): duty cycle,
/// then a 1 ms sleep when there was nothing to do.
final class ConductorThread: @unchecked Sendable {
    private let conductor: ClientConductor
    private let running = Atomic<Bool>(true)
    private var thread = pthread_t()

    init(conductor: ClientConductor) {
        self.conductor = conductor
        let context = Unmanaged.passRetained(self).toOpaque()
        pthread_create(&thread, nil, { raw in
            let me = Unmanaged<ConductorThread>.fromOpaque(raw!).takeRetainedValue()
            me.run()
            return nil
        }, context)
    }

    private func run() {
        while running.load(ordering: .acquiring) {
            if conductor.doWork(nowNs: AeronClock.nanoTime()) == 0 { usleep(1_000) }
        }
    }

    func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        pthread_join(thread, nil)
    }
}
