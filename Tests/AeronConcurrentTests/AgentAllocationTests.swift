import AeronConcurrent
import MallocCounter
import Synchronization
import Testing

/// Counts the runner thread's heap allocations between two of its own duty cycles, from inside `doWork`, so the
/// count covers everything the runner does per cycle: the running check, the agent call and the idle strategy.
final class AllocationProbeAgent: Agent, @unchecked Sendable {
    let roleName = "alloc-probe"
    let warmupCycles: Int
    let measuredCycles: Int
    /// One cycle in `idlePeriod` reports work; the others report none, so the idle strategy is exercised.
    let idlePeriod: Int
    private var cycle = 0
    private var before: UInt64 = 0
    let allocations = Atomic<Int>(-1)

    init(warmupCycles: Int, measuredCycles: Int, idlePeriod: Int) {
        self.warmupCycles = warmupCycles
        self.measuredCycles = measuredCycles
        self.idlePeriod = idlePeriod
    }

    func doWork() throws -> Int {
        cycle += 1
        if cycle == warmupCycles {
            before = malloc_counter_thread_allocations()
        } else if cycle == warmupCycles + measuredCycles {
            allocations.store(Int(malloc_counter_thread_allocations() - before), ordering: .releasing)
        }
        return cycle % idlePeriod == 0 ? 1 : 0
    }
}

@Suite struct AgentAllocationTests {
    func measure<I: IdleStrategy>(_ idle: I, measuredCycles: Int, idlePeriod: Int) throws -> Int {
        let agent = AllocationProbeAgent(warmupCycles: 1_000, measuredCycles: measuredCycles, idlePeriod: idlePeriod)
        let runner = AgentRunner(agent: agent, idleStrategy: idle)
        try runner.start()
        let done = waitUntil(timeoutSeconds: 60) { agent.allocations.load(ordering: .acquiring) >= 0 }
        try runner.close()
        try #require(done)
        return agent.allocations.load(ordering: .acquiring)
    }

    @Test func busySpinDutyCycleAllocatesNothing() throws {
        #expect(try measure(BusySpinIdleStrategy(), measuredCycles: 100_000, idlePeriod: 2) == 0)
    }

    @Test func shortSpinDutyCycleAllocatesNothing() throws {
        #expect(try measure(ShortSpinIdleStrategy(), measuredCycles: 100_000, idlePeriod: 2) == 0)
    }

    @Test func backoffDutyCycleThroughEveryStageAllocatesNothing() throws {
        // 7 idle cycles in 8 walk through 2 spins, 2 yields and 3 short parks before the work resets the backoff.
        let idle = BackoffIdleStrategy(maxSpins: 2, maxYields: 2, minParkPeriodNs: 1, maxParkPeriodNs: 1_000)
        #expect(try measure(idle, measuredCycles: 8_000, idlePeriod: 8) == 0)
    }

    @Test func sleepingAndYieldingDutyCyclesAllocateNothing() throws {
        #expect(try measure(YieldingIdleStrategy(), measuredCycles: 10_000, idlePeriod: 2) == 0)
        #expect(try measure(SleepingIdleStrategy(sleepPeriodNs: 1_000), measuredCycles: 1_000, idlePeriod: 2) == 0)
    }

    @Test func probeCountsAllocationsThatDoHappen() throws {
        // The probe itself can see allocations: otherwise the zero results above would prove nothing.
        final class AllocatingAgent: Agent, @unchecked Sendable {
            let roleName = "allocating"
            var cycle = 0
            var before: UInt64 = 0
            var keep: [Int] = []
            let allocations = Atomic<Int>(-1)
            func doWork() throws -> Int {
                cycle += 1
                if cycle == 10 { before = malloc_counter_thread_allocations() }
                if cycle > 10 && cycle <= 20 { keep = Array(repeating: cycle, count: 16) }
                if cycle == 21 { allocations.store(Int(malloc_counter_thread_allocations() - before), ordering: .releasing) }
                return 1
            }
        }
        let agent = AllocatingAgent()
        let runner = AgentRunner(agent: agent, idleStrategy: NoOpIdleStrategy())
        try runner.start()
        let done = waitUntil { agent.allocations.load(ordering: .acquiring) >= 0 }
        try runner.close()
        try #require(done)
        #expect(agent.allocations.load(ordering: .acquiring) >= 10)
    }
}
