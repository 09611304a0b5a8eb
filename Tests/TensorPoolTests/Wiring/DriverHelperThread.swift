#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Synchronization
import AeronDriver

/// Runs a driver's duty cycle on a helper thread while the roles are set up (their adds wait for the driver).
final class DriverHelperThread: @unchecked Sendable {
    private let driver: MediaDriver
    private let running = Atomic<Bool>(true)
    private let finished = Atomic<Bool>(false)

    init(driver: MediaDriver) { self.driver = driver }

    func start() {
        let thread = Thread { [self] in
            while running.load(ordering: .acquiring) {
                if driver.doWork() == 0 { usleep(100) }
            }
            finished.store(true, ordering: .releasing)
        }
        thread.start()
    }

    /// Stops the thread and waits until its last duty cycle is over (the caller then owns the driver).
    func stop() {
        running.store(false, ordering: .releasing)
        while !finished.load(ordering: .acquiring) { usleep(100) }
    }
}
