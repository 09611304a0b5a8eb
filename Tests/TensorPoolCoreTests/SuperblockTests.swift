import SharedMemory
import Testing
@testable import TensorPoolCore

@Suite struct SuperblockTests {
    static func sample() -> Superblock {
        Superblock(
            epoch: 7, streamId: 1000, regionType: .payloadPool, poolId: 3, nslots: 8, slotBytes: 4096,
            strideBytes: 4096, pid: 4242, startTimestampNs: 11, activityTimestampNs: 12)
    }

    static func expectation() -> RegionExpectation {
        .payloadPool(epoch: 7, streamId: 1000, poolId: 3, nslots: 8, strideBytes: 4096)
    }

    func withBuffer<R>(_ body: (AtomicBuffer) throws -> R) throws -> R {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)
        defer { raw.deallocate() }
        raw.initializeMemory(as: UInt8.self, repeating: 0xEE, count: 64)
        return try body(AtomicBuffer(base: raw, capacity: 64))
    }

    @Test func roundTripsEveryField() throws {
        try withBuffer { buffer in
            let sb = Self.sample()
            try sb.write(to: buffer)
            #expect(try Superblock(from: buffer) == sb)
            #expect(try Superblock(from: buffer).mismatches(against: Self.expectation()).isEmpty)
            #expect(try Superblock(from: buffer).firstMismatch(against: Self.expectation()) == nil)
        }
    }

    @Test func encodesTheSpecLayoutLittleEndian() throws {
        try withBuffer { buffer in
            try Self.sample().write(to: buffer)
            let bytes = Array(buffer.bytes(at: 0, count: 64))
            // magic 0x544F504C53484D31 stored little-endian
            #expect(Array(bytes[0..<8]) == [0x31, 0x4D, 0x48, 0x53, 0x4C, 0x50, 0x4F, 0x54])
            #expect(Array(bytes[8..<12]) == [1, 0, 0, 0])              // layout_version
            #expect(Array(bytes[12..<20]) == [7, 0, 0, 0, 0, 0, 0, 0])  // epoch (unaligned by SBE packing)
            #expect(Array(bytes[20..<24]) == [0xE8, 0x03, 0, 0])        // stream_id 1000
            #expect(Array(bytes[24..<26]) == [2, 0])                    // region_type PAYLOAD_POOL
            #expect(Array(bytes[26..<28]) == [3, 0])                    // pool_id
            #expect(Array(bytes[28..<32]) == [8, 0, 0, 0])              // nslots
            #expect(Array(bytes[32..<36]) == [0, 0x10, 0, 0])           // slot_bytes
            #expect(Array(bytes[36..<40]) == [0, 0x10, 0, 0])           // stride_bytes
            #expect(buffer.uint64(at: 40) == 4242)                       // pid
            #expect(buffer.uint64(at: 48) == 11)
            #expect(buffer.uint64(at: 56) == 12)
        }
    }

    /// One case per validated field: the corrupted superblock is rejected naming that field and both values.
    static let corruptions: [(SuperblockField, @Sendable (inout Superblock) -> Void, UInt64, UInt64)] = [
        (.magic, { $0.magic = 0x1122_3344_5566_7788 }, RegionLayout.magic, 0x1122_3344_5566_7788),
        (.layoutVersion, { $0.layoutVersion = 2 }, 1, 2),
        (.epoch, { $0.epoch = 6 }, 7, 6),
        (.streamId, { $0.streamId = 1001 }, 1000, 1001),
        (.regionType, { $0.regionTypeRaw = 1 }, 2, 1),
        (.poolId, { $0.poolId = 4 }, 3, 4),
        (.nslots, { $0.nslots = 16 }, 8, 16),
        (.slotBytes, { $0.slotBytes = 256 }, 4096, 256),
        (.strideBytes, { $0.strideBytes = 8192 }, 4096, 8192),
    ]

    @Test(arguments: 0..<corruptions.count)
    func reportsEachMismatchByField(_ i: Int) throws {
        let (field, corrupt, expected, actual) = Self.corruptions[i]
        try withBuffer { buffer in
            var sb = Self.sample()
            corrupt(&sb)
            try sb.write(to: buffer)
            let decoded = try Superblock(from: buffer)
            let mismatch = SuperblockMismatch(field: field, expected: expected, actual: actual)
            #expect(decoded.mismatches(against: Self.expectation()) == [mismatch])
            #expect(decoded.firstMismatch(against: Self.expectation()) == mismatch)
            #expect(throws: mismatch) { try decoded.validate(against: Self.expectation()) }
            let message = mismatch.description
            #expect(message.contains(field.rawValue))
            if field == .magic {
                #expect(message.contains(String(expected, radix: 16, uppercase: true)))
                #expect(message.contains(String(actual, radix: 16, uppercase: true)))
            } else {
                #expect(message.contains("expected \(expected)"))
                #expect(message.contains("found \(actual)"))
            }
        }
    }

    @Test func undefinedRegionTypeIsReadAndRejected() throws {
        try withBuffer { buffer in
            var sb = Self.sample()
            sb.regionTypeRaw = 9
            try sb.write(to: buffer)
            let decoded = try Superblock(from: buffer)
            #expect(decoded.regionType == .unrecognized(9))
            #expect(decoded.mismatches(against: Self.expectation()).map(\.field) == [.regionType])
        }
    }

    @Test func livenessFieldsAreNotCompared() throws {
        try withBuffer { buffer in
            var sb = Self.sample()
            sb.pid = 1
            sb.startTimestampNs = 99
            sb.activityTimestampNs = 100
            try sb.write(to: buffer)
            #expect(try Superblock(from: buffer).mismatches(against: Self.expectation()).isEmpty)
        }
    }

    @Test func shortBuffersAreRejectedNotRead() {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: 63, alignment: 8)
        defer { raw.deallocate() }
        #expect(throws: SBEError.self) { try Superblock(from: AtomicBuffer(base: raw, capacity: 63)) }
        #expect(throws: SBEError.self) { try Self.sample().write(to: AtomicBuffer(base: raw, capacity: 63)) }
    }

    /// The layout constants are the generated codecs' offsets: the normative sizes must agree with the schema.
    @Test func layoutAgreesWithTheGeneratedCodecs() {
        #expect(Int(ShmRegionSuperblockDecoder.blockLength) == RegionLayout.superblockSize)
        #expect(Int(TensorSlotHeader256Decoder.blockLength) == RegionLayout.headerSlotBytes)
        #expect(TensorSlotHeader256Decoder.dimsLength == RegionLayout.maxDims)
        #expect(TensorSlotHeader256Decoder.stridesLength == RegionLayout.maxDims)
        #expect(RegionLayout.SlotHeader.commitWord == 0)
        #expect(RegionLayout.Superblock.activityTimestampNs == 56)
        #expect(RegionLayout.SlotHeader.commitWord == TensorSlotHeader256Encoder.commitWordOffset)
        #expect(RegionLayout.Superblock.activityTimestampNs == ShmRegionSuperblockEncoder.activityTimestampNsOffset)
        #expect(RegionLayout.SlotHeader.padding + RegionLayout.SlotHeader.paddingLength == 256)
        // The two atomically accessed words are naturally aligned (8-byte) in every slot and superblock.
        #expect(RegionLayout.SlotHeader.commitWord % 8 == 0 && RegionLayout.Superblock.activityTimestampNs % 8 == 0)
        #expect(RegionLayout.superblockSize % 8 == 0 && RegionLayout.headerSlotBytes % 8 == 0)
    }

    @Test func headerRingExpectationUses256ByteSlots() {
        let e = RegionExpectation.headerRing(epoch: 1, streamId: 2, nslots: 4)
        #expect(e.slotBytes == 256 && e.strideBytes == 256 && e.poolId == 0 && e.regionType == .headerRing)
        #expect(e.regionLength == 64 + 4 * 256)
        #expect(RegionExpectation.payloadPool(epoch: 1, streamId: 2, poolId: 1, nslots: 4, strideBytes: 8192).regionLength == 64 + 4 * 8192)
    }
}
