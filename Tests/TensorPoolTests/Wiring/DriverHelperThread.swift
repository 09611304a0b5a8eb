import AeronConcurrent
import AeronDriver

/// Runs a driver's duty cycle on a helper thread while the roles are set up (their adds wait for the driver).
final class DriverHelperThread {
    private let runner: AgentRunner<MediaDriverAgent, SleepingIdleStrategy>

    init(driver: MediaDriver) {
        runner = AgentRunner(agent: MediaDriverAgent(driver: driver, roleName: "test-driver"),
                             idleStrategy: SleepingIdleStrategy(sleepPeriodNs: 100_000))
    }

    func start() throws { try runner.start() }

    /// Stops the thread and waits until its last duty cycle is over (the caller then owns the driver).
    func stop() throws { try runner.close() }
}
