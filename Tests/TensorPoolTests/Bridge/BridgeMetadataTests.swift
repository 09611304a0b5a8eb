import Foundation
import Testing
import AeronClient
import TensorPoolCore
@testable import TensorPool

/// Data-source metadata over the bridge (`BridgeDataSourceMeta`, schema 901 template 2): UDP loopback on the real
/// Aeron C media driver, as ``BridgeTests``. Fails (does not skip) without the pyaeron wheel: run
/// scripts/install-test-deps.sh (TP_PYAERON_SO).
@Suite(.serialized) struct BridgeMetadataTests {
    static let calibration: [UInt8] = [0, 1, 2, 0xFF, 0x80, 0x7F]

    @Test func sourceMetadataReachesConsumersOfTheReceiverStreamOncePerChange() throws {
        let chain = try BridgeTestChain("bridge-meta", metadataIntervalNs: 20_000_000)
        try chain.connect()
        let layout = TensorLayout(dtype: .uint8, shape: [64])
        try chain.sendFrame(layout)
        #expect(chain.consumer.handler.records.last?.metaVersion == 0, "no metadata yet")
        #expect(chain.sender.statistics[.metadataSent] == 0, "nothing sent before the source has metadata")

        let first = [MetaAttribute(key: "camera.serial", format: "text/plain", value: Array("SN-42".utf8)),
                     MetaAttribute(key: "camera.intrinsics", format: "application/octet-stream", value: Self.calibration)]
        chain.source.setMetadata(first, nowNs: TensorPoolClock.monotonicNs())
        let arrived = try chain.pump { chain.consumer.handler.metadataUpdates.count >= 1 }
        try #require(arrived, "metadata did not reach T's consumer: sender \(describe(chain.sender.statistics)) receiver \(describe(chain.receiver.statistics))")
        let version = chain.receiver.target.metaVersion
        let received = try #require(chain.consumer.handler.metadataUpdates.last)
        #expect(received.streamId == BridgeTestChain.targetStream)
        #expect(received.metaVersion == version && version == 1)
        #expect(received.attributes == first, "keys, formats and values as the source set them")
        #expect(chain.consumer.metadata?.attributes == first)

        // Periodic re-sends (20 ms here) reach the receiver and change nothing.
        let sentBefore = chain.sender.statistics[.metadataSent]
        #expect(try chain.pump { chain.sender.statistics[.metadataSent] >= sentBefore + 3 }, "no periodic re-send")
        try chain.sendFrame(layout)  // sent after the re-sends on the same publication: they were received first
        #expect(chain.receiver.target.metaVersion == version, "a re-send bumped T's meta_version")
        #expect(chain.receiver.statistics[.metadataUpdates] == 1)
        #expect(chain.consumer.handler.metadataUpdates.count == 1, "T's consumer notified again for the same content")
        #expect(chain.consumer.handler.records.last?.metaVersion == version, "frame after the metadata carries T's version")

        // A change: T gets a new version, frames after it carry it.
        let second = [MetaAttribute(key: "camera.serial", format: "text/plain", value: Array("SN-43".utf8))]
        chain.source.setMetadata(second, nowNs: TensorPoolClock.monotonicNs())
        #expect(try chain.pump { chain.consumer.handler.metadataUpdates.count >= 2 }, "second metadata did not arrive")
        #expect(chain.consumer.handler.metadataUpdates.last?.attributes == second)
        #expect(chain.receiver.target.metaVersion == version + 1)
        try chain.sendFrame(layout)
        #expect(chain.consumer.handler.records.last?.metaVersion == version + 1)
        let r = chain.receiver.statistics
        #expect(r[.metadataUpdates] == 2)
        #expect(r[.malformedMessages] == 0 && r[.invalidMetadata] == 0 && r[.framesAborted] == 0 && r[.invalidChunks] == 0)
    }

    @Test func hostileMetadataMessagesAreCountedAndIgnored() throws {
        let chain = try BridgeTestChain("bridge-meta-hostile")
        let receiver = chain.receiver
        let r = receiver.statistics
        let crafter = BridgeChunkCrafter()
        let now = TensorPoolClock.monotonicNs()
        func feed(_ bytes: [UInt8]) { bytes.withUnsafeBytes { receiver.onMessage($0, sessionId: 5, nowNs: now) } }
        let good: [(key: [UInt8], format: [UInt8], value: [UInt8])] = [(Array("k".utf8), Array("text/plain".utf8), [1, 2, 3])]

        // Truncated: attribute bytes past the end, a header alone, a group count beyond the bytes.
        var truncated = try crafter.metadata(metaVersion: 1, attributes: good)
        truncated.removeLast(2)
        feed(truncated)
        feed(Array(try crafter.metadata(metaVersion: 1, attributes: good).prefix(8)))
        var overcounted = try crafter.metadata(metaVersion: 1, attributes: good)
        overcounted[8 + 16 + 2] = 0xFF; overcounted[8 + 16 + 3] = 0xFF  // numInGroup 65535
        feed(overcounted)
        #expect(r[.malformedMessages] == 3)
        // Well formed but out of bounds.
        feed(try crafter.metadata(metaVersion: 1, attributes: Array(repeating: good[0], count: DataSourceMetadata.maxAttributes + 1)))
        feed(try crafter.metadata(metaVersion: 1, attributes: [([], Array("text/plain".utf8), [1])]))
        feed(try crafter.metadata(metaVersion: 1, attributes: [([0x6B, 0xC3, 0xA9], Array("text/plain".utf8), [1])]))
        feed(try crafter.metadata(metaVersion: 1, attributes: [(Array("k".utf8), [0x0A], [1])]))
        feed(try crafter.metadata(metaVersion: 1, attributes: [(Array("k".utf8), [], Array(repeating: 7, count: DataSourceMetadata.maxAttributeBytes))]))
        #expect(r[.invalidMetadata] == 5)
        // Another source stream than the receiver's.
        feed(try crafter.metadata(streamId: BridgeTestChain.sourceStream + 1, metaVersion: 1, attributes: good))
        #expect(r[.foreignStreamDrops] == 1)
        #expect(r[.metadataUpdates] == 0 && receiver.target.metaVersion == 0, "hostile metadata reached the producer")

        // A valid one is taken once; the same content with a newer timestamp is a re-send.
        feed(try crafter.metadata(metaVersion: 1, timestampNs: 10, attributes: good))
        feed(try crafter.metadata(metaVersion: 1, timestampNs: 20, attributes: good))
        #expect(r[.metadataUpdates] == 1 && receiver.target.metaVersion == 1)
        // A hostile one after it keeps it; a new source version is new content.
        feed(truncated)
        feed(try crafter.metadata(metaVersion: 2, timestampNs: 30, attributes: good))
        #expect(r[.metadataUpdates] == 2 && receiver.target.metaVersion == 2)
        #expect(r[.malformedMessages] == 4 && r[.invalidChunks] == 0 && r[.invalidHeaders] == 0)
    }
}
