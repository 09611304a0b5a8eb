#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Testing
import MallocCounter
import AeronClient
import AeronDriver
import TensorPoolCore
@testable import TensorPool

/// The producer's and consumer's periodic duty-cycle paths alone (no frames), with cadences of a few
/// milliseconds so that each one fires hundreds of times: announce / DataSourceAnnounce / DataSourceMeta (with a
/// name, a summary and attributes), QoS, heartbeat, hello, consumer expiry scan, activity refresh, superblock
/// checks, liveness ticks, counters refresh. Only `producer.doWork` and `consumer.doWork` are counted.
@Suite struct PeriodicPathsAllocationTests {
    @Test func periodicPathsOfProducerAndConsumerDutyCyclesAllocateNothing() throws {
        let system = try OneThreadAeronFixture("periodic")
        let (driver, aeron, shmRoot, endpoint) = (system.driver, system.aeron, system.shmRoot, system.endpoint)

        var producerConfig = ProducerConfiguration(user: "periodic")
        producerConfig.shmRootDir = shmRoot
        producerConfig.headerNslots = 64
        producerConfig.payloadPools = [.init(poolId: 1, strideBytes: 4096), .init(poolId: 2, strideBytes: 65536)]
        producerConfig.aeron = endpoint
        producerConfig.name = "periodic-paths-test-source"
        producerConfig.announceIntervalMs = 2
        producerConfig.qosIntervalMs = 1
        producerConfig.heartbeatIntervalMs = 1
        producerConfig.consumerHelloIntervalMs = 1
        producerConfig.consumerExpiryMultiple = 1_000
        var producerOptions = system.producerOptions
        producerOptions.summary = "a summary longer than any inline small string"
        producerOptions.countersIntervalNs = 1_000_000
        var consumerConfig = ConsumerConfiguration(user: "periodic")
        consumerConfig.consumerId = 78
        consumerConfig.aeron = endpoint
        consumerConfig.helloIntervalMs = 1
        consumerConfig.qosIntervalMs = 1
        consumerConfig.announceIntervalMs = 20
        // Liveness ticks still run every 20 ms, but a producer counts as stale only after 2 s without activity
        // (not 3 x 20 ms): the liveness tick runs before the superblock check, so any 60 ms gap between two duty
        // cycles of this thread (descheduled on a loaded 2-core machine) retired the mapping mid-measurement
        // ("activity timestamp stale"), and the remap attempts then allocated.
        consumerConfig.livenessMultiple = 100
        var consumerOptions = system.consumerOptions
        consumerOptions.countersIntervalNs = 1_000_000

        let producer: TensorPoolProducer
        let consumer: TensorPoolConsumer<CountingHandler>
        do {
            (producer, consumer) = try system.setUpRoles {
                (try TensorPoolProducer(configuration: producerConfig, aeron: aeron, options: producerOptions),
                 try TensorPoolConsumer(configuration: consumerConfig, aeron: aeron, handler: CountingHandler(),
                                        options: consumerOptions))
            }
        } catch {
            system.close()
            throw error
        }
        defer { system.close { consumer.close(); producer.close() } }
        producer.setMetadata([MetaAttribute(key: "camera", text: "left wide-angle camera, 1920x1080"),
                              MetaAttribute(key: "units", format: "application/octet-stream", value: [1, 2, 3, 4])],
                             nowNs: TensorPoolClock.monotonicNs())

        var producerAllocations = 0
        var consumerAllocations = 0
        func cycle() throws {
            let now = TensorPoolClock.monotonicNs()
            driver.doWork(nowNs: Int64(now))
            aeron.doWork(nowNs: Int64(now))
            let m0 = malloc_counter_thread_allocations()
            _ = try producer.doWork(nowNs: now)
            let m1 = malloc_counter_thread_allocations()
            _ = try consumer.doWork(nowNs: now)
            let m2 = malloc_counter_thread_allocations()
            producerAllocations += Int(m1 - m0)
            consumerAllocations += Int(m2 - m1)
        }
        func run(forNs duration: UInt64) throws {
            let end = TensorPoolClock.monotonicNs() + duration
            while TensorPoolClock.monotonicNs() < end { try cycle() }
        }

        let deadline = TensorPoolClock.monotonicNs() + 30_000_000_000
        while consumer.mappedEpoch != producer.epoch && TensorPoolClock.monotonicNs() < deadline { try cycle() }
        try #require(consumer.mappedEpoch == producer.epoch, "consumer did not map the producer's epoch")
        try run(forNs: 500_000_000)

        let announcesBefore = producer.statistics[.announcesSent]
        let qosBefore = consumer.statistics[.qosSent]
        producerAllocations = 0
        consumerAllocations = 0
        try run(forNs: 2_000_000_000)
        let announces = producer.statistics[.announcesSent] - announcesBefore
        let consumerQos = consumer.statistics[.qosSent] - qosBefore
        #expect(announces >= 100, "only \(announces) announces: the periodic paths were not exercised")
        #expect(consumerQos >= 100, "only \(consumerQos) consumer QoS: the periodic paths were not exercised")
        #expect(consumer.mappedEpoch == producer.epoch, "consumer lost its mapping")
        #expect(producerAllocations == 0, "producer doWork: \(producerAllocations) allocations over \(announces) announces")
        #expect(consumerAllocations == 0, "consumer doWork: \(consumerAllocations) allocations over \(consumerQos) QoS")
    }
}
