import Foundation
import Testing
import AeronClient
import TensorPoolCore
@testable import TensorPool

/// Hostile and inconsistent bridge chunks reaching a consumer in FALLBACK are counted drops (the bridge
/// receiver's rules, through the shared `BridgeChunkAssembler`); only whole, valid frames reach the handler, and
/// a change of source epoch re-arms admission. Bridge metadata is applied without disturbing a frame; hostile
/// metadata is counted and ignored, the metadata held is kept.
@Suite(.serialized) struct FallbackHostileChunkTests {
    @Test func hostileChunksAreCountedAndEpochChangesAreFollowed() throws {
        let chain = try FallbackTestChain("fallback-hostile", udp: false)
        try chain.connectShm()
        try chain.enterFallback()
        let consumer = chain.consumer
        let f = consumer.fallbackStatistics
        let rogue = try chain.env.aeron.addExclusivePublication(channel: chain.channel, streamId: FallbackTestChain.bridgeStream)
        defer { try? rogue.close() }
        try #require(try chain.pump { rogue.isConnected }, "test publication not connected")
        let crafter = BridgeChunkCrafter()
        let epoch: UInt64 = 0xFEED

        func send(_ bytes: [UInt8], until condition: () -> Bool, _ what: String) throws {
            let offered = try chain.pump { bytes.withUnsafeBytes { rogue.offer($0) }.position != nil }
            try #require(offered, "offer \(what)")
            try #require(try chain.pump(until: condition), "\(what): \(describe(f))")
        }
        func header(_ seq: UInt64, _ total: Int) -> [UInt8] { crafter.slotHeader(seq: seq, valuesLength: total) }
        func bytes(_ seq: UInt64, _ total: Int, _ offset: Int, _ count: Int) -> [UInt8] {
            BridgeChunkCrafter.pattern(epoch: epoch, seq: seq, total: total, offset: offset, count: count)
        }

        try send([9, 9, 9], until: { f[.malformedMessages] == 1 }, "garbage")
        try send(try crafter.chunk(epoch: epoch, seq: 1, total: 64, offset: 0, chunkLength: 48, slotHeader: header(1, 64), payload: bytes(1, 64, 0, 32)),
                 until: { f[.invalidChunks] == 1 }, "chunkLength != payload length")
        try send(try crafter.chunk(epoch: epoch, seq: 1, total: 64, offset: 32, slotHeader: [], payload: bytes(1, 64, 32, 32)),
                 until: { f[.invalidChunks] == 2 }, "continuation without a frame")
        try send(try crafter.chunk(epoch: epoch, seq: 1, total: 64, offset: 0, slotHeader: Array(header(1, 64).prefix(100)), payload: bytes(1, 64, 0, 64)),
                 until: { f[.invalidHeaders] == 1 }, "100-byte slot header")
        try send(try crafter.chunk(epoch: epoch, seq: 1, total: 64, offset: 0, slotHeader: header(2, 64), payload: bytes(1, 64, 0, 64)),
                 until: { f[.invalidHeaders] == 2 }, "frame_id != seq")
        try send(try crafter.chunk(streamId: 99, epoch: epoch, seq: 1, total: 64, offset: 0, slotHeader: header(1, 64), payload: bytes(1, 64, 0, 64)),
                 until: { f[.foreignStreamDrops] == 1 }, "another tensor-pool stream")
        // A missing chunk aborts the frame.
        try send(try crafter.chunk(epoch: epoch, seq: 10, total: 2048, offset: 0, slotHeader: header(10, 2048), payload: bytes(10, 2048, 0, 1024)),
                 until: { f[.chunksReceived] >= 1 }, "frame 10 first chunk")
        try send(try crafter.chunk(epoch: epoch, seq: 10, total: 2048, offset: 1536, slotHeader: [], payload: bytes(10, 2048, 1536, 512)),
                 until: { f[.framesAborted] == 1 }, "frame 10 missing chunk")
        #expect(consumer.handler.records.isEmpty, "nothing delivered from bad chunks")
        // A whole two-chunk frame of the rogue epoch: delivered intact (admission re-armed for epoch 0xFEED).
        try send(try crafter.chunk(epoch: epoch, seq: 11, total: 2048, offset: 0, slotHeader: header(11, 2048), payload: bytes(11, 2048, 0, 1024)),
                 until: { f[.chunksReceived] >= 2 }, "frame 11 first chunk")
        // Bridge metadata between two chunks: applied (onMetadata), not aborting the frame.
        try send(try crafter.metadata(metaVersion: 1, attributes: [(Array("k".utf8), Array("text/plain".utf8), [1])]),
                 until: { consumer.handler.metadata.count == 1 }, "BridgeDataSourceMeta mid-frame")
        try send(try crafter.chunk(epoch: epoch, seq: 11, total: 2048, offset: 1024, slotHeader: [], payload: bytes(11, 2048, 1024, 1024)),
                 until: { consumer.handler.records.count == 1 }, "frame 11 completed")
        #expect(consumer.handler.records.first == FallbackRecorder.Record(epoch: epoch, seq: 11, byteCount: 2048, shape: [2048], patternOK: true))
        // The sender goes silent mid-frame: aborted by the assembly timeout.
        try send(try crafter.chunk(epoch: epoch, seq: 12, total: 2048, offset: 0, slotHeader: header(12, 2048), payload: bytes(12, 2048, 0, 1024)),
                 until: { f[.assemblyTimeouts] == 1 }, "frame 12 timed out")

        // Back to the real source's epoch: followed, frames delivered intact.
        try chain.publishAndSend(TensorLayout(dtype: .uint8, shape: [256]))
        try #require(try chain.pump { consumer.handler.records.count == 2 }, "\(describe(f))")
        let last = try #require(consumer.handler.records.last)
        #expect(last.epoch == chain.producer.epoch && last.patternOK)
        #expect(consumer.handler.torn == 0)
        #expect(f[.malformedMessages] == 1 && f[.invalidChunks] == 3 && f[.invalidHeaders] == 2 && f[.framesAborted] == 2,
                "\(describe(f))")
    }

    /// Hostile `BridgeDataSourceMeta`s reaching a FALLBACK consumer: over the consumer's bounds (attributes, bytes,
    /// key and format text), truncated, or of another stream, each is counted and ignored; the metadata held stays,
    /// and a byte-identical re-send of it (new timestamp) notifies nothing.
    @Test func hostileMetadataIsCountedAndIgnored() throws {
        let chain = try FallbackTestChain("fallback-hostile-meta", udp: false)
        try chain.connectShm()
        try chain.enterFallback()
        let consumer = chain.consumer
        let f = consumer.fallbackStatistics
        let rogue = try chain.env.aeron.addExclusivePublication(channel: chain.channel, streamId: FallbackTestChain.bridgeStream)
        defer { try? rogue.close() }
        try #require(try chain.pump { rogue.isConnected }, "test publication not connected")
        let crafter = BridgeChunkCrafter()

        func send(_ bytes: [UInt8], until condition: () -> Bool, _ what: String) throws {
            let offered = try chain.pump { bytes.withUnsafeBytes { rogue.offer($0) }.position != nil }
            try #require(offered, "offer \(what)")
            try #require(try chain.pump(until: condition), "\(what): \(describe(f))")
        }
        let good: [(key: [UInt8], format: [UInt8], value: [UInt8])] = [(Array("serial".utf8), Array("text/plain".utf8), Array("A1".utf8))]
        try send(try crafter.metadata(metaVersion: 5, attributes: good), until: { consumer.handler.metadata.count == 1 }, "valid metadata")
        let held = try #require(consumer.metadata)
        #expect(held.metaVersion == 5 && held.attributes == [MetaAttribute(key: "serial", format: "text/plain", value: Array("A1".utf8))])

        let tooMany = (0...DataSourceMetadata.maxAttributes).map { (key: Array("k\($0)".utf8), format: [UInt8](), value: [UInt8]()) }
        try send(try crafter.metadata(metaVersion: 6, attributes: tooMany), until: { f[.invalidMetadata] == 1 }, "too many attributes")
        // Over 1 MiB does not fit one Aeron message of this driver: handed to the source's message entry point.
        let huge = try crafter.metadata(metaVersion: 6, attributes: [(Array("big".utf8), [], [UInt8](repeating: 7, count: DataSourceMetadata.maxAttributeBytes))])
        let source = try #require(consumer.state.pointee.fallback.source)
        huge.withUnsafeBytes { source.onMessage($0, sessionId: 1, nowNs: TensorPoolClock.monotonicNs()) { _ in
            Issue.record("an event for hostile metadata")
        } }
        #expect(f[.invalidMetadata] == 2, "too many bytes: \(describe(f))")
        try send(try crafter.metadata(metaVersion: 6, attributes: [([], [], [1])]), until: { f[.invalidMetadata] == 3 }, "empty key")
        try send(try crafter.metadata(metaVersion: 6, attributes: [([0x6B, 0x0A], [], [1])]), until: { f[.invalidMetadata] == 4 }, "key not printable")
        try send(try crafter.metadata(metaVersion: 6, attributes: [(Array("k".utf8), [0xFF], [1])]), until: { f[.invalidMetadata] == 5 }, "format not ASCII")
        let whole = try crafter.metadata(metaVersion: 6, attributes: good)
        try send(Array(whole.prefix(whole.count - 3)), until: { f[.malformedMessages] == 1 }, "truncated")
        try send(try crafter.metadata(streamId: 99, metaVersion: 6, attributes: good), until: { f[.foreignStreamDrops] == 1 }, "another stream")
        // The held metadata re-sent with a new timestamp: nothing changes.
        try send(try crafter.metadata(metaVersion: 5, timestampNs: 99, attributes: good), until: { true }, "re-send")
        try chain.pump(timeoutS: 0.1) { false }
        #expect(consumer.handler.metadata.count == 1, "\(consumer.handler.metadata.map(\.metaVersion))")
        #expect(consumer.metadata == held)
        #expect(consumer.statistics[.metadataUpdates] == 1)
        #expect(f[.invalidMetadata] == 5 && f[.malformedMessages] == 1 && f[.foreignStreamDrops] == 1, "\(describe(f))")
    }

    /// Hostile `BridgeDataSourceAnnounce`s reaching a FALLBACK consumer: over the consumer's bounds (name, summary
    /// length, non-ASCII), truncated, of another stream or of an unknown template, each is counted and ignored; the
    /// beacon held stays, and its byte-identical re-send notifies nothing.
    @Test func hostileAnnouncesAreCountedAndIgnored() throws {
        // The real sender forwards the producer's beacon once (no periodic re-send within the test: 60 s).
        let chain = try FallbackTestChain("fallback-hostile-announce", udp: false, metadataIntervalNs: 60_000_000_000) {
            $0.aeron.metadataStreamId += 1000
        }
        try chain.connectShm()
        try chain.enterFallback()
        let consumer = chain.consumer
        try #require(try chain.pump { consumer.handler.infos.count == 1 }, "the producer's own beacon was not bridged")
        let f = consumer.fallbackStatistics
        let rogue = try chain.env.aeron.addExclusivePublication(channel: chain.channel, streamId: FallbackTestChain.bridgeStream)
        defer { try? rogue.close() }
        try #require(try chain.pump { rogue.isConnected }, "test publication not connected")
        let crafter = BridgeChunkCrafter()

        func send(_ bytes: [UInt8], until condition: () -> Bool, _ what: String) throws {
            let offered = try chain.pump { bytes.withUnsafeBytes { rogue.offer($0) }.position != nil }
            try #require(offered, "offer \(what)")
            try #require(try chain.pump(until: condition), "\(what): \(describe(f))")
        }
        let name = Array("rogue-cam".utf8), summary = Array("UINT8 [64]".utf8)
        let good = try crafter.announce(producerId: 5, epoch: 8, metaVersion: 2, name: name, summary: summary)
        try send(good, until: { consumer.handler.infos.count == 2 }, "valid beacon")
        let held = try #require(consumer.dataSourceInfo)
        #expect(held == DataSourceInfo(streamId: FallbackTestChain.stream, producerId: 5, epoch: 8, metaVersion: 2,
                                       name: "rogue-cam", summary: "UINT8 [64]"))

        try send(try crafter.announce(name: Array(repeating: 0x61, count: DataSourceInfo.maxNameBytes + 1), summary: summary),
                 until: { f[.invalidAnnounces] == 1 }, "name too long")
        try send(try crafter.announce(name: name, summary: Array(repeating: 0x61, count: DataSourceInfo.maxSummaryBytes + 1)),
                 until: { f[.invalidAnnounces] == 2 }, "summary too long")
        try send(try crafter.announce(name: [0xE2, 0x82, 0xAC], summary: summary), until: { f[.invalidAnnounces] == 3 }, "name not ASCII")
        try send(Array(good.dropLast(3)), until: { f[.malformedMessages] == 1 }, "truncated")
        var unknown = good
        unknown[2] = 9
        try send(unknown, until: { f[.malformedMessages] == 2 }, "unknown template")
        try send(try crafter.announce(streamId: 99, name: name, summary: summary), until: { f[.foreignStreamDrops] == 1 }, "another stream")
        try send(good, until: { true }, "re-send")
        try chain.pump(timeoutS: 0.1) { false }
        #expect(consumer.handler.infos.count == 2, "\(consumer.handler.infos)")
        #expect(consumer.dataSourceInfo == held)
        #expect(f[.invalidAnnounces] == 3 && f[.malformedMessages] == 2 && f[.foreignStreamDrops] == 1
                && f[.invalidChunks] == 0 && f[.invalidMetadata] == 0, "\(describe(f))")
    }
}
