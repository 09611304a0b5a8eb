import AeronConcurrent
import Foundation
import Synchronization

/// Test error thrown by agents.
struct AgentTestError: Error, Equatable {
    let cycle: Int
}

/// Waits (bounded) until `condition` holds; returns whether it did.
func waitUntil(timeoutSeconds: Double = 30, _ condition: () -> Bool) -> Bool {
    let deadline = Date(timeIntervalSinceNow: timeoutSeconds)
    while !condition() {
        if Date() > deadline { return false }
        usleep(1_000)
    }
    return true
}

/// An agent that records its lifecycle in atomics so the test thread can observe it.
final class RecordingAgent: Agent, @unchecked Sendable {
    let roleName: String
    let starts = Atomic<Int>(0)
    let closes = Atomic<Int>(0)
    let cycles = Atomic<Int>(0)
    let threadName = Mutex<String>("")
    let allowedCPUs = Mutex<String>("")
    /// Throw `AgentTestError` on every cycle that is a multiple of this (0 = never).
    let failEvery: Int
    /// Throw `AgentTermination` on this cycle (0 = never).
    let terminateAt: Int
    let failOnStart: Bool
    let workPerCycle: Int

    init(roleName: String = "recording-agent", failEvery: Int = 0, terminateAt: Int = 0, failOnStart: Bool = false,
         workPerCycle: Int = 1) {
        self.roleName = roleName
        self.failEvery = failEvery
        self.terminateAt = terminateAt
        self.failOnStart = failOnStart
        self.workPerCycle = workPerCycle
    }

    func onStart() throws {
        starts.wrappingAdd(1, ordering: .releasing)
        let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
        threadName.withLock { $0 = name.trimmingCharacters(in: .whitespacesAndNewlines) }
        let status = (try? String(contentsOfFile: "/proc/thread-self/status", encoding: .utf8)) ?? ""
        let cpus = status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }
            .map { $0.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces) } ?? ""
        allowedCPUs.withLock { $0 = cpus }
        if failOnStart { throw AgentTestError(cycle: 0) }
    }

    func doWork() throws -> Int {
        let cycle = cycles.wrappingAdd(1, ordering: .releasing).newValue
        if terminateAt > 0 && cycle == terminateAt { throw AgentTermination(reason: "test") }
        if failEvery > 0 && cycle % failEvery == 0 { throw AgentTestError(cycle: cycle) }
        return workPerCycle
    }

    func onClose() {
        closes.wrappingAdd(1, ordering: .releasing)
    }
}
