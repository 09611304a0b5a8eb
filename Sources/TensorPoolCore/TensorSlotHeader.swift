import SharedMemory
import TensorPoolCodecs

/// The fields of a `TensorSlotHeader256` other than `commit_word` (§8.2), as plain values.
///
/// Enumerations are kept as raw wire values (`dtypeRaw`, `majorOrderRaw`) so that a header with an unknown value
/// decodes and is then rejected by ``validate(headerIndex:poolStrideBytes:)`` (§15.8) instead of trapping.
/// Encoding and decoding go through the generated `TensorSlotHeader256Encoder`/`Decoder` flyweights and
/// allocate nothing. `commit_word` is never touched here: it belongs to ``SlotWriter`` and ``SeqlockReader``,
/// which access it atomically.
public struct TensorSlotHeader: Equatable, Sendable {
    /// `frame_id`: the frame's sequence number; must equal `FrameDescriptor.seq` and the seq in `commit_word`.
    public var frameId: UInt64
    /// `timestamp_ns`: the producer's capture time in nanoseconds.
    public var timestampNs: UInt64
    /// `meta_version`: the `DataSourceMeta` version in force when the frame was produced.
    public var metaVersion: UInt32
    /// `values_len_bytes`: payload length; at most the pool's stride.
    public var valuesLenBytes: UInt32
    /// `payload_slot`: payload slot index in the pool (equals the header index in v1.1).
    public var payloadSlot: UInt32
    /// `payload_offset`: payload start within the slot (0 in v1.1); `payload_offset + values_len_bytes` must fit the stride.
    public var payloadOffset: UInt32
    /// `pool_id`: the pool holding the payload.
    public var poolId: UInt16
    /// Raw `dtype`, kept undecoded so an unknown element type is rejected by validation, not trapped on.
    public var dtypeRaw: Int16
    /// Raw `major_order`, kept undecoded for the same reason as ``dtypeRaw``.
    public var majorOrderRaw: Int16
    /// `ndims`: how many entries of ``dims`` and ``strides`` are used (1 ... 8).
    public var ndims: UInt8
    /// Extent of each dimension; entries past ``ndims`` are zero.
    public var dims: TensorDims
    /// Byte strides; 0 = inferred contiguous (see ``validate(headerIndex:poolStrideBytes:)``).
    public var strides: TensorDims

    /// A header with these fields; the defaults describe an empty `uint8` frame, so tests set only what they check.
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

    /// The element type (`.unrecognized` for a value outside the registry).
    @inlinable public var dtype: Dtype {
        get { Dtype(rawValue: dtypeRaw) }
        set { dtypeRaw = newValue.rawValue }
    }
    /// The major order (`.unrecognized` for a value outside the registry).
    @inlinable public var majorOrder: MajorOrder {
        get { MajorOrder(rawValue: majorOrderRaw) }
        set { majorOrderRaw = newValue.rawValue }
    }

    /// Decodes the slot header that starts at byte `offset` of `buffer` (plain loads; `commit_word` is not read).
    /// Throws when the 256-byte slot does not fit in the buffer.
    @inlinable
    public init(from buffer: AtomicBuffer, slotOffset offset: Int) throws(SBEError) {
        let d = try TensorSlotHeader256Decoder(wrap: UnsafeRawPointer(buffer.base), offset: offset, capacity: buffer.capacity)
        frameId = d.frameId
        timestampNs = d.timestampNs
        metaVersion = d.metaVersion
        valuesLenBytes = d.valuesLenBytes
        payloadSlot = d.payloadSlot
        payloadOffset = d.payloadOffset
        poolId = d.poolId
        // Raw wire values straight from the block (the enum round trip is a two-switch detour per frame).
        let block = d.sbeBuffer + d.sbeOffset
        dtypeRaw = Int16(littleEndian: block.loadUnaligned(fromByteOffset: TensorSlotHeader256Decoder.dtypeOffset, as: Int16.self))
        majorOrderRaw = Int16(littleEndian: block.loadUnaligned(fromByteOffset: TensorSlotHeader256Decoder.majorOrderOffset, as: Int16.self))
        ndims = d.ndims
        dims = TensorDims(wireBytes: d.dimsBytes)
        strides = TensorDims(wireBytes: d.stridesBytes)
    }

    /// Encodes every field except `commit_word` into the slot that starts at byte `offset` (all 8 dims/strides,
    /// `pad_align` 0). The opaque padding is left as is (§8.2: reserved for the producer, ignored by consumers).
    /// Throws when the slot does not fit in the buffer.
    @inlinable
    public func write(to buffer: AtomicBuffer, slotOffset offset: Int) throws(SBEError) {
        let e = try TensorSlotHeader256Encoder(wrap: buffer.base, offset: offset, capacity: buffer.capacity)
        e.frameId = frameId
        e.timestampNs = timestampNs
        e.metaVersion = metaVersion
        e.valuesLenBytes = valuesLenBytes
        e.payloadSlot = payloadSlot
        e.payloadOffset = payloadOffset
        e.poolId = poolId
        e.ndims = ndims
        e.padAlign = 0
        // Raw enum values and the two int32[8] arrays stored directly at the flyweight's offsets (the slot is in
        // bounds: the encoder checked 256 bytes): per-element setters cost 16 bounds-checked calls per frame.
        let block = e.sbeBuffer + e.sbeOffset
        block.storeBytes(of: dtypeRaw.littleEndian, toByteOffset: TensorSlotHeader256Encoder.dtypeOffset, as: Int16.self)
        block.storeBytes(of: majorOrderRaw.littleEndian, toByteOffset: TensorSlotHeader256Encoder.majorOrderOffset, as: Int16.self)
        // Unchanged shapes are not rewritten: see storeWireImageIfChanged.
        dims.storeWireImageIfChanged(to: block + TensorSlotHeader256Encoder.dimsOffset)
        strides.storeWireImageIfChanged(to: block + TensorSlotHeader256Encoder.stridesOffset)
    }
}
