import Testing
import AeronInteropSupport
import TensorPoolCore
@testable import TensorPool

/// The end-to-end producer + STREAM/LATEST consumers test against the real Aeron C 1.53 media driver (pyaeron
/// wheel) instead of the embedded Swift driver. Fails (does not skip) when the C library is missing: run
/// scripts/install-test-deps.sh.
@Suite struct RealCDriverTests {
    @Test func producerAndConsumersVerifyEveryFrameOnTheRealCDriver() throws {
        var options = RealAeronMediaDriver.Options()
        options.termLength = 1 << 22
        let cDriver = try RealAeronMediaDriver(options: options)
        defer { _ = try? cDriver.stop() }
        let env = try WiringTestEnvironment("real-c", externalAeronDir: cDriver.path)
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(), aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        let stream = try TensorPoolConsumer(configuration: env.consumerConfiguration(consumerId: 61), aeron: env.aeron,
                                            handler: VerifyingHandler(), options: env.consumerOptions)
        let latest = try TensorPoolConsumer(configuration: env.consumerConfiguration(consumerId: 62, mode: .latest),
                                            aeron: env.aeron, handler: VerifyingHandler(), options: env.consumerOptions)
        try ProducerConsumerTests.connect(env, producer, [stream, latest]) { [stream.mappedEpoch, latest.mappedEpoch] }
        for _ in 0..<10 {
            let now = TensorPoolClock.monotonicNs()
            ProducerConsumerTests.publish(producer, count: 10, nowNs: now)
            let target = producer.nextSeq
            try env.pump(until: { stream.frameCounters.descriptorsSeen >= target }) { now in
                _ = try stream.doWork(nowNs: now)
            }
            _ = try latest.doWork(nowNs: TensorPoolClock.monotonicNs())
        }
        env.pump(until: { latest.frameCounters.descriptorsSeen >= 100 }) { now in _ = try? latest.doWork(nowNs: now) }
        #expect(producer.statistics[.framesPublished] == 100)
        #expect(stream.handler.accepted == Array(0..<100))
        #expect(stream.handler.corrupt.isEmpty && latest.handler.corrupt.isEmpty)
        #expect(latest.handler.accepted.contains(99))
        #expect(latest.handler.accepted.count < 100)
    }
}
