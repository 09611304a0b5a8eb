#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Testing
import AeronClient
import SBE
import TensorPoolCore
@testable import TensorPool

@Suite struct ProgressAndHostileTests {
    @Test func progressFollowsTheAggregatedThrottlingPolicy() throws {
        let env = try WiringTestEnvironment("progress")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(), aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        let consumer = try ProducerConsumerModeTests.makeConsumer(env, id: 41, progress: (interval: 100, bytes: 4096))
        try ProducerConsumerTests.connect(env, producer, [consumer]) { [consumer.mappedEpoch] }
        #expect(producer.progressWanted)
        #expect(producer.progressPolicy == ProgressPolicy(intervalNs: 100_000, bytesDelta: 4096, rowsDelta: 0))

        let layout = TensorLayout(dtype: .uint8, shape: [32768])
        let t = TensorPoolClock.monotonicNs()
        let claim = try #require(producer.claim(byteCount: 32768, nowNs: t))                // STARTED
        producer.reportProgress(claim, bytesFilled: 8192, nowNs: t + 10_000)                // interval not elapsed
        producer.reportProgress(claim, bytesFilled: 8192, nowNs: t + 200_000)               // PROGRESS 8192
        producer.reportProgress(claim, bytesFilled: 10_000, nowNs: t + 250_000)             // interval not elapsed
        producer.reportProgress(claim, bytesFilled: 10_000, nowNs: t + 400_000)             // delta 1808 < 4096
        producer.reportProgress(claim, bytesFilled: 20_000, nowNs: t + 500_000)             // PROGRESS 20000
        SyntheticFramePattern.fill(claim.payload, count: 32768, epoch: producer.epoch, seq: claim.seq)
        #expect(producer.commit(claim, layout: layout, valuesLength: 32768, timestampNs: t, nowNs: t + 600_000) == .published(seq: 0))  // COMPLETE
        #expect(producer.statistics[.progressSent] == 4)

        let received = try env.pump(until: { consumer.handler.accepted == [0] && consumer.handler.progress.count == 4 }) { now in
            _ = try consumer.doWork(nowNs: now)
        }
        #expect(received)
        #expect(consumer.handler.progress.map(\.state) == [.started, .progress, .progress, .complete])
        #expect(consumer.handler.progress.map(\.payloadBytesFilled) == [0, 8192, 20_000, 32768])
        #expect(consumer.handler.progress.allSatisfy { $0.frameId == 0 && $0.epoch == producer.epoch })

        // The consumer goes silent: once it expires the policy falls back to the defaults and no progress is sent.
        for _ in 0..<50 { _ = try producer.doWork(nowNs: TensorPoolClock.monotonicNs()); usleep(200) }
        _ = try producer.doWork(nowNs: TensorPoolClock.monotonicNs() + 60_000_000_000)
        #expect(!producer.progressWanted)
        #expect(producer.progressPolicy == ProgressPolicy.specDefaults)
        let sentBefore = producer.statistics[.progressSent]
        let next = try #require(producer.claim(byteCount: 32768, nowNs: t))
        producer.reportProgress(next, bytesFilled: 30_000, nowNs: t + 10_000_000)
        producer.abort(next)
        #expect(producer.statistics[.progressSent] == sentBefore)
    }

    /// Raw bytes on the control stream: nothing may be mapped, everything is counted, nothing crashes.
    @Test func hostileControlTrafficIsCountedAndNothingIsMapped() throws {
        let env = try WiringTestEnvironment("hostile")
        defer { env.close() }
        let consumer = try ProducerConsumerModeTests.makeConsumer(env, id: 42)
        defer { consumer.close() }
        let raw = try env.aeron.addPublication(channel: "aeron:ipc", streamId: 1000)
        defer { try? raw.close() }
        let ready = try env.pump(until: { raw.isConnected }) { now in _ = try consumer.doWork(nowNs: now) }
        #expect(ready)

        // A file inside the root but too short for the announced ring, and a symlink pointing out of the root.
        let evil = env.shmRoot + "/1/666"
        try FileManager.default.createDirectory(atPath: evil, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: evil + "/header.ring", contents: Data(count: 100)))
        #expect(FileManager.default.createFile(atPath: evil + "/pool-1.pool", contents: Data(count: 100)))
        try? FileManager.default.createSymbolicLink(atPath: evil + "/link.ring", withDestinationPath: "/etc/passwd")

        var messages: [[UInt8]] = []
        messages.append([1, 2, 3, 4, 5])                                                    // shorter than the header
        messages.append(Self.header(blockLength: 44, template: 4, schema: 901) + [UInt8](repeating: 0, count: 44)) // wrong schema
        messages.append(Self.header(blockLength: 44, template: 4, schema: 900) + [UInt8](repeating: 0, count: 10)) // truncated
        messages.append(Self.header(blockLength: 8, template: 77, schema: 900) + [UInt8](repeating: 0, count: 8))  // unknown template
        messages.append(Self.header(blockLength: 3, template: 1, schema: 900) + [UInt8](repeating: 0, count: 3))   // block too small
        messages.append(Self.encode { buffer, capacity throws(SBEError) in                   // unknown enum value
            let e = try ConsumerConfigEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
            e.streamId = 1; e.consumerId = 42; e.useShm = .true; e.mode = Mode(rawValue: 9); e.decimation = 1
            var f = e
            try f.payloadFallbackUri("")
            return try f.finish()
        })
        var truncatedGroup = Self.announce(epoch: 10, ringPath: evil + "/header.ring", poolPath: evil + "/pool-1.pool")
        truncatedGroup.removeLast(truncatedGroup.count - 40)                                 // group cut short
        messages.append(truncatedGroup)
        messages.append(Self.announce(epoch: 11, ringPath: "/etc/passwd", poolPath: "/etc/passwd"))            // outside the root
        messages.append(Self.announce(epoch: 12, ringPath: evil + "/../../../../etc/passwd", poolPath: evil + "/pool-1.pool")) // traversal
        messages.append(Self.announce(epoch: 13, ringPath: evil + "/header.ring", poolPath: evil + "/pool-1.pool"))   // too short
        messages.append(Self.announce(epoch: 14, ringPath: evil + "/link.ring", poolPath: evil + "/pool-1.pool"))     // symlink
        messages.append(Self.announce(epoch: 15, ringPath: evil + "/header.ring", poolPath: evil + "/pool-1.pool", scheme: "file://")) // scheme
        for message in messages {
            let offered = env.pump(until: { message.withUnsafeBytes { raw.offer($0) }.position != nil }) { _ in }
            #expect(offered)
        }
        let counters = consumer.controlPlane.counters
        let done = try env.pump(until: { consumer.statistics[.mapFailures] >= 5 && counters.rejectedTotal >= 12 }) { now in
            _ = try consumer.doWork(nowNs: now)
        }
        #expect(done, "rejections \(ControlMessageRejection.allCases.map { "\($0): \(counters.rejected($0))" }) mapFailures \(consumer.statistics[.mapFailures])")
        #expect(counters.rejected(.shorterThanHeader) == 1)
        #expect(counters.rejected(.wrongSchemaId) == 1)
        #expect(counters.rejected(.truncated) >= 2)
        #expect(counters.rejectedTotal == 12)
        #expect(counters.rejected(.unknownTemplateId) == 1)
        #expect(counters.rejected(.unknownEnumValue) == 1)
        #expect(counters.rejected(.malformedBody) + counters.rejected(.truncated) >= 3)
        #expect(counters.rejected(.invalidContent) == 5)
        #expect(consumer.statistics[.maps] == 0)
        #expect(consumer.mappedEpoch == nil)
        #expect(consumer.modeSettings.mode == .stream)
        // Logging is rate limited: far fewer lines than rejections would be fine, but at least one per reason.
        #expect(env.logLines.lines.contains { $0.contains("wrong schema id") })
    }

    static func header(blockLength: UInt16, template: UInt16, schema: UInt16, version: UInt16 = 1) -> [UInt8] {
        var bytes: [UInt8] = []
        for value in [blockLength, template, schema, version] { bytes += [UInt8(value & 0xFF), UInt8(value >> 8)] }
        return bytes
    }

    static func encode(_ body: (UnsafeMutableRawPointer, Int) throws(SBEError) -> Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 4096)
        let length: Int = bytes.withUnsafeMutableBytes { buffer in
            do { return try body(buffer.baseAddress!, buffer.count) } catch { return 0 }
        }
        return Array(bytes.prefix(length))
    }

    static func announce(epoch: UInt64, ringPath: String, poolPath: String, scheme: String = "shm:file?path=") -> [UInt8] {
        encode { buffer, capacity throws(SBEError) in
            var e = try ShmPoolAnnounceEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
            e.streamId = 1; e.producerId = 1; e.epoch = epoch; e.layoutVersion = 1
            e.headerNslots = 64; e.headerSlotBytes = 256; e.maxDims = 8
            var pools = try e.payloadPoolsCount(1)
            try pools.next()
            pools.poolId = 1; pools.poolNslots = 64; pools.strideBytes = 65536
            try pools.regionUri(scheme + poolPath)
            try e.endPayloadPools(pools)
            try e.headerRegionUri(scheme + ringPath)
            return try e.finish()
        }
    }
}
