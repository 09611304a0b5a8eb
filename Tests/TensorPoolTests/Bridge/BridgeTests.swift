import Foundation
import Testing
import AeronClient
import TensorPoolCore
@testable import TensorPool

/// The bridge over UDP loopback on the real Aeron C media driver. Fails (does not skip) without the pyaeron
/// wheel: run scripts/install-test-deps.sh (TP_PYAERON_SO).
@Suite(.serialized) struct BridgeTests {
    @Test func smallAndMultiChunkFramesArriveIntactAndInOrder() throws {
        let chain = try BridgeTestChain("bridge-frames")
        try chain.connect()
        let small = TensorLayout(dtype: .uint8, shape: [64])
        let large = TensorLayout(dtype: .float32, shape: [512, 640])  // 1.25 MiB
        let sequence = [small, large, small, small, large, small, large, small]
        for layout in sequence { try chain.sendFrame(layout) }

        let records = chain.consumer.handler.records
        #expect(records.count == sequence.count)
        #expect(records.allSatisfy { $0.intactPattern }, "payload differs from the source frame")
        #expect(chain.consumer.handler.sourceSeqs == Array(0..<UInt64(sequence.count)), "source order")
        #expect(records.map(\.seq) == Array(0..<UInt64(sequence.count)), "receiver numbers its own frames")
        #expect(records.map(\.byteCount) == sequence.map(\.contiguousByteCount))
        #expect(records.map(\.shape) == sequence.map(\.shape), "tensor layout carried by the slot header")
        #expect(records.allSatisfy { $0.epoch == chain.receiver.target.epoch })
        let s = chain.sender.statistics
        let r = chain.receiver.statistics
        #expect(s[.framesSent] == UInt64(sequence.count))
        #expect(s[.chunksSent] > UInt64(3 * (large.contiguousByteCount / chain.sender.chunkBytes)), "large frames go as many chunks")
        #expect(s[.busyDrops] == 0 && s[.sourceTorn] == 0 && s[.framesAbandoned] == 0)
        #expect(r[.framesReceived] == UInt64(sequence.count))
        #expect(r[.chunksReceived] == s[.chunksSent])
        #expect(r[.bytesReceived] == UInt64(sequence.map(\.contiguousByteCount).reduce(0, +)))
        #expect(r[.framesAborted] == 0 && r[.malformedMessages] == 0 && r[.invalidChunks] == 0 && r[.invalidHeaders] == 0)
        #expect(chain.consumer.handler.torn == 0)
    }

    @Test func hostileAndOutOfSequenceChunksAreCountedAndNeverPublishedTorn() throws {
        let chain = try BridgeTestChain("bridge-hostile", assemblyTimeoutNs: 200_000_000)
        try chain.connect()
        // A second sender on the bridge channel: the test's own publication.
        let rogue = try chain.env.aeron.addExclusivePublication(channel: chain.channel, streamId: BridgeTestChain.bridgeStream)
        defer { try? rogue.close() }
        try #require(try chain.pump { rogue.isConnected }, "test publication not connected")
        let crafter = BridgeChunkCrafter()
        let r = chain.receiver.statistics
        let epoch: UInt64 = 0xABCD
        chain.consumer.handler.sourceEpochs.append(epoch)

        func send(_ bytes: [UInt8], until condition: () -> Bool, _ what: String) throws {
            let offered = try chain.pump { bytes.withUnsafeBytes { rogue.offer($0) }.position != nil }
            try #require(offered, "offer \(what)")
            try #require(try chain.pump(until: condition), "\(what): receiver \(describe(r))")
        }
        func header(_ seq: UInt64, _ total: Int) -> [UInt8] { crafter.slotHeader(seq: seq, valuesLength: total) }
        func bytes(_ seq: UInt64, _ total: Int, _ offset: Int, _ count: Int) -> [UInt8] {
            BridgeChunkCrafter.pattern(epoch: epoch, seq: seq, total: total, offset: offset, count: count)
        }

        // Not a bridge chunk at all, or one whose var data runs past the message.
        try send([1, 2, 3], until: { r[.malformedMessages] == 1 }, "3 garbage bytes")
        var wrongSchema = try crafter.chunk(epoch: epoch, seq: 1, total: 8, offset: 0, slotHeader: header(1, 8), payload: bytes(1, 8, 0, 8))
        wrongSchema[4] = 0x84; wrongSchema[5] = 0x03  // schema id 900
        try send(wrongSchema, until: { r[.malformedMessages] == 2 }, "schema 900")
        var truncated = try crafter.chunk(epoch: epoch, seq: 1, total: 8, offset: 0, slotHeader: header(1, 8), payload: bytes(1, 8, 0, 8))
        truncated.removeLast(4)
        try send(truncated, until: { r[.malformedMessages] == 3 }, "payload length beyond the message")
        // Bad lengths and offsets.
        try send(try crafter.chunk(epoch: epoch, seq: 1, total: 64, offset: 0, chunkLength: 48, slotHeader: header(1, 64), payload: bytes(1, 64, 0, 32)),
                 until: { r[.invalidChunks] == 1 }, "chunkLength != payload length")
        try send(try crafter.chunk(epoch: epoch, seq: 1, total: 64, offset: 96, slotHeader: [], payload: bytes(1, 64, 0, 8)),
                 until: { r[.invalidChunks] == 2 }, "offset beyond the total")
        try send(try crafter.chunk(epoch: epoch, seq: 1, total: 64, offset: 48, slotHeader: [], payload: bytes(1, 64, 0, 32)),
                 until: { r[.invalidChunks] == 3 }, "offset + length beyond the total")
        try send(try crafter.chunk(epoch: epoch, seq: 1, total: 64, offset: 32, slotHeader: [], payload: bytes(1, 64, 32, 32)),
                 until: { r[.invalidChunks] == 4 }, "continuation without a frame in progress")
        // Wrong slot header bytes.
        try send(try crafter.chunk(epoch: epoch, seq: 1, total: 64, offset: 0, slotHeader: Array(header(1, 64).prefix(100)), payload: bytes(1, 64, 0, 64)),
                 until: { r[.invalidHeaders] == 1 }, "100-byte slot header")
        try send(try crafter.chunk(epoch: epoch, seq: 1, total: 64, offset: 0, slotHeader: header(1, 32), payload: bytes(1, 64, 0, 64)),
                 until: { r[.invalidHeaders] == 2 }, "values_len_bytes != totalLength")
        try send(try crafter.chunk(epoch: epoch, seq: 1, total: 64, offset: 0, slotHeader: header(2, 64), payload: bytes(1, 64, 0, 64)),
                 until: { r[.invalidHeaders] == 3 }, "frame_id != seq")
        try send(try crafter.chunk(epoch: epoch, seq: 1, total: 64, offset: 0, slotHeader: crafter.slotHeader(seq: 1, valuesLength: 64, dtypeRaw: 99),
                                   payload: bytes(1, 64, 0, 64)),
                 until: { r[.targetRejected] == 1 }, "unknown dtype")
        try send(try crafter.chunk(streamId: 99, epoch: epoch, seq: 1, total: 64, offset: 0, slotHeader: header(1, 64), payload: bytes(1, 64, 0, 64)),
                 until: { r[.foreignStreamDrops] == 1 }, "another stream")
        try send(try crafter.chunk(epoch: epoch, seq: 1, total: 3 << 20, offset: 0, slotHeader: header(1, 3 << 20), payload: bytes(1, 64, 0, 64)),
                 until: { r[.targetRejected] == 2 }, "larger than every pool")

        // Frame 10: a chunk goes missing (offset 1536 after 0..<1024): aborted.
        try send(try crafter.chunk(epoch: epoch, seq: 10, total: 2048, offset: 0, slotHeader: header(10, 2048), payload: bytes(10, 2048, 0, 1024)),
                 until: { chain.receiver.isAssembling }, "frame 10 first chunk")
        try send(try crafter.chunk(epoch: epoch, seq: 10, total: 2048, offset: 1536, slotHeader: [], payload: bytes(10, 2048, 1536, 512)),
                 until: { r[.framesAborted] == 1 }, "frame 10 missing chunk")
        // Frame 11 interrupted by frame 12 (sequence jump before its end): 11 aborted, 12 completes.
        try send(try crafter.chunk(epoch: epoch, seq: 11, total: 2048, offset: 0, slotHeader: header(11, 2048), payload: bytes(11, 2048, 0, 1024)),
                 until: { chain.receiver.isAssembling }, "frame 11 first chunk")
        try send(try crafter.chunk(epoch: epoch, seq: 12, total: 2048, offset: 0, slotHeader: header(12, 2048), payload: bytes(12, 2048, 0, 1024)),
                 until: { r[.framesAborted] == 2 }, "frame 12 first chunk")
        try send(try crafter.chunk(epoch: epoch, seq: 11, total: 2048, offset: 1024, slotHeader: [], payload: bytes(11, 2048, 1024, 1024)),
                 until: { r[.framesAborted] == 3 }, "late chunk of frame 11 (aborts 12 too)")
        try send(try crafter.chunk(epoch: epoch, seq: 13, total: 2048, offset: 0, slotHeader: header(13, 2048), payload: bytes(13, 2048, 0, 1024)),
                 until: { chain.receiver.isAssembling }, "frame 13 first chunk")
        try send(try crafter.chunk(epoch: epoch + 1, seq: 13, total: 2048, offset: 1024, slotHeader: [], payload: bytes(13, 2048, 1024, 1024)),
                 until: { r[.framesAborted] == 4 }, "frame 13 continued by another epoch")
        try send(try crafter.chunk(epoch: epoch, seq: 14, total: 2048, offset: 0, slotHeader: header(14, 2048), payload: bytes(14, 2048, 0, 1024)),
                 until: { chain.receiver.isAssembling }, "frame 14 first chunk")
        try send(try crafter.chunk(epoch: epoch, seq: 14, total: 2048, offset: 1024, slotHeader: [], payload: bytes(14, 2048, 1024, 1024)),
                 until: { r[.framesReceived] == 1 }, "frame 14 completed")
        // Frame 15: the sender goes silent mid-frame: aborted by the assembly timeout.
        try send(try crafter.chunk(epoch: epoch, seq: 15, total: 2048, offset: 0, slotHeader: header(15, 2048), payload: bytes(15, 2048, 0, 1024)),
                 until: { r[.assemblyTimeouts] == 1 }, "frame 15 timed out")
        #expect(r[.framesAborted] == 5)

        // Only frame 14 reached the local stream, intact; the receiver still works for the real sender.
        try chain.pump(timeoutS: 0.3) { false }
        try chain.sendFrame(TensorLayout(dtype: .uint8, shape: [256]))
        let records = chain.consumer.handler.records
        #expect(records.count == 2)
        #expect(records.first?.sourceEpoch == epoch && records.first?.sourceSeq == 14)
        #expect(records.last?.sourceEpoch == chain.source.epoch && records.last?.sourceSeq == 0)
        #expect(records.allSatisfy { $0.intactPattern })
        #expect(chain.consumer.handler.torn == 0)
        #expect(r[.malformedMessages] == 3 && r[.invalidChunks] == 7 && r[.invalidHeaders] == 3, "\(describe(r))")
    }
}
