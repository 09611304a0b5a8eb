import MallocCounter
import SharedMemory
import Testing
@testable import TensorPoolCore

/// Prefix reads of a frame still being written (spec §10.2.2): `SeqlockReader.withPrefix`.
@Suite struct FramePrefixReadTests {
    /// A 1-D UINT8 header for `count` bytes in pool 1, with `strides`/`dims` overridable for layout tests.
    static func header(count: Int, dims: [Int32]? = nil, strides: [Int32] = [], majorOrder: MajorOrder = .row,
                       payloadOffset: UInt32 = 0) -> TensorSlotHeader {
        let dims = dims ?? [Int32(count)]
        return TensorSlotHeader(valuesLenBytes: UInt32(count), payloadOffset: payloadOffset, poolId: 1, dtype: .uint8,
                                majorOrder: majorOrder, ndims: UInt8(dims.count), dims: TensorDims(dims),
                                strides: TensorDims(strides))
    }

    /// Copies of the prefix read as an array (nil when not intact).
    static func prefix(_ f: SeqlockFixture, _ frameId: UInt64, filled: UInt64) -> FramePrefixRead<[UInt8]> {
        f.reader.withPrefix(frameId: frameId, headerIndex: UInt32(frameId % UInt64(f.nslots)), bytesFilled: filled) { _, span in
            span.withUnsafeBytes { Array($0) }
        }
    }

    @Test func growingFillsHandOutExactlyTheBytesWritten() throws {
        let f = try SeqlockFixture()
        #expect(f.publish(2))                                   // slot 2 held frame 2 before
        let claim = try #require(f.writer.claim(frameId: 10, poolId: 1))
        // Bytes past the fill must never be handed out: poison them.
        claim.payload.initializeMemory(as: UInt8.self, repeating: 0xAA)
        #expect(f.writer.stage(claim, header: Self.header(count: 1000)) == nil)
        let expected = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        #expect(Self.prefix(f, 10, filled: 0) == .intact([]))
        var filled = 0
        for step in [1, 63, 200, 136, 300, 300] {
            for i in filled..<(filled + step) { claim.payload[i] = expected[i] }
            filled += step
            #expect(Self.prefix(f, 10, filled: UInt64(filled)) == .intact(Array(expected[0..<filled])))
        }
        // The frame is not committed yet: the seqlock read of the whole frame still drops it.
        #expect(f.reader.withFrame(seq: 10, headerIndex: 2) { _, _ in 0 }.drop == .notCommitted)
        f.writer.commitStaged(claim, timestampNs: 9)
        // Once committed, a late update of the same frame still reads an intact prefix (and the header is the staged one).
        #expect(Self.prefix(f, 10, filled: 500) == .intact(Array(expected[0..<500])))
        let header = try #require(f.reader.withPrefix(frameId: 10, headerIndex: 2, bytesFilled: 0) { h, _ in h }.value)
        #expect(header.frameId == 10 && header.valuesLenBytes == 1000 && header.payloadSlot == 2 && header.poolId == 1)
    }

    @Test func aLateUpdateAfterTheSlotWasReclaimedIsRefused() throws {
        let f = try SeqlockFixture()
        let claim = try #require(f.writer.claim(frameId: 3, poolId: 1))
        #expect(f.writer.stage(claim, header: Self.header(count: 64)) == nil)
        f.writer.commitStaged(claim, timestampNs: 1)
        let next = try #require(f.writer.claim(frameId: 11, poolId: 1))   // same slot, later frame
        #expect(Self.prefix(f, 3, filled: 64) == .refused(.slotHoldsOtherFrame(found: 11)))
        f.writer.abort(next)
        // An update for a frame the producer has not reached in that slot is refused the same way.
        #expect(Self.prefix(f, 19, filled: 0) == .refused(.slotHoldsOtherFrame(found: 11)))
    }

    /// The re-check must come after the bytes were read: the closure reclaims its own slot (a lapping producer).
    @Test func aSlotReclaimedDuringTheReadIsTorn() throws {
        let f = try SeqlockFixture()
        let claim = try #require(f.writer.claim(frameId: 5, poolId: 1))
        #expect(f.writer.stage(claim, header: Self.header(count: 256)) == nil)
        FramePattern.fill(claim.payload, frameId: 5, count: 256)
        var sawPattern = false
        let result = f.reader.withPrefix(frameId: 5, headerIndex: 5, bytesFilled: 128) { _, span in
            sawPattern = FramePattern.matches(span, frameId: 5)
            _ = f.writer.claim(frameId: 13, poolId: 1)
            return 1
        }
        #expect(sawPattern)
        #expect(result == .torn)
    }

    @Test func progressForAClaimWithoutStagedHeaderIsRefused() throws {
        let f = try SeqlockFixture()
        #expect(f.publish(1))
        let claim = try #require(f.writer.claim(frameId: 9, poolId: 1))   // no stage: header still says frame 1
        FramePattern.fill(claim.payload, frameId: 9, count: 64)
        #expect(Self.prefix(f, 9, filled: 64) == .refused(.headerNotStaged(found: 1)))
    }

    @Test func payloadOffsetOrNonContiguousStridesMakeProgressInformational() throws {
        let f = try SeqlockFixture()
        // payload_offset 64 (valid for the seqlock read, but not prefix-readable).
        let a = try #require(f.writer.claim(frameId: 0, poolId: 1))
        #expect(f.writer.stage(a, header: Self.header(count: 128, payloadOffset: 64)) == nil)
        #expect(Self.prefix(f, 0, filled: 16) == .refused(.payloadOffsetNotZero(64)))
        // Row-major 4x16 with rows padded to 32 bytes.
        let b = try #require(f.writer.claim(frameId: 1, poolId: 1))
        #expect(f.writer.stage(b, header: Self.header(count: 128, dims: [4, 16], strides: [32, 1])) == nil)
        #expect(Self.prefix(f, 1, filled: 16) == .refused(.nonContiguousStrides))
        // Column-major 16x4 with padded columns.
        let c = try #require(f.writer.claim(frameId: 2, poolId: 1))
        #expect(f.writer.stage(c, header: Self.header(count: 128, dims: [16, 4], strides: [1, 32], majorOrder: .column)) == nil)
        #expect(Self.prefix(f, 2, filled: 16) == .refused(.nonContiguousStrides))
        // Explicit strides equal to the dense ones are contiguous (both major orders).
        let d = try #require(f.writer.claim(frameId: 3, poolId: 1))
        #expect(f.writer.stage(d, header: Self.header(count: 64, dims: [4, 16], strides: [16, 1])) == nil)
        #expect(Self.prefix(f, 3, filled: 16).value?.count == 16)
        let e = try #require(f.writer.claim(frameId: 4, poolId: 1))
        #expect(f.writer.stage(e, header: Self.header(count: 64, dims: [16, 4], strides: [1, 16], majorOrder: .column)) == nil)
        #expect(Self.prefix(f, 4, filled: 64).value?.count == 64)
    }

    @Test func hostileUpdatesAreRefusedNotTrapped() throws {
        let f = try SeqlockFixture()
        let claim = try #require(f.writer.claim(frameId: 6, poolId: 1))
        #expect(f.writer.stage(claim, header: Self.header(count: 100)) == nil)
        // Beyond values_len_bytes, beyond the stride, at the top of UInt64.
        #expect(Self.prefix(f, 6, filled: 101) == .refused(.filledBeyondPayload(filled: 101, valuesLenBytes: 100)))
        let huge = UInt64(f.stride) * 4
        #expect(Self.prefix(f, 6, filled: huge) == .refused(.filledBeyondPayload(filled: huge, valuesLenBytes: 100)))
        #expect(Self.prefix(f, 6, filled: .max) == .refused(.filledBeyondPayload(filled: .max, valuesLenBytes: 100)))
        // header_index outside the ring, or not the frame's slot.
        #expect(f.reader.withPrefix(frameId: 6, headerIndex: 8, bytesFilled: 1) { _, _ in 0 } == .refused(.headerIndexOutOfRange(8)))
        #expect(f.reader.withPrefix(frameId: 6, headerIndex: .max, bytesFilled: 1) { _, _ in 0 } == .refused(.headerIndexOutOfRange(.max)))
        #expect(f.reader.withPrefix(frameId: 6, headerIndex: 5, bytesFilled: 1) { _, _ in 0 } == .refused(.slotHoldsOtherFrame(found: 0)))
        // A staged header that fails validation (written raw, as a broken producer would).
        var bad = Self.header(count: 100)
        bad.frameId = 6
        bad.payloadSlot = 6
        bad.dtypeRaw = 99
        try bad.write(to: f.regions.headerRing.buffer, slotOffset: RegionLayout.headerSlotOffset(6))
        #expect(Self.prefix(f, 6, filled: 1) == .refused(.invalidHeader(.unknownDtype(99))))
    }

    @Test func prefixReadsAllocateNothing() throws {
        let f = try SeqlockFixture()
        let claim = try #require(f.writer.claim(frameId: 4, poolId: 1))
        #expect(f.writer.stage(claim, header: Self.header(count: 512)) == nil)
        FramePattern.fill(claim.payload, frameId: 4, count: 512)
        func readAll() -> Int {
            var intact = 0
            for k in 0..<64 {
                let filled = UInt64((k % 64) * 8)
                let r = f.reader.withPrefix(frameId: 4, headerIndex: 4, bytesFilled: filled) { _, span in
                    FramePattern.matches(span, frameId: 4)
                }
                if case .intact(true) = r { intact += 1 }
                // Refusals are values too.
                if case .refused = f.reader.withPrefix(frameId: 4, headerIndex: 4, bytesFilled: 4096, { _, _ in false }) { intact += 0 }
                if case .refused = f.reader.withPrefix(frameId: 12, headerIndex: 4, bytesFilled: 8, { _, _ in false }) { intact += 0 }
            }
            return intact
        }
        _ = readAll()
        let before = malloc_counter_thread_allocations()
        var intact = 0
        for _ in 0..<50 { intact += readAll() }
        let allocations = malloc_counter_thread_allocations() - before
        #expect(intact == 50 * 64)
        #expect(allocations == 0)
    }
}
