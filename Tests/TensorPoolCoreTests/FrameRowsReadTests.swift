import MallocCounter
import SharedMemory
import Testing
@testable import TensorPoolCore

/// Row reads of a frame still being written (spec §10.2.2 `rows_filled`): `SeqlockReader.withRows`.
@Suite struct FrameRowsReadTests {
    /// A 10 x 6 UINT16 image (12-byte rows) with a 32-byte row pitch, starting 64 bytes into the slot.
    static let paddedRows = 10, paddedPitch = 32, paddedRowBytes = 12, paddedOffset: UInt32 = 64
    static func paddedHeader() -> TensorSlotHeader {
        TensorSlotHeader(valuesLenBytes: UInt32(paddedRows * paddedPitch), payloadOffset: paddedOffset, poolId: 1,
                         dtype: .uint16, majorOrder: .row, ndims: 2, dims: TensorDims([Int32(paddedRows), 6]),
                         strides: TensorDims([Int32(paddedPitch), 2]))
    }
    /// Element (`row`, `col`) of the padded image as written.
    static func pixel(_ row: Int, _ col: Int) -> UInt16 { UInt16(row * 1000 + col * 7 + 1) }
    /// The bytes of row `row` as written.
    static func rowBytes(_ row: Int) -> [UInt8] {
        (0..<6).flatMap { c in withUnsafeBytes(of: pixel(row, c).littleEndian) { Array($0) } }
    }
    /// Writes row `row` into the claimed slot (after the payload offset, at the pitch).
    static func write(row: Int, into claim: SlotClaim) {
        let start = Int(paddedOffset) + row * paddedPitch
        for (i, b) in rowBytes(row).enumerated() { claim.payload[start + i] = b }
    }

    /// What a row read handed out: each row's bytes through the geometry, the span length and the geometry.
    struct Seen: Equatable {
        var rows: [[UInt8]]
        var spanBytes: Int
        var geometry: FilledRows
    }
    static func read(_ f: SeqlockFixture, _ frameId: UInt64, rows: UInt32, bytes: UInt64) -> FramePrefixRead<Seen> {
        f.reader.withRows(frameId: frameId, headerIndex: UInt32(frameId % UInt64(f.nslots)), rowsFilled: rows,
                          bytesFilled: bytes) { _, geometry, span in
            let rows = (0..<geometry.count).map { r in
                span.extracting(geometry.byteRange(ofRow: r)).withUnsafeBytes { Array($0) }
            }
            return Seen(rows: rows, spanBytes: span.byteCount, geometry: geometry)
        }
    }

    @Test func paddedRowsReadEqualRowsWrittenAndNothingPastTheLastFilledRow() throws {
        let f = try SeqlockFixture()
        #expect(f.publish(3))                                     // slot 3 held frame 3 before
        let claim = try #require(f.writer.claim(frameId: 11, poolId: 1))
        // Padding, the bytes before payload_offset and every row not yet written are poison.
        claim.payload.initializeMemory(as: UInt8.self, repeating: 0xAA)
        #expect(f.writer.stage(claim, header: Self.paddedHeader()) == nil)
        #expect(Self.read(f, 11, rows: 0, bytes: 0) == .intact(Seen(rows: [], spanBytes: 0,
                                                                    geometry: FilledRows(count: 0, rowBytes: 12, pitch: 32))))
        for filled in 1...Self.paddedRows {
            Self.write(row: filled - 1, into: claim)
            // payload_bytes_filled is informational for a padded layout: whatever it says, the rows win.
            for bytes: UInt64 in [0, UInt64(filled * Self.paddedRowBytes), .max] {
                let seen = try #require(Self.read(f, 11, rows: UInt32(filled), bytes: bytes).value)
                #expect(seen.rows == (0..<filled).map(Self.rowBytes))
                #expect(seen.geometry == FilledRows(count: filled, rowBytes: 12, pitch: 32))
                // The span stops at the end of the last filled row: the next row (poison) is never in it.
                #expect(seen.spanBytes == (filled - 1) * Self.paddedPitch + Self.paddedRowBytes)
            }
        }
        f.writer.commitStaged(claim, timestampNs: 1)
        // A late update of the committed frame still reads (the header is the staged one).
        #expect(Self.read(f, 11, rows: 4, bytes: 0).value?.rows == (0..<4).map(Self.rowBytes))
        let header = try #require(f.reader.withRows(frameId: 11, headerIndex: 3, rowsFilled: 1, bytesFilled: 0) { h, _, _ in h }.value)
        #expect(header.payloadOffset == 64 && header.strides[0] == 32 && header.frameId == 11)
    }

    @Test func contiguousRowsAndBytesHandOutTheSmallerPrefix() throws {
        let f = try SeqlockFixture()
        let claim = try #require(f.writer.claim(frameId: 2, poolId: 1))
        claim.payload.initializeMemory(as: UInt8.self, repeating: 0xAA)
        // 8 rows of 16 bytes, dense, payload_offset 0: a byte prefix and a row prefix describe the same bytes.
        let header = TensorSlotHeader(valuesLenBytes: 128, poolId: 1, dtype: .uint8, ndims: 2, dims: TensorDims([8, 16]))
        #expect(f.writer.stage(claim, header: header) == nil)
        for i in 0..<80 { claim.payload[i] = UInt8(i) }          // 5 rows written
        #expect(Self.read(f, 2, rows: 5, bytes: 80).value?.geometry == FilledRows(count: 5, rowBytes: 16, pitch: 16))
        // Rows say 5, bytes 48: only 3 rows are known to be written.
        let three = try #require(Self.read(f, 2, rows: 5, bytes: 48).value)
        #expect(three.rows.count == 3 && three.spanBytes == 48 && three.rows.joined().elementsEqual(0..<48))
        // Bytes say 5 rows and a half, rows 2: 2 rows.
        #expect(Self.read(f, 2, rows: 2, bytes: 88).value?.spanBytes == 32)
        // Bytes beyond values_len_bytes are hostile here (they are not informational for a contiguous layout).
        #expect(Self.read(f, 2, rows: 2, bytes: 129) == .refused(.filledBeyondPayload(filled: 129, valuesLenBytes: 128)))
        #expect(Self.read(f, 2, rows: 8, bytes: 128).value?.rows.count == 8)
        #expect(Self.read(f, 2, rows: 9, bytes: 128) == .refused(.rowsFilledBeyondDims(rowsFilled: 9, rows: 8)))
    }

    @Test func layoutsWithoutReadableRowsAreRefused() throws {
        let f = try SeqlockFixture()
        func stage(_ frameId: UInt64, _ header: TensorSlotHeader) throws {
            let c = try #require(f.writer.claim(frameId: frameId, poolId: 1))
            #expect(f.writer.stage(c, header: header) == nil)
        }
        // Column-major, contiguous or padded.
        try stage(0, TensorSlotHeader(valuesLenBytes: 64, poolId: 1, dtype: .uint8, majorOrder: .column, ndims: 2, dims: TensorDims([16, 4])))
        #expect(Self.read(f, 0, rows: 1, bytes: 16) == .refused(.rowsNeedRowMajor))
        try stage(1, TensorSlotHeader(valuesLenBytes: 128, poolId: 1, dtype: .uint8, majorOrder: .column, ndims: 2,
                                      dims: TensorDims([16, 4]), strides: TensorDims([1, 32])))
        #expect(Self.read(f, 1, rows: 1, bytes: 0) == .refused(.rowsNeedRowMajor))
        // Row-major, but the pixels of a row are padded (3 channels at a 4-byte pixel pitch).
        try stage(2, TensorSlotHeader(valuesLenBytes: 256, poolId: 1, dtype: .uint8, ndims: 3,
                                      dims: TensorDims([4, 8, 3]), strides: TensorDims([64, 4, 1])))
        #expect(Self.read(f, 2, rows: 1, bytes: 0) == .refused(.rowNotDense))
        // Padded innermost stride.
        try stage(3, TensorSlotHeader(valuesLenBytes: 64, poolId: 1, dtype: .uint8, ndims: 2,
                                      dims: TensorDims([4, 8]), strides: TensorDims([16, 2])))
        #expect(Self.read(f, 3, rows: 1, bytes: 0) == .refused(.rowNotDense))
        // BIT: packed bits, no byte rows.
        try stage(4, TensorSlotHeader(valuesLenBytes: 8, poolId: 1, dtype: .bit, ndims: 2, dims: TensorDims([8, 8])))
        #expect(Self.read(f, 4, rows: 1, bytes: 1) == .refused(.rowNotDense))
        // A 3-D row-major image with dense rows and a padded pitch is readable.
        try stage(5, TensorSlotHeader(valuesLenBytes: 512, poolId: 1, dtype: .uint8, ndims: 3,
                                      dims: TensorDims([4, 8, 3]), strides: TensorDims([128, 3, 1])))
        #expect(Self.read(f, 5, rows: 4, bytes: 0).value?.geometry == FilledRows(count: 4, rowBytes: 24, pitch: 128))
        // The byte prefix of the same frames is still refused as before (rows do not change withPrefix).
        #expect(f.reader.withPrefix(frameId: 5, headerIndex: 5, bytesFilled: 24) { _, _ in 0 } == .refused(.nonContiguousStrides))
    }

    @Test func aLateUpdateIsRefusedAndASlotReclaimedDuringTheReadIsTorn() throws {
        let f = try SeqlockFixture()
        let claim = try #require(f.writer.claim(frameId: 4, poolId: 1))
        #expect(f.writer.stage(claim, header: Self.paddedHeader()) == nil)
        for r in 0..<Self.paddedRows { Self.write(row: r, into: claim) }
        var sawRows = false
        let torn = f.reader.withRows(frameId: 4, headerIndex: 4, rowsFilled: 5, bytesFilled: 0) { _, geometry, span in
            sawRows = span.extracting(geometry.byteRange(ofRow: 4)).withUnsafeBytes { Array($0) } == Self.rowBytes(4)
            _ = f.writer.claim(frameId: 12, poolId: 1)              // the producer laps the reader
            return 1
        }
        #expect(sawRows)
        #expect(torn == .torn)
        // After the reclaim, an update for the old frame is refused; so is one for a frame the slot has not reached.
        #expect(Self.read(f, 4, rows: 5, bytes: 0) == .refused(.slotHoldsOtherFrame(found: 12)))
        #expect(Self.read(f, 20, rows: 1, bytes: 0) == .refused(.slotHoldsOtherFrame(found: 12)))
        // A claim without a staged header: not staged (the header still names frame 4).
        #expect(Self.read(f, 12, rows: 1, bytes: 0) == .refused(.headerNotStaged(found: 4)))
    }

    @Test func hostileRowCountsAndShapesAreRefusedNotTrapped() throws {
        let f = try SeqlockFixture()
        let claim = try #require(f.writer.claim(frameId: 6, poolId: 1))
        #expect(f.writer.stage(claim, header: Self.paddedHeader()) == nil)
        for rows: UInt32 in [11, 1 << 31, .max] {
            #expect(Self.read(f, 6, rows: rows, bytes: .max) == .refused(.rowsFilledBeyondDims(rowsFilled: rows, rows: 10)))
        }
        #expect(f.reader.withRows(frameId: 6, headerIndex: 8, rowsFilled: 1, bytesFilled: 0) { _, _, _ in 0 } == .refused(.headerIndexOutOfRange(8)))
        #expect(f.reader.withRows(frameId: 6, headerIndex: .max, rowsFilled: 1, bytesFilled: 0) { _, _, _ in 0 } == .refused(.headerIndexOutOfRange(.max)))
        // Headers a broken producer writes raw: rows * pitch far beyond the payload, and row sizes that overflow.
        func writeRaw(_ dims: [Int32], _ strides: [Int32], dtype: Dtype = .uint8) throws {
            let h = TensorSlotHeader(frameId: 6, valuesLenBytes: 4096, payloadSlot: 6, poolId: 1, dtype: dtype, ndims: UInt8(dims.count),
                                     dims: TensorDims(dims), strides: TensorDims(strides))
            try h.write(to: f.regions.headerRing.buffer, slotOffset: RegionLayout.headerSlotOffset(6))
        }
        try writeRaw([.max, 16], [.max, 1])
        guard case .refused(.invalidHeader(.extentExceedsValuesLen)) = Self.read(f, 6, rows: UInt32(Int32.max), bytes: 0) else {
            Issue.record("a pitch of Int32.max over Int32.max rows must be refused as an invalid header")
            return
        }
        try writeRaw([2, .max, .max, .max], [], dtype: .float64)
        guard case .refused(.invalidHeader) = Self.read(f, 6, rows: 1, bytes: 0) else {
            Issue.record("an overflowing row size must be refused")
            return
        }
        // The geometry alone (no validation) refuses the overflowing row size too, and a pitch below the row size.
        let overflowing = TensorSlotHeader(dtype: .float64, ndims: 4, dims: TensorDims([2, .max, .max, .max]))
        #expect(overflowing.rowGeometry == .refused(.rowNotDense))
        let overlapping = TensorSlotHeader(dtype: .uint8, ndims: 2, dims: TensorDims([4, 16]), strides: TensorDims([8, 0]))
        #expect(overlapping.rowGeometry == .refused(.rowNotDense))
        let negative = TensorSlotHeader(dtype: .uint8, ndims: 0)
        #expect(negative.rowGeometry == .refused(.rowNotDense))
    }

    @Test func rowReadsAllocateNothing() throws {
        let f = try SeqlockFixture()
        let claim = try #require(f.writer.claim(frameId: 5, poolId: 1))
        #expect(f.writer.stage(claim, header: Self.paddedHeader()) == nil)
        for r in 0..<Self.paddedRows { Self.write(row: r, into: claim) }
        let firstPixel = Self.pixel(0, 0)
        func readAll() -> Int {
            var intact = 0
            for k in 0...Self.paddedRows {
                let r = f.reader.withRows(frameId: 5, headerIndex: 5, rowsFilled: UInt32(k), bytesFilled: 0) { _, g, span in
                    g.count == 0 || span.unsafeLoadUnaligned(fromByteOffset: g.byteRange(ofRow: 0).lowerBound, as: UInt16.self) == firstPixel
                }
                if case .intact(true) = r { intact += 1 }
                if case .refused = f.reader.withRows(frameId: 5, headerIndex: 5, rowsFilled: 99, bytesFilled: 0, { _, _, _ in false }) { intact += 0 }
                if case .refused = f.reader.withRows(frameId: 13, headerIndex: 5, rowsFilled: 1, bytesFilled: 0, { _, _, _ in false }) { intact += 0 }
            }
            return intact
        }
        _ = readAll()
        let before = malloc_counter_thread_allocations()
        var intact = 0
        for _ in 0..<50 { intact += readAll() }
        let allocations = malloc_counter_thread_allocations() - before
        #expect(intact == 50 * (Self.paddedRows + 1))
        #expect(allocations == 0)
    }
}
