/// Roles wired in a chain on one ``WiringTestEnvironment`` and driven from the test thread: one duty cycle of each
/// role per step, pumped until a condition holds.
protocol RoleChain: AnyObject {
    var env: WiringTestEnvironment { get }
    /// One duty cycle of every role of the chain, upstream first.
    func cycle(_ now: UInt64) throws
}

extension RoleChain {
    /// Cycles the chain until `condition` holds or `timeoutS` passes; returns whether it held.
    @discardableResult
    func pump(timeoutS: Double = 20, until condition: () -> Bool) throws -> Bool {
        try env.pump(timeoutS: timeoutS, until: condition) { try cycle($0) }
    }
}
