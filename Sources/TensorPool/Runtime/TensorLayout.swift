import TensorPoolCore

/// Element type, shape, byte strides and major order of a tensor (the `TensorSlotHeader256` fields a producer
/// fills, spec §8.2). Build it once and reuse it: publishing with it allocates nothing.
public struct TensorLayout: Sendable, Equatable {
    /// Element type (spec §15.8 registry), written to the slot header's `dtype`; together with the shape it fixes
    /// `values_len_bytes` for contiguous layouts.
    public var dtype: Dtype
    /// Row-major (last index fastest) or column-major (first index fastest); decides how zero strides are inferred.
    public var majorOrder: MajorOrder
    /// Number of dimensions (1...8).
    public var ndims: UInt8
    /// Extent of each dimension (first `ndims` used).
    public var dims: TensorDims
    /// Byte stride of each dimension; 0 = contiguous, inferred from the shape, dtype and major order.
    public var strides: TensorDims

    /// - Parameters:
    ///   - shape: 1...8 positive extents.
    ///   - strides: byte strides per dimension, or `nil` for contiguous.
    public init(dtype: Dtype, shape: [Int], strides: [Int]? = nil, majorOrder: MajorOrder = .row) {
        self.dtype = dtype
        self.majorOrder = majorOrder
        ndims = UInt8(clamping: min(shape.count, 8))
        dims = TensorDims(shape.map { Int32(clamping: $0) })
        self.strides = TensorDims((strides ?? []).map { Int32(clamping: $0) })
    }

    /// Number of elements (product of the shape).
    public var elementCount: Int {
        var count = 1
        for i in 0..<Int(ndims) { count = count.multipliedReportingOverflow(by: Int(dims[i])).partialValue }
        return count
    }

    /// Bytes of a contiguous tensor of this shape and dtype (`nil` for dtypes without an element size, e.g. BIT,
    /// where it is `ceil(count / 8)`).
    public var contiguousByteCount: Int {
        if let size = dtype.elementSize { return elementCount * size }
        return (elementCount + 7) / 8
    }

    /// The shape as an array (allocates; diagnostics).
    public var shape: [Int] { dims.prefix(Int(ndims)).map(Int.init) }

    /// The header fields (frame id, slot, pool and timestamp are filled by the producer).
    @inlinable
    func header(valuesLength: Int, timestampNs: UInt64, metaVersion: UInt32) -> TensorSlotHeader {
        TensorSlotHeader(frameId: 0, timestampNs: timestampNs, metaVersion: metaVersion,
                         valuesLenBytes: UInt32(truncatingIfNeeded: valuesLength), payloadSlot: 0, payloadOffset: 0,
                         poolId: 0, dtype: dtype, majorOrder: majorOrder, ndims: ndims, dims: dims, strides: strides)
    }
}
