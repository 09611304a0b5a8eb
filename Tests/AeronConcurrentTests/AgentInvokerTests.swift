import AeronConcurrent
import Testing

@Suite struct AgentInvokerTests {
    @Test func invokeRunsOneDutyCycleOnTheCallersThread() {
        let agent = RecordingAgent(workPerCycle: 3)
        let invoker = AgentInvoker(agent: agent)
        #expect(invoker.invoke() == 0)  // not started yet
        #expect(agent.cycles.load(ordering: .acquiring) == 0)
        invoker.start()
        invoker.start()
        #expect(agent.starts.load(ordering: .acquiring) == 1)
        #expect(invoker.invoke() == 3)
        #expect(invoker.invoke() == 3)
        #expect(agent.cycles.load(ordering: .acquiring) == 2)
        invoker.close()
        invoker.close()
        #expect(agent.closes.load(ordering: .acquiring) == 1)
        #expect(invoker.invoke() == 0)
        #expect(agent.cycles.load(ordering: .acquiring) == 2)
    }

    @Test func errorsAreCountedAndHandled() {
        var seen: [Int] = []
        let invoker = AgentInvoker(agent: RecordingAgent(failEvery: 2)) { error in
            if let e = error as? AgentTestError { seen.append(e.cycle) }
        }
        invoker.start()
        let results = (0..<6).map { _ in invoker.invoke() }
        #expect(results == [1, 0, 1, 0, 1, 0])
        #expect(invoker.errorCount == 3)
        #expect(seen == [2, 4, 6])
        #expect(!invoker.isClosed)
    }

    @Test func terminationClosesTheAgent() {
        let agent = RecordingAgent(terminateAt: 3)
        let invoker = AgentInvoker(agent: agent)
        invoker.start()
        #expect([invoker.invoke(), invoker.invoke(), invoker.invoke(), invoker.invoke()] == [1, 1, 0, 0])
        #expect(invoker.isClosed)
        #expect(invoker.errorCount == 0)
        #expect(agent.closes.load(ordering: .acquiring) == 1)
    }

    @Test func failedStartClosesTheAgent() {
        let agent = RecordingAgent(failOnStart: true)
        let invoker = AgentInvoker(agent: agent)
        invoker.start()
        #expect(invoker.isClosed)
        #expect(invoker.errorCount == 1)
        #expect(invoker.invoke() == 0)
        #expect(agent.closes.load(ordering: .acquiring) == 1)
    }

    @Test func structAgentStateIsVisibleThroughTheInvoker() {
        let invoker = AgentInvoker(agent: CountingStructAgent(limit: 2))
        invoker.start()
        invoker.invoke()
        #expect(invoker.agent.count == 1)
    }
}
