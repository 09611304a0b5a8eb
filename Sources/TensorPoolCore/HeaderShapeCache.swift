/// The shape of the last slot header found valid (dtype, major order, ndims, dims, strides) and its extent, so
/// the stride-rule walk of ``TensorSlotHeader/validate(headerIndex:poolStrideBytes:)`` runs once per shape
/// instead of once per frame: a stream's frames normally share one layout, and the producer and every consumer
/// validated each frame's unchanged layout again (~130 instructions each).
///
/// Validation is a pure function of the header's fields, the slot index and the pool stride; the cache keeps
/// only the part that depends on the shape fields alone (the extent), keyed by all of them bit for bit, so a hit
/// gives exactly the verdict a full validation would. Owned by one reader or writer (one thread).
public struct HeaderShapeCache {
    @usableFromInline var valid = false
    @usableFromInline var dtypeRaw: Int16 = 0
    @usableFromInline var majorOrderRaw: Int16 = 0
    @usableFromInline var ndims: UInt8 = 0
    @usableFromInline var dims = TensorDims()
    @usableFromInline var strides = TensorDims()
    @usableFromInline var extent = 0

    /// An empty cache (the first header is validated in full).
    @inlinable public init() {}

    /// The cached extent when `header` has exactly the cached shape.
    @inlinable
    func extent(of header: borrowing TensorSlotHeader) -> Int? {
        guard valid, header.dtypeRaw == dtypeRaw, header.majorOrderRaw == majorOrderRaw, header.ndims == ndims,
              Self.sameBits(header.dims, dims), Self.sameBits(header.strides, strides) else { return nil }
        return extent
    }

    @inlinable
    mutating func remember(_ header: borrowing TensorSlotHeader, extent: Int) {
        dtypeRaw = header.dtypeRaw
        majorOrderRaw = header.majorOrderRaw
        ndims = header.ndims
        dims = header.dims
        strides = header.strides
        self.extent = extent
        valid = true
    }

    /// Compares the 32-byte images as four 64-bit words (eight 32-bit compares otherwise).
    @inlinable
    static func sameBits(_ a: TensorDims, _ b: TensorDims) -> Bool {
        typealias Words = (UInt64, UInt64, UInt64, UInt64)
        let x = unsafeBitCast(a.storage, to: Words.self)
        let y = unsafeBitCast(b.storage, to: Words.self)
        return (x.0 ^ y.0) | (x.1 ^ y.1) | (x.2 ^ y.2) | (x.3 ^ y.3) == 0
    }
}
