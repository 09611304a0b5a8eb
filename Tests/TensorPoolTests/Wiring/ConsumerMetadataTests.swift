import Testing
import AeronClient
import SBE
import TensorPoolCore
@testable import TensorPool

/// Records what a consumer hands its handler: frames' `meta_version` and metadata updates.
struct MetadataProbe: TensorFrameHandler {
    var frameMetaVersions: [UInt32] = []
    var updates: [DataSourceMetadata] = []
    mutating func onFrame(_ frame: borrowing TensorFrame) { frameMetaVersions.append(frame.header.metaVersion) }
    mutating func onMetadata(_ metadata: DataSourceMetadata) { updates.append(metadata) }
}

/// Raw `DataSourceMeta` / `DataSourceAnnounce` bytes, including ones no producer of ours would send.
enum MetadataMessages {
    static func meta(streamId: UInt32 = 1, version: UInt32, timestampNs: UInt64 = 1,
                     attributes: [(key: [UInt8], format: [UInt8], value: [UInt8])], capacity: Int = 1 << 16) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: capacity)
        let length = try bytes.withUnsafeMutableBytes { buffer throws(SBEError) -> Int in
            var e = try DataSourceMetaEncoder(wrapAndApplyHeader: buffer)
            e.streamId = streamId
            e.metaVersion = version
            e.timestampNs = timestampNs
            var group = try e.attributesCount(attributes.count)
            for attribute in attributes {
                try group.next()
                try group.key(attribute.key)
                try group.format(attribute.format)
                try group.value(attribute.value)
            }
            try e.endAttributes(group)
            return try e.finish()
        }
        return Array(bytes.prefix(length))
    }

    static func announce(streamId: UInt32 = 1, producerId: UInt32, epoch: UInt64, version: UInt32,
                         name: [UInt8], summary: [UInt8] = []) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 4096)
        let length = try bytes.withUnsafeMutableBytes { buffer throws(SBEError) -> Int in
            var e = try DataSourceAnnounceEncoder(wrapAndApplyHeader: buffer)
            e.streamId = streamId
            e.producerId = producerId
            e.epoch = epoch
            e.metaVersion = version
            try e.name(name)
            try e.summary(summary)
            return try e.finish()
        }
        return Array(bytes.prefix(length))
    }

    static func text(_ key: String, _ value: String) -> (key: [UInt8], format: [UInt8], value: [UInt8]) {
        (Array(key.utf8), Array("text/plain".utf8), Array(value.utf8))
    }
}

/// A producer's `setMetadata` reaching a consumer on the embedded driver: `onMetadata` once per version, re-sends
/// silent, frames matched to their metadata, hostile messages counted and without effect.
@Suite struct ConsumerMetadataTests {
    typealias Consumer = TensorPoolConsumer<MetadataProbe>

    static func setUp(_ env: WiringTestEnvironment) throws -> (TensorPoolProducer, Consumer) {
        var config = env.producerConfiguration()
        config.name = "camera-7"
        // Metadata re-sent every 5 ms: many re-sends within the test.
        config.announceIntervalMs = 5
        var options = env.producerOptions
        options.summary = "UINT8 [480, 640]"
        let producer = try TensorPoolProducer(configuration: config, aeron: env.aeron, options: options)
        let consumer = try TensorPoolConsumer(configuration: env.consumerConfiguration(consumerId: 91), aeron: env.aeron,
                                              handler: MetadataProbe(), options: env.consumerOptions)
        try ProducerConsumerTests.connect(env, producer, [consumer]) { [consumer.mappedEpoch] }
        return (producer, consumer)
    }

    static let first = [MetaAttribute(key: "camera_serial", text: "SN-42"),
                        MetaAttribute(key: "intrinsics", format: "application/octet-stream", value: [1, 2, 3, 250])]

    /// Pumps both roles until the consumer got `updates` metadata updates.
    static func pump(_ env: WiringTestEnvironment, _ producer: TensorPoolProducer, _ consumer: Consumer,
                     untilUpdates updates: Int) throws {
        let ok = try env.pump(until: { consumer.handler.updates.count >= updates }) { now in
            _ = try producer.doWork(nowNs: now)
            _ = try consumer.doWork(nowNs: now)
        }
        #expect(ok, "consumer got \(consumer.handler.updates.count) metadata updates, expected \(updates); log: \(env.logLines.lines.suffix(10))")
    }

    @Test func consumerLearnsMetadataOncePerVersionAndMatchesFrames() throws {
        let env = try WiringTestEnvironment("consumer-meta")
        defer { env.close() }
        let (producer, consumer) = try Self.setUp(env)
        defer { consumer.close(); producer.close() }
        #expect(consumer.metadata == nil)

        let version = producer.setMetadata(Self.first, nowNs: TensorPoolClock.monotonicNs())
        try Self.pump(env, producer, consumer, untilUpdates: 1)
        let update = try #require(consumer.handler.updates.first)
        #expect(update.metaVersion == version)
        #expect(update.streamId == 1)
        #expect(update.attributes == Self.first)
        #expect(update.attribute(forKey: "intrinsics")?.value == [1, 2, 3, 250])
        #expect(consumer.metadata == update)

        // A frame stamped with the current version finds that metadata; any other version finds none.
        let now = TensorPoolClock.monotonicNs()
        ProducerConsumerTests.publish(producer, count: 1, nowNs: now)
        try env.pump(until: { consumer.statistics[.framesDelivered] == 1 }) { now in
            _ = try producer.doWork(nowNs: now)
            _ = try consumer.doWork(nowNs: now)
        }
        let frameVersion = try #require(consumer.handler.frameMetaVersions.first)
        #expect(frameVersion == version)
        #expect(consumer.metadata(forVersion: frameVersion) == update)
        #expect(consumer.metadata(forVersion: frameVersion &+ 1) == nil)

        // The beacon of the mapped producer and epoch, naming the current version.
        try env.pump(until: { consumer.dataSourceInfo?.metaVersion == version }) { now in
            _ = try producer.doWork(nowNs: now)
            _ = try consumer.doWork(nowNs: now)
        }
        let info = try #require(consumer.dataSourceInfo)
        #expect(info == DataSourceInfo(streamId: 1, producerId: producer.configuration.producerId, epoch: producer.epoch,
                                       metaVersion: version, name: "camera-7", summary: "UINT8 [480, 640]"))

        // Periodic re-sends of the same content (every 5 ms) reach the consumer without notifying it again.
        let metaTemplate = TensorPoolSchema.TemplateId.dataSourceMeta
        let receivedBefore = consumer.controlPlane.counters.received(templateId: metaTemplate)
        let resent = try env.pump(until: { consumer.controlPlane.counters.received(templateId: metaTemplate) >= receivedBefore + 5 }) { now in
            _ = try producer.doWork(nowNs: now)
            _ = try consumer.doWork(nowNs: now)
        }
        #expect(resent, "the producer's metadata re-sends did not reach the consumer")
        #expect(consumer.handler.updates.count == 1)
        #expect(consumer.statistics[.metadataUpdates] == 1)

        // A version bump notifies again, and frames now refer to the new version only.
        let second = [MetaAttribute(key: "camera_serial", text: "SN-43"), MetaAttribute(key: "units", text: "lux")]
        let bumped = producer.setMetadata(second, nowNs: TensorPoolClock.monotonicNs())
        #expect(bumped == version + 1)
        try Self.pump(env, producer, consumer, untilUpdates: 2)
        #expect(consumer.handler.updates.count == 2)
        #expect(consumer.handler.updates.last?.metaVersion == bumped)
        #expect(consumer.handler.updates.last?.attributes.map(\.key) == ["camera_serial", "units"])
        #expect(consumer.metadata(forVersion: version) == nil, "an older version is not kept")
        #expect(consumer.metadata(forVersion: bumped)?.attributes == second)
        #expect(consumer.controlPlane.counters.rejectedTotal == 0)
    }

    @Test func hostileMetadataIsCountedAndKeepsThePreviousOne() throws {
        let env = try WiringTestEnvironment("consumer-meta-hostile")
        defer { env.close() }
        let (producer, consumer) = try Self.setUp(env)
        defer { consumer.close(); producer.close() }
        let version = producer.setMetadata(Self.first, nowNs: TensorPoolClock.monotonicNs())
        try Self.pump(env, producer, consumer, untilUpdates: 1)
        try env.pump(until: { consumer.dataSourceInfo?.metaVersion == version }) { now in
            _ = try producer.doWork(nowNs: now)
            _ = try consumer.doWork(nowNs: now)
        }
        // From here on only injected messages reach the consumer (no duty cycle runs).
        let held = try #require(consumer.metadata)
        let heldInfo = try #require(consumer.dataSourceInfo)
        let counters = consumer.controlPlane.counters
        let rejectedBefore = counters.rejectedTotal
        var me = consumer
        func inject(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { consumer.controlPlane.dispatch($0, to: &me, nowNs: TensorPoolClock.monotonicNs()) }
        }

        let valid = try MetadataMessages.meta(version: version + 1, attributes: [MetadataMessages.text("k", "v")])
        // Cut inside the attribute's value, and a group that claims 1000 entries but holds one.
        inject(Array(valid.dropLast(1)))
        var overcounted = valid
        overcounted[8 + 16 + 2] = 0xE8
        overcounted[8 + 16 + 3] = 0x03
        inject(overcounted)
        #expect(counters.rejected(.truncated) + counters.rejected(.malformedBody) == 2)
        // Over the attribute bound, over the byte bound, a non-ASCII key, an empty key, a control character in a format.
        inject(try MetadataMessages.meta(version: version + 1,
                                         attributes: (0...DataSourceMetadata.maxAttributes).map { MetadataMessages.text("k\($0)", "v") }))
        inject(try MetadataMessages.meta(version: version + 1,
                                         attributes: [(Array("big".utf8), [], [UInt8](repeating: 7, count: DataSourceMetadata.maxAttributeBytes))],
                                         capacity: 2 << 20))
        inject(try MetadataMessages.meta(version: version + 1, attributes: [(Array("caméra".utf8), [], [1])]))
        inject(try MetadataMessages.meta(version: version + 1, attributes: [([], [], [1])]))
        inject(try MetadataMessages.meta(version: version + 1, attributes: [(Array("k".utf8), [0x0A], [1])]))
        // A beacon of the mapped producer and epoch with a non-ASCII name.
        inject(try MetadataMessages.announce(producerId: heldInfo.producerId, epoch: heldInfo.epoch, version: version + 1,
                                             name: [0xFF, 0x41]))
        #expect(counters.rejected(.invalidContent) == 6)
        #expect(counters.rejectedTotal == rejectedBefore + 8)
        #expect(consumer.metadata == held)
        #expect(consumer.dataSourceInfo == heldInfo)
        #expect(consumer.handler.updates.count == 1)

        // Ignored, not rejected: another stream's metadata, and a beacon of another epoch or producer.
        inject(try MetadataMessages.meta(streamId: 2, version: 77, attributes: [MetadataMessages.text("other", "stream")]))
        inject(try MetadataMessages.announce(producerId: heldInfo.producerId, epoch: heldInfo.epoch + 1, version: 9,
                                             name: Array("old".utf8)))
        inject(try MetadataMessages.announce(producerId: heldInfo.producerId &+ 1, epoch: heldInfo.epoch, version: 9,
                                             name: Array("other".utf8)))
        #expect(counters.rejectedTotal == rejectedBefore + 8)
        #expect(consumer.metadata == held)
        #expect(consumer.dataSourceInfo == heldInfo)

        // Still live after all that: same version with changed content notifies; its byte-identical repeat does not.
        let changed = try MetadataMessages.meta(version: version, timestampNs: 5, attributes: [MetadataMessages.text("camera_serial", "SN-99")])
        inject(changed)
        inject(changed)
        var repeatedLater = changed
        repeatedLater[8 + 8] = 0x09  // only timestamp_ns differs
        inject(repeatedLater)
        #expect(consumer.handler.updates.count == 2)
        #expect(consumer.metadata?.attribute(forKey: "camera_serial")?.value == Array("SN-99".utf8))
        #expect(consumer.metadata?.timestampNs == 5)
        #expect(counters.rejectedTotal == rejectedBefore + 8)
    }

    @Test func metadataOfAnotherEpochIsForgottenWhenMapping() throws {
        var tracker = DataSourceMetadataTracker()
        func feed(_ bytes: [UInt8]) throws -> DataSourceMetadataTracker.Outcome {
            try bytes.withUnsafeBytes { raw throws(SBEError) -> DataSourceMetadataTracker.Outcome in
                let base = raw.baseAddress!
                if bytes[2] == UInt8(TensorPoolSchema.TemplateId.dataSourceMeta) {
                    return try tracker.onMeta(DataSourceMetaDecoder(wrap: base, offset: 8, capacity: raw.count))
                }
                return try tracker.onAnnounce(DataSourceAnnounceDecoder(wrap: base, offset: 8, capacity: raw.count))
            }
        }
        guard case .updated = try feed(try MetadataMessages.announce(producerId: 3, epoch: 5, version: 1, name: Array("n".utf8))) else {
            Issue.record("announce not taken")
            return
        }
        guard case .updated = try feed(try MetadataMessages.meta(version: 1, attributes: [MetadataMessages.text("k", "v")])) else {
            Issue.record("meta not taken")
            return
        }
        let forgotSameEpoch = tracker.retain(epoch: 5)
        #expect(!forgotSameEpoch)
        #expect(tracker.metadata?.metaVersion == 1 && tracker.info?.epoch == 5)
        let forgotOtherEpoch = tracker.retain(epoch: 6)
        #expect(forgotOtherEpoch)
        #expect(tracker.metadata == nil && tracker.info == nil)
        // Forgotten means re-learnt, and announced again, from the next re-send.
        guard case .updated = try feed(try MetadataMessages.meta(version: 1, attributes: [MetadataMessages.text("k", "v")])) else {
            Issue.record("re-sent meta not taken after forgetting")
            return
        }
    }
}
