#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Synchronization
import Testing
import MallocCounter
import AeronClient
import AeronDriver
import TensorPoolCore
@testable import TensorPool

/// The whole system on ONE thread in invoker mode: media driver duty cycle, Aeron client conductor, producer
/// (copy path and zero-copy claim/commit alternating), consumer poll + read, supervisor duty cycle. After warm-up,
/// 100 000 frames on the real clock (so every cadence — announces, QoS, heartbeats, keepalives, driver timers,
/// counters — fires as in production) allocate nothing on that thread.
@Suite struct AllRolesOneThreadAllocationTests {
    @Test func hundredThousandFramesAllocateNothingOnTheDutyCycleThread() throws {
        let system = try OneThreadAeronFixture("onethread")
        let (driver, aeron, shmRoot) = (system.driver, system.aeron, system.shmRoot)

        let producerConfig = system.producerConfiguration(user: "onethread")
        let consumerConfig = system.consumerConfiguration(user: "onethread", consumerId: 77)
        let (producerOptions, consumerOptions) = (system.producerOptions, system.consumerOptions)
        var supervisorConfig = SupervisorConfiguration(user: "onethread")
        supervisorConfig.aeron = system.endpoint
        supervisorConfig.announceIntervalMs = 100
        supervisorConfig.qosIntervalMs = 100

        let producer: TensorPoolProducer
        let consumer: TensorPoolConsumer<CountingHandler>
        let supervisor: SupervisorAgent
        do {
            (producer, consumer, supervisor) = try system.setUpRoles {
                (try TensorPoolProducer(configuration: producerConfig, aeron: aeron, options: producerOptions),
                 try TensorPoolConsumer(configuration: consumerConfig, aeron: aeron, handler: CountingHandler(),
                                        options: consumerOptions),
                 try SupervisorAgent(aeron: aeron, settings: SupervisorSettings(
                    configuration: supervisorConfig, shmRoot: shmRoot, logSink: .discard)))
            }
        } catch {
            system.close()
            throw error
        }
        defer { system.close { supervisor.onClose(); consumer.close(); producer.close() } }

        let layout = TensorLayout(dtype: .float32, shape: [8, 8])
        let size = layout.contiguousByteCount
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
        defer { buffer.deallocate() }
        var frameIndex = 0
        // Allocations per component (driver, client conductor, producer duty cycle, consumer, supervisor, publish),
        // so a failure names the culprit.
        var byComponent = (driver: 0, client: 0, producer: 0, consumer: 0, supervisor: 0, publish: 0)

        /// One duty cycle of every agent on this thread.
        func cycle() throws {
            let now = TensorPoolClock.monotonicNs()
            let m0 = malloc_counter_thread_allocations()
            driver.doWork(nowNs: Int64(now))
            let m1 = malloc_counter_thread_allocations()
            aeron.doWork(nowNs: Int64(now))
            let m2 = malloc_counter_thread_allocations()
            _ = try producer.doWork(nowNs: now)
            let m3 = malloc_counter_thread_allocations()
            _ = try consumer.doWork(nowNs: now)
            let m4 = malloc_counter_thread_allocations()
            _ = supervisor.doWork(nowNs: now)
            let m5 = malloc_counter_thread_allocations()
            byComponent.driver += Int(m1 - m0)
            byComponent.client += Int(m2 - m1)
            byComponent.producer += Int(m3 - m2)
            byComponent.consumer += Int(m4 - m3)
            byComponent.supervisor += Int(m5 - m4)
        }

        /// Publishes one frame (copy and claim paths alternate) and cycles until the consumer saw its descriptor.
        func frame() throws -> Bool {
            let now = TensorPoolClock.monotonicNs()
            let target = consumer.frameCounters.descriptorsSeen + 1
            frameIndex += 1
            let publishMark = malloc_counter_thread_allocations()
            if frameIndex & 1 == 0 {
                SyntheticFramePattern.fill(buffer, count: size, epoch: producer.epoch, seq: producer.nextSeq)
                let result = producer.publish(UnsafeRawBufferPointer(buffer), layout: layout, timestampNs: now, nowNs: now)
                byComponent.publish += Int(malloc_counter_thread_allocations() - publishMark)
                guard case .published = result else { try cycle(); return false }
            } else {
                guard let claim = producer.claim(byteCount: size, nowNs: now) else { try cycle(); return false }
                SyntheticFramePattern.fill(claim.payload, count: size, epoch: producer.epoch, seq: claim.seq)
                let result = producer.commit(claim, layout: layout, valuesLength: size, timestampNs: now, nowNs: now)
                byComponent.publish += Int(malloc_counter_thread_allocations() - publishMark)
                guard case .published = result else { try cycle(); return false }
            }
            var spins = 0
            while consumer.frameCounters.descriptorsSeen < target && spins < 100_000 {
                try cycle()
                spins += 1
            }
            return spins < 100_000
        }

        // Connect: hello → announce → mapped; the supervisor learns the producer.
        let deadline = TensorPoolClock.monotonicNs() + 30_000_000_000
        while (consumer.mappedEpoch != producer.epoch || supervisor.registry.producers.isEmpty)
            && TensorPoolClock.monotonicNs() < deadline {
            try cycle()
        }
        try #require(consumer.mappedEpoch == producer.epoch, "consumer did not map the producer's epoch")
        try #require(!supervisor.registry.producers.isEmpty, "supervisor never saw the producer")
        // Warm-up: every path (both publish paths, every cadence) taken more than once, and past the client's
        // resource linger: what it lingered while the roles connected is released `resourceLingerNs` (3 s) later, a
        // setup transient that allocated 14 times inside the measurement whenever setup was quick (this test alone).
        let warmupEnd = TensorPoolClock.monotonicNs() + UInt64(system.clientContext.resourceLingerNs) + 500_000_000
        var warmupFrames = 0
        while warmupFrames < 2_000 || TensorPoolClock.monotonicNs() < warmupEnd {
            _ = try frame()
            warmupFrames += 1
        }

        let frames = 100_000
        let publishedBefore = producer.statistics[.framesPublished]
        let deliveredBefore = consumer.handler.delivered
        byComponent = (0, 0, 0, 0, 0, 0)
        let before = malloc_counter_thread_allocations()
        var failures = 0
        for _ in 0..<frames where !(try frame()) { failures += 1 }
        let allocations = malloc_counter_thread_allocations() - before

        // Hard zero for every component (debug build, real clock so every cadence fires): the media driver's duty
        // cycle, the client conductor, the producer's and consumer's duty cycles, the supervisor's, and
        // publish / claim / commit.
        #expect(byComponent.driver == 0, "driver duty cycle: \(byComponent.driver) allocations over \(frames) frames")
        #expect(byComponent.supervisor == 0, "supervisor duty cycle: \(byComponent.supervisor) allocations")
        #expect(byComponent.publish == 0, "publish / claim / commit: \(byComponent.publish) allocations")
        #expect(byComponent.client == 0, "client conductor: \(byComponent.client) allocations over \(frames) frames")
        #expect(byComponent.producer == 0, "producer doWork: \(byComponent.producer) allocations over \(frames) frames")
        #expect(byComponent.consumer == 0, "consumer doWork: \(byComponent.consumer) allocations over \(frames) frames")
        let accounted = byComponent.driver + byComponent.client + byComponent.producer + byComponent.consumer
            + byComponent.supervisor + byComponent.publish
        #expect(Int(allocations) == accounted, "\(allocations) allocations on the thread, \(accounted) attributed: \(byComponent)")
        #expect(failures < frames / 100, "\(failures) frames not published or not seen")
        let published = producer.statistics[.framesPublished] - publishedBefore
        #expect(published >= UInt64(frames - failures))
        #expect(UInt64(consumer.handler.delivered - deliveredBefore) == published)
        #expect(consumer.handler.corrupt == 0)
        #expect(supervisor.registry.producers.count == 1)
    }
}
