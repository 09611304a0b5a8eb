/// A fixed array of `MAX_DIMS` (8) int32 values: the `dims` or `strides` of a slot header.
///
/// Stored inline (no heap), so decoding a header allocates nothing.
public struct TensorDims: Equatable, Sendable, CustomStringConvertible {
    @usableFromInline var storage: InlineArray<8, Int32>

    /// All zeros.
    @inlinable public init() { storage = InlineArray(repeating: 0) }

    /// The given values followed by zeros (at most 8 values are used).
    public init(_ values: [Int32]) {
        storage = InlineArray(repeating: 0)
        for (i, v) in values.prefix(RegionLayout.maxDims).enumerated() { storage[i] = v }
    }

    @inlinable public subscript(index: Int) -> Int32 {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    @inlinable public static func == (lhs: TensorDims, rhs: TensorDims) -> Bool {
        for i in 0..<8 where lhs.storage[i] != rhs.storage[i] { return false }
        return true
    }

    /// The first `count` values as an array (diagnostics; allocates).
    public func prefix(_ count: Int) -> [Int32] { (0..<max(0, min(count, 8))).map { storage[$0] } }

    public var description: String { "\(prefix(8))" }
}
