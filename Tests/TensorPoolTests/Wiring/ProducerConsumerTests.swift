import Testing
import AeronClient
import TensorPoolCore
@testable import TensorPool

/// In-process producer + consumers on the embedded Swift driver, driven from the test thread.
@Suite struct ProducerConsumerTests {
    static let layout = TensorLayout(dtype: .float32, shape: [16, 32])

    /// Publishes synthetic frames of `layout` (copy path).
    static func publish(_ producer: TensorPoolProducer, count: Int, layout: TensorLayout = layout, nowNs: UInt64) {
        let size = layout.contiguousByteCount
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
        defer { buffer.deallocate() }
        for _ in 0..<count {
            SyntheticFramePattern.fill(buffer, count: size, epoch: producer.epoch, seq: producer.nextSeq)
            _ = producer.publish(UnsafeRawBufferPointer(buffer), layout: layout, timestampNs: nowNs, nowNs: nowNs)
        }
    }

    /// Pumps producer and consumers until every consumer has mapped the producer's epoch.
    static func connect(_ env: WiringTestEnvironment, _ producer: TensorPoolProducer,
                        _ consumers: [any TensorPoolAgent & AnyObject], mappedEpochs: () -> [UInt64?]) throws {
        let ok = try env.pump(until: { mappedEpochs().allSatisfy { $0 == producer.epoch } && producer.consumerIds.count == consumers.count }) { now in
            _ = try producer.doWork(nowNs: now)
            for c in consumers { var agent = c; _ = try agent.doWork(nowNs: now) }
        }
        #expect(ok, "consumers did not map epoch \(producer.epoch); log: \(env.logLines.lines.suffix(10))")
    }

    @Test func streamAndLatestConsumersVerifyEveryAcceptedFrame() throws {
        let env = try WiringTestEnvironment("stream-latest")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(), aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        let stream = try TensorPoolConsumer(configuration: env.consumerConfiguration(consumerId: 11), aeron: env.aeron,
                                            handler: VerifyingHandler(), options: env.consumerOptions)
        let latest = try TensorPoolConsumer(configuration: env.consumerConfiguration(consumerId: 12, mode: .latest),
                                            aeron: env.aeron, handler: VerifyingHandler(), options: env.consumerOptions)
        try Self.connect(env, producer, [stream, latest]) { [stream.mappedEpoch, latest.mappedEpoch] }

        // 20 batches of 8 frames; between batches each consumer polls once.
        for _ in 0..<20 {
            let now = TensorPoolClock.monotonicNs()
            Self.publish(producer, count: 8, nowNs: now)
            _ = try producer.doWork(nowNs: now)
            var rounds = 0
            while (stream.handler.accepted.last ?? 0) < producer.nextSeq - 1 && rounds < 10_000 {
                _ = try stream.doWork(nowNs: TensorPoolClock.monotonicNs())
                rounds += 1
            }
            _ = try latest.doWork(nowNs: TensorPoolClock.monotonicNs())
        }
        env.pump(until: { latest.frameCounters.descriptorsSeen >= 160 }) { now in _ = try? latest.doWork(nowNs: now) }

        #expect(stream.handler.accepted == Array(0..<160))
        #expect(stream.handler.corrupt.isEmpty && latest.handler.corrupt.isEmpty)
        #expect(producer.statistics[.framesPublished] == 160)
        // LATEST reads only the newest descriptor of each poll: far fewer than 160, each a verified frame.
        #expect(latest.handler.accepted.count >= 1 && latest.handler.accepted.count < 160)
        #expect(latest.handler.accepted.contains(159))
        #expect(latest.frameCounters.latestSuperseded + UInt64(latest.handler.accepted.count) == 160)

        // The same figures as Aeron counters (refreshed at their cadence; forced here).
        producer.refreshCounters()
        stream.refreshCounters()
        latest.refreshCounters()
        #expect(producer.counters?.value(.framesPublished) == 160)
        #expect(producer.counters?.value(.epoch) == Int64(bitPattern: producer.epoch))
        #expect(stream.counters?.value(.framesAccepted) == 160)
        #expect(stream.counters?.value(.bytesAccepted) == Int64(160 * 2048))
        #expect(latest.counters?.value(.dropsLatestSuperseded) == Int64(latest.frameCounters.latestSuperseded))
        #expect(latest.counters?.value(.mode) == 2)
    }
}
