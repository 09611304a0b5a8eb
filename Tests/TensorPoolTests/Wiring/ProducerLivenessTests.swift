#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Testing
import TensorPoolCore
@testable import TensorPool

/// Stale producer, pid change and superblock mismatch: the consumer unmaps and waits for a new epoch.
@Suite struct ProducerLivenessTests {
    static func fastConsumer(
        _ env: WiringTestEnvironment, id: UInt32, livenessMultiple: UInt32 = 3
    ) throws -> TensorPoolConsumer<VerifyingHandler> {
        var config = env.consumerConfiguration(consumerId: id)
        config.announceIntervalMs = 100
        config.livenessMultiple = livenessMultiple
        return try TensorPoolConsumer(configuration: config, aeron: env.aeron, handler: VerifyingHandler(), options: env.consumerOptions)
    }

    static func fastProducer(_ env: WiringTestEnvironment) throws -> TensorPoolProducer {
        var config = env.producerConfiguration()
        config.announceIntervalMs = 100
        return try TensorPoolProducer(configuration: config, aeron: env.aeron, options: env.producerOptions)
    }

    @Test func staleProducerIsUnmappedAndItsEpochIsNotRemapped() throws {
        let env = try WiringTestEnvironment("stale")
        defer { env.close() }
        let first = try Self.fastProducer(env)
        let consumer = try Self.fastConsumer(env, id: 81)
        defer { consumer.close() }
        try ProducerConsumerTests.connect(env, first, [consumer]) { [consumer.mappedEpoch] }
        let epoch = first.epoch
        // The producer stops (no announce, no activity refresh): after 3 cadences the consumer unmaps.
        let unmapped = try env.pump(until: { consumer.mappedEpoch == nil }) { now in _ = try consumer.doWork(nowNs: now) }
        #expect(unmapped)
        #expect(consumer.coordinator.mapping.lastRemapCause == .announceStale || consumer.coordinator.mapping.lastRemapCause == .activityStale)
        // It comes back with the same epoch: the retired epoch is not mapped again.
        let deadline = TensorPoolClock.monotonicNs() + 400_000_000
        while TensorPoolClock.monotonicNs() < deadline {
            let now = TensorPoolClock.monotonicNs()
            _ = try first.doWork(nowNs: now)
            _ = try consumer.doWork(nowNs: now)
            usleep(200)
        }
        #expect(consumer.mappedEpoch == nil)
        first.close()
        // A restarted producer has a new, greater epoch: mapped, frames flow again.
        let second = try Self.fastProducer(env)
        defer { second.close() }
        #expect(second.epoch > epoch)
        try ProducerConsumerTests.connect(env, second, [consumer]) { [consumer.mappedEpoch] }
        ProducerConsumerTests.publish(second, count: 3, nowNs: TensorPoolClock.monotonicNs())
        try env.pump(until: { consumer.handler.accepted.count == 3 }) { now in _ = try consumer.doWork(nowNs: now) }
        #expect(consumer.handler.accepted == [0, 1, 2])
        #expect(consumer.handler.corrupt.isEmpty)
    }

    @Test(arguments: ["pid", "nslots"])
    func superblockChangeUnmapsAndWaitsForANewEpoch(field: String) throws {
        let env = try WiringTestEnvironment("superblock-\(field)")
        defer { env.close() }
        let producer = try Self.fastProducer(env)
        defer { producer.close() }
        // Only the superblock change may unmap here: with a 300 ms liveness window, one 300 ms stall of this thread
        // on a loaded machine retired the mapping as "activity timestamp stale" before the change was made.
        let consumer = try Self.fastConsumer(env, id: 82, livenessMultiple: 50)
        defer { consumer.close() }
        try ProducerConsumerTests.connect(env, producer, [consumer]) { [consumer.mappedEpoch] }
        // Let the consumer record the superblock pid once.
        try env.pump(timeoutS: 1, until: { false }) { now in _ = try producer.doWork(nowNs: now); _ = try consumer.doWork(nowNs: now) }
        #expect(consumer.mappedEpoch == producer.epoch)
        let ring = producer.regions.headerRing.buffer
        if field == "pid" {
            ring.setUInt64(ring.uint64(at: RegionLayout.Superblock.pid) + 1, at: RegionLayout.Superblock.pid)
        } else {
            ring.setUInt32(ring.uint32(at: RegionLayout.Superblock.nslots) * 2, at: RegionLayout.Superblock.nslots)
        }
        let unmapped = try env.pump(until: { consumer.mappedEpoch == nil }) { now in
            _ = try producer.doWork(nowNs: now)
            _ = try consumer.doWork(nowNs: now)
        }
        #expect(unmapped)
        if field == "pid" {
            #expect(consumer.coordinator.mapping.lastRemapCause == .pidChanged)
        } else if case .superblockMismatch = consumer.coordinator.mapping.lastRemapCause {
        } else {
            Issue.record("unexpected cause \(String(describing: consumer.coordinator.mapping.lastRemapCause))")
        }
        // Announces of the same epoch keep coming: not remapped.
        try env.pump(timeoutS: 0.3, until: { false }) { now in _ = try producer.doWork(nowNs: now); _ = try consumer.doWork(nowNs: now) }
        #expect(consumer.mappedEpoch == nil)
        #expect(consumer.statistics[.unmaps] == 1)
    }
}
