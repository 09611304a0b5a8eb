/// A fixed array of `MAX_DIMS` (8) int32 values: the `dims` or `strides` of a slot header.
///
/// Stored inline (no heap) as the wire's little-endian int32[8] image, so decoding copies the 32 bytes from
/// the codec's array view in one move and allocates nothing.
public struct TensorDims: Equatable, Sendable, CustomStringConvertible {
    @usableFromInline var storage: (Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32)

    /// All zeros.
    @inlinable public init() { storage = (0, 0, 0, 0, 0, 0, 0, 0) }

    /// The given values followed by zeros (at most 8 values are used).
    public init(_ values: [Int32]) {
        self.init()
        for (i, v) in values.prefix(RegionLayout.maxDims).enumerated() { self[i] = v }
    }

    /// Copies a wire image (little-endian int32[8], e.g. a codec's `dimsBytes`).
    @inlinable
    init(wireBytes: UnsafeRawBufferPointer) {
        self.init()
        withUnsafeMutableBytes(of: &storage) { target in
            target.copyMemory(from: UnsafeRawBufferPointer(rebasing: wireBytes.prefix(32)))
        }
    }

    @inlinable public subscript(index: Int) -> Int32 {
        get {
            precondition(index >= 0 && index < 8, "dimension index out of range")
            return withUnsafeBytes(of: storage) { $0.load(fromByteOffset: index * 4, as: Int32.self) }
        }
        set {
            precondition(index >= 0 && index < 8, "dimension index out of range")
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: newValue, toByteOffset: index * 4, as: Int32.self) }
        }
    }

    @inlinable public static func == (lhs: TensorDims, rhs: TensorDims) -> Bool {
        withUnsafeBytes(of: lhs.storage) { l in withUnsafeBytes(of: rhs.storage) { r in l.elementsEqual(r) } }
    }

    /// The first `count` values as an array (diagnostics; allocates).
    public func prefix(_ count: Int) -> [Int32] { (0..<max(0, min(count, 8))).map { self[$0] } }

    public var description: String { "\(prefix(8))" }
}

#if _endian(big)
#error("TensorPoolCore copies little-endian wire images: big-endian hosts are out of scope in v1.1 (spec §15.1)")
#endif
