import SharedMemory

/// The fields of a `TensorSlotHeader256` other than `commit_word` (§8.2), as plain values.
///
/// Enumerations are kept as raw wire values (`dtypeRaw`, `majorOrderRaw`) so that a header with an unknown value
/// decodes and is then rejected by ``validate(headerIndex:poolStrideBytes:)`` (§15.8) instead of trapping.
/// Encoding and decoding allocate nothing.
public struct TensorSlotHeader: Equatable, Sendable {
    public var frameId: UInt64
    public var timestampNs: UInt64
    public var metaVersion: UInt32
    public var valuesLenBytes: UInt32
    public var payloadSlot: UInt32
    public var payloadOffset: UInt32
    public var poolId: UInt16
    public var dtypeRaw: Int16
    public var majorOrderRaw: Int16
    public var ndims: UInt8
    public var dims: TensorDims
    /// Byte strides; 0 = inferred contiguous (see ``validate(headerIndex:poolStrideBytes:)``).
    public var strides: TensorDims

    public init(
        frameId: UInt64 = 0, timestampNs: UInt64 = 0, metaVersion: UInt32 = 0, valuesLenBytes: UInt32 = 0,
        payloadSlot: UInt32 = 0, payloadOffset: UInt32 = 0, poolId: UInt16 = 0, dtype: Dtype = .uint8,
        majorOrder: MajorOrder = .row, ndims: UInt8 = 0, dims: TensorDims = TensorDims(), strides: TensorDims = TensorDims()
    ) {
        self.frameId = frameId
        self.timestampNs = timestampNs
        self.metaVersion = metaVersion
        self.valuesLenBytes = valuesLenBytes
        self.payloadSlot = payloadSlot
        self.payloadOffset = payloadOffset
        self.poolId = poolId
        self.dtypeRaw = dtype.rawValue
        self.majorOrderRaw = majorOrder.rawValue
        self.ndims = ndims
        self.dims = dims
        self.strides = strides
    }

    /// The element type, `nil` for a value outside the registry (setting `nil` writes UNKNOWN).
    @inlinable public var dtype: Dtype? {
        get { Dtype(rawValue: dtypeRaw) }
        set { dtypeRaw = newValue?.rawValue ?? Dtype.unknown.rawValue }
    }
    /// The major order, `nil` for a value outside the registry (setting `nil` writes UNKNOWN).
    @inlinable public var majorOrder: MajorOrder? {
        get { MajorOrder(rawValue: majorOrderRaw) }
        set { majorOrderRaw = newValue?.rawValue ?? MajorOrder.unknown.rawValue }
    }

    /// Decodes the header of the slot starting at `offset` (plain loads; `commit_word` is not read).
    @inlinable
    public init(from buffer: AtomicBuffer, slotOffset offset: Int) {
        typealias F = RegionLayout.SlotHeader
        frameId = buffer.uint64(at: offset + F.frameId)
        timestampNs = buffer.uint64(at: offset + F.timestampNs)
        metaVersion = buffer.uint32(at: offset + F.metaVersion)
        valuesLenBytes = buffer.uint32(at: offset + F.valuesLenBytes)
        payloadSlot = buffer.uint32(at: offset + F.payloadSlot)
        payloadOffset = buffer.uint32(at: offset + F.payloadOffset)
        poolId = buffer.uint16(at: offset + F.poolId)
        dtypeRaw = buffer.int16(at: offset + F.dtype)
        majorOrderRaw = buffer.int16(at: offset + F.majorOrder)
        ndims = buffer.uint8(at: offset + F.ndims)
        dims = TensorDims()
        strides = TensorDims()
        for i in 0..<RegionLayout.maxDims {
            dims[i] = buffer.int32(at: offset + F.dims + 4 * i)
            strides[i] = buffer.int32(at: offset + F.strides + 4 * i)
        }
    }

    /// Encodes every field except `commit_word` into the slot at `offset` (all 8 dims/strides, `pad_align` 0).
    /// The opaque padding is left as is (§8.2: reserved for the producer, ignored by consumers).
    @inlinable
    public func write(to buffer: AtomicBuffer, slotOffset offset: Int) {
        typealias F = RegionLayout.SlotHeader
        buffer.setUInt64(frameId, at: offset + F.frameId)
        buffer.setUInt64(timestampNs, at: offset + F.timestampNs)
        buffer.setUInt32(metaVersion, at: offset + F.metaVersion)
        buffer.setUInt32(valuesLenBytes, at: offset + F.valuesLenBytes)
        buffer.setUInt32(payloadSlot, at: offset + F.payloadSlot)
        buffer.setUInt32(payloadOffset, at: offset + F.payloadOffset)
        buffer.setUInt16(poolId, at: offset + F.poolId)
        buffer.setInt16(dtypeRaw, at: offset + F.dtype)
        buffer.setInt16(majorOrderRaw, at: offset + F.majorOrder)
        buffer.setUInt8(ndims, at: offset + F.ndims)
        buffer.setUInt8(0, at: offset + F.padAlign)
        for i in 0..<RegionLayout.maxDims {
            buffer.setInt32(dims[i], at: offset + F.dims + 4 * i)
            buffer.setInt32(strides[i], at: offset + F.strides + 4 * i)
        }
    }
}
