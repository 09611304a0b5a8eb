import AeronConcurrent
import Testing

@Suite struct AgentCompositeTests {
    @Test func runsBothAgentsInOrderAndSumsTheirWork() throws {
        let a = RecordingAgent(roleName: "a", workPerCycle: 1)
        let b = RecordingAgent(roleName: "b", workPerCycle: 2)
        let c = RecordingAgent(roleName: "c", workPerCycle: 4)
        var composite = CompositeAgent(a, CompositeAgent(b, c))
        #expect(composite.roleName == "[a,[b,c]]")
        try composite.onStart()
        #expect(try composite.doWork() == 7)
        composite.onClose()
        for agent in [a, b, c] {
            #expect(agent.starts.load(ordering: .acquiring) == 1)
            #expect(agent.cycles.load(ordering: .acquiring) == 1)
            #expect(agent.closes.load(ordering: .acquiring) == 1)
        }
    }

    @Test func aFailingAgentDoesNotStarveTheOther() {
        let failing = RecordingAgent(roleName: "failing", failEvery: 1)
        let healthy = RecordingAgent(roleName: "healthy")
        var composite = CompositeAgent(failing, healthy)
        #expect(throws: AgentTestError(cycle: 1)) { try composite.doWork() }
        #expect(healthy.cycles.load(ordering: .acquiring) == 1)
    }

    @Test func terminationTakesPrecedenceOverOtherErrors() {
        var composite = CompositeAgent(RecordingAgent(failEvery: 1), RecordingAgent(terminateAt: 1))
        #expect(throws: AgentTermination.self) { try composite.doWork() }
    }

    @Test func composedAgentsRunOnOneRunner() throws {
        let a = RecordingAgent(roleName: "a")
        let b = RecordingAgent(roleName: "b")
        let runner = AgentRunner(agent: CompositeAgent(a, b), idleStrategy: BusySpinIdleStrategy())
        try runner.start()
        #expect(waitUntil { b.cycles.load(ordering: .acquiring) >= 1_000 })
        try runner.close()
        #expect(a.threadName.withLock { $0 } == "[a,b]")
        let difference = a.cycles.load(ordering: .acquiring) - b.cycles.load(ordering: .acquiring)
        #expect(difference == 0)
    }
}
