#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Testing
import AeronClient
import TensorPoolCore
@testable import TensorPool

/// Source producer → decimator (DECIMATED N) → consumer of the target stream, all driven from the test thread
/// on the embedded driver.
@Suite struct DecimatorTests {
    static let layout = TensorLayout(dtype: .float32, shape: [16, 16])

    /// The three roles of a decimation chain and their duty cycle.
    final class Chain: RoleChain {
        let env: WiringTestEnvironment
        var source: TensorPoolProducer
        let decimator: TensorPoolDecimator
        let consumer: TensorPoolConsumer<RepublishedFrameRecorder>
        let buffer: UnsafeMutableRawBufferPointer

        init(_ name: String, decimation: UInt16) throws {
            env = try WiringTestEnvironment(name)
            source = try TensorPoolProducer(configuration: env.producerConfiguration(streamId: 1), aeron: env.aeron,
                                            options: env.producerOptions)
            var options = DecimatorOptions(source: env.consumerOptions, target: env.producerOptions)
            options.forwardMetadata = true
            decimator = try TensorPoolDecimator(
                source: env.consumerConfiguration(streamId: 1, consumerId: 10, mode: .decimated, decimation: decimation),
                target: env.producerConfiguration(streamId: 2), aeron: env.aeron, options: options)
            consumer = try TensorPoolConsumer(configuration: env.consumerConfiguration(streamId: 2, consumerId: 20),
                                              aeron: env.aeron, handler: RepublishedFrameRecorder(sourceEpochs: [source.epoch]),
                                              options: env.consumerOptions)
            buffer = .allocate(byteCount: DecimatorTests.layout.contiguousByteCount, alignment: 64)
        }

        deinit {
            consumer.close()
            decimator.close()
            source.close()
            buffer.deallocate()
            env.close()
        }

        func cycle(_ now: UInt64) throws {
            _ = try source.doWork(nowNs: now)
            _ = try decimator.doWork(nowNs: now)
            _ = try consumer.doWork(nowNs: now)
        }

        /// Both links mapped: the decimator maps the source's epoch, the consumer the target's.
        func connect() throws {
            let ok = try pump {
                decimator.source.mappedEpoch == source.epoch && consumer.mappedEpoch == decimator.target.epoch
            }
            try #require(ok, "chain not mapped: decimator \(String(describing: decimator.source.mappedEpoch)) consumer \(String(describing: consumer.mappedEpoch))")
        }

        /// Publishes `count` synthetic source frames, each one seen by the decimator before the next.
        func publish(_ count: Int) throws {
            let size = DecimatorTests.layout.contiguousByteCount
            for _ in 0..<count {
                let seen = decimator.source.frameCounters.descriptorsSeen
                let now = TensorPoolClock.monotonicNs()
                SyntheticFramePattern.fill(buffer, count: size, epoch: source.epoch, seq: source.nextSeq)
                let result = source.publish(UnsafeRawBufferPointer(buffer), layout: DecimatorTests.layout, timestampNs: now, nowNs: now)
                guard case .published = result else {
                    Issue.record("source publish: \(result)")
                    return
                }
                try #require(try pump { decimator.source.frameCounters.descriptorsSeen == seen + 1 })
            }
        }
    }

    @Test func everyFourthSourceFrameIsRepublishedIntactWithLayoutAndMetadata() throws {
        let chain = try Chain("decim-n4", decimation: 4)
        try chain.connect()
        chain.source.setMetadata([MetaAttribute(key: "camera", text: "left")], nowNs: TensorPoolClock.monotonicNs())
        try #require(try chain.pump { chain.decimator.target.metaVersion == 1 }, "source metadata never forwarded")
        try chain.publish(40)
        try #require(try chain.pump { chain.consumer.handler.records.count >= 10 })
        try chain.pump(timeoutS: 0.2) { false }

        let records = chain.consumer.handler.records
        #expect(records.count == 10)
        #expect(records.allSatisfy { $0.intactPattern }, "payload differs from the source frame")
        #expect(chain.consumer.handler.sourceSeqs == Array(stride(from: 0, to: 40, by: 4)))
        #expect(records.map(\.seq) == Array(0..<10), "target numbers its own frames")
        #expect(records.allSatisfy { $0.epoch == chain.decimator.target.epoch && $0.epoch != chain.source.epoch })
        #expect(records.allSatisfy { $0.shape == [16, 16] && $0.byteCount == 1024 && $0.metaVersion == 1 })
        let s = chain.decimator.statistics
        #expect(s[.republished] == 10)
        #expect(s[.bytesRepublished] == 10 * 1024)
        #expect(s[.aborted] == 0)
        #expect(s[.sourceDrops] == 0)
        #expect(s[.targetRejected] == 0)
        #expect(s[.metadataForwarded] == 1)
        #expect(chain.decimator.source.frameCounters.decimated == 30)
    }

    @Test func sourceRestartWithANewEpochKeepsTheDecimatorRepublishing() throws {
        let chain = try Chain("decim-restart", decimation: 4)
        try chain.connect()
        let firstEpoch = chain.source.epoch
        try chain.publish(20)
        try #require(try chain.pump { chain.consumer.handler.records.count >= 5 })

        chain.source.close()
        chain.source = try TensorPoolProducer(configuration: chain.env.producerConfiguration(streamId: 1),
                                              aeron: chain.env.aeron, options: chain.env.producerOptions)
        let secondEpoch = chain.source.epoch
        #expect(secondEpoch != firstEpoch)
        chain.consumer.handler.sourceEpochs.append(secondEpoch)
        try #require(try chain.pump { chain.decimator.source.mappedEpoch == secondEpoch }, "decimator never remapped")
        try chain.publish(20)
        try #require(try chain.pump { chain.consumer.handler.records.count >= 10 })
        try chain.pump(timeoutS: 0.2) { false }

        let records = chain.consumer.handler.records
        #expect(records.count == 10)
        #expect(records.allSatisfy { $0.intactPattern })
        #expect(records.prefix(5).allSatisfy { $0.sourceEpoch == firstEpoch })
        #expect(records.suffix(5).allSatisfy { $0.sourceEpoch == secondEpoch })
        #expect(chain.consumer.handler.sourceSeqs == [0, 4, 8, 12, 16, 0, 4, 8, 12, 16])
        // The target keeps its epoch and its numbering across the source restart.
        #expect(records.map(\.seq) == Array(0..<10))
        #expect(Set(records.map(\.epoch)) == [chain.decimator.target.epoch])
        #expect(chain.consumer.statistics[.maps] == 1)
        #expect(chain.decimator.source.statistics[.maps] == 2)
        #expect(chain.decimator.statistics[.aborted] == 0)
    }

    @Test func tornSourceReadAbortsTheTargetClaimAndIsNeverPublished() throws {
        let env = try WiringTestEnvironment("decim-torn")
        defer { env.close() }
        let target = try TensorPoolProducer(configuration: env.producerConfiguration(streamId: 2), aeron: env.aeron,
                                            options: env.producerOptions)
        defer { target.close() }
        let statistics = DecimatorStatistics()
        var forwarder = DecimatorForwarder(target: target, statistics: statistics)
        let size = 256
        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
        defer { bytes.deallocate() }
        let layout = TensorLayout(dtype: .uint8, shape: [16, 16])
        var header = layout.header(valuesLength: size, timestampNs: 123, metaVersion: 0)

        // Source frame 7, torn during the copy: the claim is aborted and nothing is committed.
        SyntheticFramePattern.fill(bytes, count: size, epoch: 99, seq: 7)
        header.frameId = 7
        forwarder.onFrame(TensorFrame(epoch: 99, seq: 7, header: header, nowNs: 1, payload: UnsafeRawBufferPointer(bytes)))
        #expect(target.claimsInFlight == 1)
        forwarder.onFrameCompleted(seq: 7, intact: false)
        #expect(target.claimsInFlight == 0)
        #expect(statistics[.aborted] == 1)
        #expect(statistics[.republished] == 0)
        #expect(target.statistics[.claimsAborted] == 1)
        #expect(target.statistics[.framesPublished] == 0 && target.statistics[.descriptorOfferFailures] == 0)

        // Source frame 8, intact: committed as the target's next seq (seq 0 stays a gap).
        SyntheticFramePattern.fill(bytes, count: size, epoch: 99, seq: 8)
        header.frameId = 8
        forwarder.onFrame(TensorFrame(epoch: 99, seq: 8, header: header, nowNs: 2, payload: UnsafeRawBufferPointer(bytes)))
        forwarder.onFrameCompleted(seq: 8, intact: true)
        #expect(target.claimsInFlight == 0)
        #expect(statistics[.republished] + statistics[.descriptorFailures] == 1)
        #expect(target.nextSeq == 2)

        // The committed slot holds frame 8's bytes; the aborted slot 0 is still WRITING.
        let reader = try SeqlockReader(headerRing: target.regions.headerRing, pools: target.regions.pools)
        let content = reader.withFrame(seq: 1, headerIndex: 1) { header, payload in
            (header.timestampNs, SyntheticFramePattern.matches(payload.withUnsafeBytes { UnsafeRawBufferPointer($0) }, epoch: 99, seq: 8))
        }
        guard case .accepted(let (timestamp, matches)) = content else {
            Issue.record("target slot 1 not readable: \(content)")
            return
        }
        #expect(timestamp == 123 && matches)
        guard case .dropped = reader.withFrame(seq: 0, headerIndex: 0, { _, _ in 0 }) else {
            Issue.record("aborted target slot 0 readable")
            return
        }
    }

    @Test func targetStreamEqualToSourceIsRefused() throws {
        let env = try WiringTestEnvironment("decim-loop")
        defer { env.close() }
        #expect(throws: DecimatorError.self) {
            _ = try TensorPoolDecimator(source: env.consumerConfiguration(streamId: 3, consumerId: 1),
                                        target: env.producerConfiguration(streamId: 3), aeron: env.aeron)
        }
    }
}
