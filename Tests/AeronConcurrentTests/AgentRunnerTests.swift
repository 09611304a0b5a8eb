import AeronConcurrent
import Foundation
import Synchronization
import Testing

@Suite struct AgentRunnerTests {
    @Test func runsTheDutyCycleOnANamedThreadUntilClosed() throws {
        let agent = RecordingAgent(roleName: "tp-test-runner-name-too-long")
        let runner = AgentRunner(agent: agent, idleStrategy: BusySpinIdleStrategy())
        #expect(!runner.isRunning)
        try runner.start()
        #expect(waitUntil { agent.cycles.load(ordering: .acquiring) >= 10_000 })
        #expect(runner.isRunning)
        #expect(runner.agentIfStopped == nil)
        try runner.close()
        #expect(runner.isClosed)
        #expect(!runner.isRunning)
        #expect(agent.starts.load(ordering: .acquiring) == 1)
        #expect(agent.closes.load(ordering: .acquiring) == 1)
        // The cycle count no longer moves once closed.
        let cycles = agent.cycles.load(ordering: .acquiring)
        usleep(10_000)
        #expect(agent.cycles.load(ordering: .acquiring) == cycles)
        #expect(agent.threadName.withLock { $0 } == "tp-test-runner-")  // the first 15 bytes of the role name
        #expect(runner.errorCount == 0)
        #expect(runner.agentIfStopped != nil)
        try runner.close()  // idempotent
        #expect(agent.closes.load(ordering: .acquiring) == 1)
    }

    @Test func errorsAreCountedAndHandledAndTheCycleContinues() throws {
        let agent = RecordingAgent(failEvery: 10)
        let handled = Atomic<Int>(0)
        let runner = AgentRunner(agent: agent, idleStrategy: NoOpIdleStrategy()) { error in
            if error is AgentTestError { handled.wrappingAdd(1, ordering: .relaxed) }
        }
        try runner.start()
        #expect(waitUntil { agent.cycles.load(ordering: .acquiring) >= 1_000 })
        try runner.close()
        let cycles = agent.cycles.load(ordering: .acquiring)
        #expect(runner.errorCount == cycles / 10)
        #expect(handled.load(ordering: .relaxed) == runner.errorCount)
        #expect(!runner.wasTerminatedByAgent)
    }

    @Test func agentTerminationStopsTheRunnerWithoutCountingAnError() throws {
        let agent = RecordingAgent(terminateAt: 50)
        let runner = AgentRunner(agent: agent, idleStrategy: YieldingIdleStrategy())
        try runner.start()
        #expect(waitUntil { !runner.isRunning })
        #expect(runner.wasTerminatedByAgent)
        #expect(agent.cycles.load(ordering: .acquiring) == 50)
        #expect(agent.closes.load(ordering: .acquiring) == 1)
        #expect(runner.errorCount == 0)
        try runner.close()
        #expect(runner.isClosed)
    }

    @Test func failedStartReportsTheErrorAndClosesWithoutRunning() throws {
        let agent = RecordingAgent(failOnStart: true)
        let runner = AgentRunner(agent: agent, idleStrategy: BackoffIdleStrategy())
        try runner.start()
        #expect(waitUntil { !runner.isRunning })
        try runner.close()
        #expect(runner.errorCount == 1)
        #expect(agent.cycles.load(ordering: .acquiring) == 0)
        #expect(agent.closes.load(ordering: .acquiring) == 1)
    }

    @Test func startingTwiceOrAfterCloseIsAnError() throws {
        let runner = AgentRunner(agent: RecordingAgent(roleName: "twice"), idleStrategy: SleepingIdleStrategy(sleepPeriodNs: 100_000))
        try runner.start()
        #expect(throws: AgentRunnerError.alreadyStarted(role: "twice")) { try runner.start() }
        try runner.close()
        #expect(throws: AgentRunnerError.alreadyStarted(role: "twice")) { try runner.start() }
    }

    @Test func closingANeverStartedRunnerJustMarksItClosed() throws {
        let agent = RecordingAgent()
        let runner = AgentRunner(agent: agent, idleStrategy: NoOpIdleStrategy())
        try runner.close()
        #expect(runner.isClosed)
        #expect(agent.starts.load(ordering: .acquiring) == 0)
        #expect(agent.closes.load(ordering: .acquiring) == 0)
        #expect(throws: AgentRunnerError.self) { try runner.start() }
    }

    @Test func closeTimesOutOnABlockedAgentAndCanBeRetried() throws {
        let agent = BlockingAgent()
        let runner = AgentRunner(agent: agent, idleStrategy: NoOpIdleStrategy())
        try runner.start()
        #expect(waitUntil { agent.entered.load(ordering: .acquiring) })
        #expect(throws: AgentRunnerError.self) { try runner.close(timeout: .milliseconds(50)) }
        #expect(!runner.isClosed)
        agent.release.store(true, ordering: .releasing)
        try runner.close()
        #expect(runner.isClosed)
    }

    @Test func agentThreadIsPinnedToTheRequestedCPU() throws {
        let agent = RecordingAgent(terminateAt: 1)
        let runner = AgentRunner(agent: agent, idleStrategy: NoOpIdleStrategy(), cpu: 0)
        try runner.start()
        #expect(waitUntil { !runner.isRunning })
        try runner.close()
        #expect(agent.allowedCPUs.withLock { $0 } == "0")
        #expect(runner.errorCount == 0)
    }

    @Test func pinningToANonexistentCPUIsReportedAndTheAgentStillRuns() throws {
        let agent = RecordingAgent(terminateAt: 10)
        let reported = Mutex<[AgentRunnerError]>([])
        let runner = AgentRunner(agent: agent, idleStrategy: NoOpIdleStrategy(), errorHandler: { error in
            if let e = error as? AgentRunnerError { reported.withLock { $0.append(e) } }
        }, cpu: 1023)
        try runner.start()
        #expect(waitUntil { !runner.isRunning })
        try runner.close()
        #expect(agent.cycles.load(ordering: .acquiring) == 10)
        let errors = reported.withLock { $0 }
        #expect(errors.count == 1)
        if case .pinningFailed(_, let cpu, let errno)? = errors.first {
            #expect(cpu == 1023)
            #expect(errno != 0)
        } else {
            Issue.record("expected pinningFailed, got \(errors)")
        }
    }

    @Test func anAgentCanCloseItsOwnRunner() throws {
        let agent = SelfClosingAgent()
        let runner = AgentRunner(agent: agent, idleStrategy: NoOpIdleStrategy())
        agent.runner.withLock { $0 = runner }
        try runner.start()
        #expect(waitUntil { !runner.isRunning })
        #expect(agent.cycles.load(ordering: .acquiring) == 5)
        #expect(runner.errorCount == 0)
        #expect(!runner.isClosed)  // signalled only: the agent thread cannot join itself
        try runner.close()
        #expect(runner.isClosed)
        agent.runner.withLock { $0 = nil }
    }

    @Test func structAgentsAreReturnedAfterClose() throws {
        let runner = AgentRunner(agent: CountingStructAgent(limit: 500), idleStrategy: NoOpIdleStrategy())
        try runner.start()
        #expect(waitUntil { !runner.isRunning })
        try runner.close()
        #expect(runner.agentIfStopped?.count == 500)
    }
}

/// Blocks in `doWork` until released: a stuck agent.
final class BlockingAgent: Agent, @unchecked Sendable {
    let roleName = "blocking"
    let entered = Atomic<Bool>(false)
    let release = Atomic<Bool>(false)

    func doWork() throws -> Int {
        entered.store(true, ordering: .releasing)
        while !release.load(ordering: .acquiring) { usleep(1_000) }
        return 0
    }
}

/// A value-type agent: its state comes back through `agentIfStopped`.
struct CountingStructAgent: Agent {
    let roleName = "counting-struct"
    let limit: Int
    var count = 0

    mutating func doWork() throws -> Int {
        if count == limit { throw AgentTermination() }
        count += 1
        return 1
    }
}

/// Closes its own runner from inside doWork on its fifth cycle.
final class SelfClosingAgent: Agent, @unchecked Sendable {
    let roleName = "self-closing"
    let cycles = Atomic<Int>(0)
    let runner = Mutex<AgentRunner<SelfClosingAgent, NoOpIdleStrategy>?>(nil)

    func doWork() throws -> Int {
        if cycles.wrappingAdd(1, ordering: .releasing).newValue == 5 {
            let own = runner.withLock { $0 }
            try own?.close(timeout: .seconds(1))
        }
        return 1
    }
}
