import SharedMemory
import Testing
@testable import TensorPoolCore

@Suite struct HeaderValidationTests {
    /// A valid 4x6 float32 row-major tensor in slot 2 of a 4096-byte-stride pool 1.
    static func base() -> TensorSlotHeader {
        TensorSlotHeader(
            frameId: 10, timestampNs: 1, metaVersion: 1, valuesLenBytes: 96, payloadSlot: 2, payloadOffset: 0,
            poolId: 1, dtype: .float32, majorOrder: .row, ndims: 2, dims: TensorDims([4, 6]), strides: TensorDims())
    }

    static let cases: [(String, @Sendable (inout TensorSlotHeader) -> Void, HeaderValidationFailure?)] = [
        ("valid inferred", { _ in }, nil),
        ("valid explicit contiguous", { $0.strides = TensorDims([24, 4]) }, nil),
        ("valid padded rows", { $0.strides = TensorDims([32, 4]); $0.valuesLenBytes = 3 * 32 + 24 }, nil),
        ("valid column-major", { $0.majorOrder = .column; $0.strides = TensorDims([4, 16]) }, nil),
        ("valid 8 dims", { $0.ndims = 8; $0.dims = TensorDims([1, 1, 1, 1, 1, 1, 4, 6]) }, nil),
        ("valid mixed zero", { $0.strides = TensorDims([0, 8]); $0.valuesLenBytes = 4 * 48 }, nil),
        ("valid bit packed", { $0.dtype = .bit; $0.dims = TensorDims([3, 5]); $0.valuesLenBytes = 2 }, nil),
        ("valid values_len larger than extent", { $0.valuesLenBytes = 4096 }, nil),
        ("ndims 0", { $0.ndims = 0 }, .ndimsOutOfRange(0)),
        ("ndims 9", { $0.ndims = 9 }, .ndimsOutOfRange(9)),
        ("dtype UNKNOWN", { $0.dtypeRaw = 0 }, .unknownDtype(0)),
        ("dtype 12 (unassigned)", { $0.dtypeRaw = 12 }, .unknownDtype(12)),
        ("dtype 99", { $0.dtypeRaw = 99 }, .unknownDtype(99)),
        ("major order UNKNOWN", { $0.majorOrderRaw = 0 }, .unknownMajorOrder(0)),
        ("major order 3", { $0.majorOrderRaw = 3 }, .unknownMajorOrder(3)),
        ("dim zero", { $0.dims = TensorDims([4, 0]) }, .nonPositiveDim(index: 1, value: 0)),
        ("dim negative", { $0.dims = TensorDims([-4, 6]) }, .nonPositiveDim(index: 0, value: -4)),
        ("negative stride", { $0.strides = TensorDims([24, -4]) }, .negativeStride(index: 1, value: -4)),
        ("inner stride below element", { $0.strides = TensorDims([24, 2]) }, .overlappingStride(index: 1, stride: 2, required: 4)),
        ("overlapping rows", { $0.strides = TensorDims([20, 4]) }, .overlappingStride(index: 0, stride: 20, required: 24)),
        ("column-major strides in a row-major header", { $0.strides = TensorDims([4, 16]) }, .overlappingStride(index: 0, stride: 4, required: 96)),
        ("extent beyond values_len", { $0.valuesLenBytes = 95 }, .extentExceedsValuesLen(extent: 96, valuesLenBytes: 95)),
        ("padded rows beyond values_len", { $0.strides = TensorDims([32, 4]) }, .extentExceedsValuesLen(extent: 120, valuesLenBytes: 96)),
        ("bit with strides", { $0.dtype = .bit; $0.strides = TensorDims([1, 1]) }, .stridesWithBitDtype),
        ("values_len beyond stride", { $0.valuesLenBytes = 4097 }, .valuesLenExceedsStride(end: 4097, strideBytes: 4096)),
        ("offset pushes beyond stride", { $0.payloadOffset = 4090 }, .valuesLenExceedsStride(end: 4186, strideBytes: 4096)),
        ("payload_slot != header_index", { $0.payloadSlot = 3 }, .payloadSlotMismatch(payloadSlot: 3, headerIndex: 2)),
        ("huge dims overflow", { $0.dims = TensorDims([Int32.max, Int32.max]); $0.strides = TensorDims([Int32.max, 0]) }, .overlappingStride(index: 0, stride: Int32.max, required: 4 * Int(Int32.max))),
    ]

    @Test(arguments: 0..<cases.count)
    func validatesHeaders(_ i: Int) {
        let (name, mutate, expected) = Self.cases[i]
        var header = Self.base()
        mutate(&header)
        #expect(header.validate(headerIndex: 2, poolStrideBytes: 4096) == expected, "\(name)")
    }

    @Test func unknownPoolIsRejected() {
        #expect(Self.base().validate(headerIndex: 2, poolStrideBytes: nil) == .unknownPool(1))
    }

    @Test func overflowingExtentIsRejectedNotTrapped() {
        var header = Self.base()
        header.dtype = .float64
        header.ndims = 8
        header.dims = TensorDims(Array(repeating: Int32.max, count: 8))
        #expect(header.validate(headerIndex: 2, poolStrideBytes: 4096) == .extentExceedsValuesLen(extent: Int.max, valuesLenBytes: 96))
    }

    @Test func encodesAndDecodesAtTheSchemaOffsets() throws {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: 256, alignment: 64)
        defer { raw.deallocate() }
        raw.initializeMemory(as: UInt8.self, repeating: 0xAB, count: 256)
        let buffer = AtomicBuffer(base: raw, capacity: 256)
        var header = Self.base()
        header.ndims = 3
        header.dims = TensorDims([2, 3, 4])
        header.strides = TensorDims([48, 16, 4])
        try header.write(to: buffer, slotOffset: 0)
        #expect(try TensorSlotHeader(from: buffer, slotOffset: 0) == header)
        #expect(throws: SBEError.self) { try TensorSlotHeader(from: buffer, slotOffset: 1) }
        #expect(throws: SBEError.self) { try header.write(to: buffer, slotOffset: 8) }
        #expect(buffer.uint64(at: 0) == 0xABAB_ABAB_ABAB_ABAB)   // commit_word untouched
        #expect(buffer.uint64(at: 8) == 10)                     // frame_id
        #expect(buffer.uint32(at: 28) == 96)                    // values_len_bytes
        #expect(buffer.uint32(at: 32) == 2)                     // payload_slot
        #expect(buffer.uint16(at: 40) == 1)                     // pool_id
        #expect(buffer.int16(at: 42) == 9)                      // dtype FLOAT32
        #expect(buffer.int16(at: 44) == 1)                      // major_order ROW
        #expect(buffer.uint8(at: 46) == 3)                      // ndims
        #expect(buffer.uint8(at: 47) == 0)                      // pad_align
        #expect(buffer.int32(at: 48) == 2 && buffer.int32(at: 56) == 4 && buffer.int32(at: 60) == 0)
        #expect(buffer.int32(at: 80) == 48 && buffer.int32(at: 88) == 4 && buffer.int32(at: 108) == 0)
        #expect(buffer.uint8(at: 112) == 0xAB && buffer.uint8(at: 255) == 0xAB) // padding left to the producer
    }

    /// `validate` derives element sizes from raw dtype values (no enum round trip): it must agree with
    /// `Dtype.elementSize` for every raw value, assigned or not.
    @Test func validationAgreesWithDtypeElementSizes() {
        for raw in Int16(-2)...20 {
            var header = Self.base()
            header.dtypeRaw = raw
            header.ndims = 1
            header.dims = TensorDims([8])
            let dtype = Dtype(rawValue: raw)
            if let size = dtype.elementSize {
                header.valuesLenBytes = UInt32(8 * size)
                #expect(header.validate(headerIndex: 2, poolStrideBytes: 4096) == nil, "dtype \(raw)")
                header.valuesLenBytes -= 1
                #expect(header.validate(headerIndex: 2, poolStrideBytes: 4096)
                        == .extentExceedsValuesLen(extent: 8 * size, valuesLenBytes: UInt32(8 * size - 1)), "dtype \(raw)")
            } else if dtype == .bit {
                header.valuesLenBytes = 1
                #expect(header.validate(headerIndex: 2, poolStrideBytes: 4096) == nil)
                header.valuesLenBytes = 0
                #expect(header.validate(headerIndex: 2, poolStrideBytes: 4096) == .extentExceedsValuesLen(extent: 1, valuesLenBytes: 0))
            } else {
                #expect(header.validate(headerIndex: 2, poolStrideBytes: 4096) == .unknownDtype(raw), "dtype \(raw)")
            }
        }
    }

    @Test func dtypeNamesAndSizes() {
        #expect(Dtype.float32.displayName == "FLOAT32" && Dtype.float32.elementSize == 4)
        #expect(Dtype(rawValue: 12).displayName == "UNRECOGNIZED(12)" && Dtype(rawValue: 12).elementSize == nil)
        #expect(Dtype.bit.elementSize == nil && Dtype.unknown.elementSize == nil)
        #expect([Dtype.uint16, .int16].allSatisfy { $0.elementSize == 2 })
        #expect([Dtype.uint64, .int64, .float64].allSatisfy { $0.elementSize == 8 })
        #expect(MajorOrder.column.rawValue == 2 && RegionType.payloadPool.rawValue == 2)
    }
}
