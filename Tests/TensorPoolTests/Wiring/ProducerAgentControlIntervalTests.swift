import Testing
import AeronClient
import TensorPoolCore
@testable import TensorPool

/// `ProducerAgent.controlIntervalNs`: the producer's control work (hellos, QoS, announces) runs at most that often;
/// the frame source runs every cycle.
@Suite struct ProducerAgentControlIntervalTests {
    struct CountingSource: ProducerFrameSource {
        var calls = 0
        mutating func produce(_ producer: TensorPoolProducer, nowNs: UInt64) -> Int {
            calls += 1
            return 0
        }
    }

    @Test func helloIsHandledOnlyWhenTheControlWorkIsDue() throws {
        let env = try WiringTestEnvironment("agent-control-interval")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(), aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        let consumer = try TensorPoolConsumer(configuration: env.consumerConfiguration(consumerId: 21), aeron: env.aeron,
                                              handler: VerifyingHandler(), options: env.consumerOptions)
        defer { consumer.close() }
        let interval: UInt64 = 3_600_000_000_000 // an hour of agent time: never due again by itself
        var agent = ProducerAgent(producer: producer, source: CountingSource(), controlIntervalNs: interval)
        let start = TensorPoolClock.monotonicNs()
        _ = try agent.doWork(nowNs: start) // the first cycle always runs the control work

        // The consumer says hello; the agent cycles but its control work is not due: the hello waits.
        var cycles = 0
        try env.pump(timeoutS: 2, until: { false }) { now in
            _ = try consumer.doWork(nowNs: now)
            _ = try agent.doWork(nowNs: start &+ 1_000)
            cycles += 1
        }
        #expect(producer.consumerIds.isEmpty)
        #expect(agent.source.calls == cycles + 1)

        // Due again: the hello is handled.
        var next = start
        let registered = try env.pump(until: { producer.consumerIds == [21] }) { now in
            _ = try consumer.doWork(nowNs: now)
            next &+= interval
            _ = try agent.doWork(nowNs: next)
        }
        #expect(registered, "the producer never registered consumer 21")
    }

    @Test func zeroIntervalRunsTheControlWorkEveryCycleAndABackwardClockIsDue() throws {
        let env = try WiringTestEnvironment("agent-control-zero")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(), aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        let consumer = try TensorPoolConsumer(configuration: env.consumerConfiguration(consumerId: 22), aeron: env.aeron,
                                              handler: VerifyingHandler(), options: env.consumerOptions)
        defer { consumer.close() }
        var everyCycle = ProducerAgent(producer: producer, source: CountingSource())
        let registered = try env.pump(until: { producer.consumerIds == [22] }) { now in
            _ = try consumer.doWork(nowNs: now)
            _ = try everyCycle.doWork(nowNs: 5) // the same instant every cycle: still runs with interval 0
        }
        #expect(registered)

        #expect(everyCycle.lastControlNs == 5)
        var backwards = ProducerAgent(producer: producer, source: CountingSource(), controlIntervalNs: 1_000_000_000)
        #expect(backwards.lastControlNs == nil)
        _ = try backwards.doWork(nowNs: 10_000_000_000)
        #expect(backwards.lastControlNs == 10_000_000_000)
        _ = try backwards.doWork(nowNs: 10_000_000_001)   // not due
        #expect(backwards.lastControlNs == 10_000_000_000)
        _ = try backwards.doWork(nowNs: 11_000_000_000)   // due
        #expect(backwards.lastControlNs == 11_000_000_000)
        _ = try backwards.doWork(nowNs: 1)                // the clock went backwards: due
        #expect(backwards.lastControlNs == 1)
        #expect(backwards.source.calls == 4)
    }
}
