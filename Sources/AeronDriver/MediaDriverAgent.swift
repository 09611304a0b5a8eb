import AeronConcurrent

/// An invoker-mode ``MediaDriver`` as an ``Agent``, so its duty cycle can be lent to an ``AgentRunner`` for a
/// while (e.g. while clients on the owner's thread add or remove streams, which wait for the driver) and taken
/// back once the runner is closed. Closing the runner leaves the driver open: the owner still closes it.
public struct MediaDriverAgent: Agent {
    /// The driver whose ``MediaDriver/doWork(nowNs:)`` this agent runs.
    public let driver: MediaDriver
    /// Thread and error-report name.
    public let roleName: String

    /// Wraps `driver`; `roleName` names the runner's thread.
    public init(driver: MediaDriver, roleName: String = "media-driver") {
        self.driver = driver
        self.roleName = roleName
    }

    /// One driver duty cycle.
    public mutating func doWork() throws -> Int {
        driver.doWork()
    }
}
