import TensorPoolCore

/// A typed, read-only view of a frame's tensor, valid only inside ``TensorFrame/withTensor(of:_:)``'s closure
/// (it is non-copyable and handed out borrowed, so it cannot be stored).
///
/// Indexing follows the header's byte strides, or contiguous strides derived from the shape and major order
/// (row-major: last index fastest; column-major: first index fastest). Out-of-range indices trap, like an
/// `Array` subscript (a programming error, not input-driven: the shape was validated against `values_len_bytes`
/// before the view was made).
public struct TensorView<Element: TensorElement>: ~Copyable {
    @usableFromInline let base: UnsafeRawPointer
    /// Number of dimensions.
    public let rank: Int
    @usableFromInline let dims: TensorDims
    @usableFromInline let byteStrides: TensorDims

    @usableFromInline
    init(base: UnsafeRawPointer, header: TensorSlotHeader) {
        self.base = base
        rank = Int(header.ndims)
        dims = header.dims
        var strides = TensorDims()
        var required = MemoryLayout<Element>.stride
        let n = Int(header.ndims)
        for step in 0..<n {
            let i = header.majorOrder == .column ? step : n - 1 - step
            let explicit = Int(header.strides[i])
            let stride = explicit == 0 ? required : explicit
            strides[i] = Int32(truncatingIfNeeded: stride)
            required = stride * Int(header.dims[i])
        }
        byteStrides = strides
    }

    /// Extent of dimension `axis`.
    @inlinable public func extent(_ axis: Int) -> Int {
        precondition(axis >= 0 && axis < rank, "axis out of range")
        return Int(dims[axis])
    }

    /// Byte stride of dimension `axis` (explicit or inferred).
    @inlinable public func byteStride(_ axis: Int) -> Int {
        precondition(axis >= 0 && axis < rank, "axis out of range")
        return Int(byteStrides[axis])
    }

    /// Number of elements.
    public var count: Int {
        var c = 1
        for i in 0..<rank { c *= Int(dims[i]) }
        return c
    }

    @inlinable func offset(_ axis: Int, _ index: Int) -> Int {
        precondition(index >= 0 && index < Int(dims[axis]), "index out of range")
        return index * Int(byteStrides[axis])
    }

    @inlinable func load(_ byteOffset: Int) -> Element {
        base.loadUnaligned(fromByteOffset: byteOffset, as: Element.self)
    }

    /// Element `i` of a rank-1 tensor; traps when the rank is not 1 or `i` is outside `0..<extent(0)`.
    @inlinable public subscript(i: Int) -> Element {
        precondition(rank == 1, "rank-1 subscript on a rank-\(rank) tensor")
        return load(offset(0, i))
    }

    /// Element (`i`, `j`) of a rank-2 tensor (e.g. row, column of an image), following the byte strides; traps on a
    /// rank or index out of range.
    @inlinable public subscript(i: Int, j: Int) -> Element {
        precondition(rank == 2, "rank-2 subscript on a rank-\(rank) tensor")
        return load(offset(0, i) + offset(1, j))
    }

    /// Element (`i`, `j`, `k`) of a rank-3 tensor (e.g. row, column, channel); traps on a rank or index out of range.
    @inlinable public subscript(i: Int, j: Int, k: Int) -> Element {
        precondition(rank == 3, "rank-3 subscript on a rank-\(rank) tensor")
        return load(offset(0, i) + offset(1, j) + offset(2, k))
    }

    /// Element (`i`, `j`, `k`, `l`) of a rank-4 tensor (e.g. batch, channel, row, column); traps on a rank or index
    /// out of range.
    @inlinable public subscript(i: Int, j: Int, k: Int, l: Int) -> Element {
        precondition(rank == 4, "rank-4 subscript on a rank-\(rank) tensor")
        return load(offset(0, i) + offset(1, j) + offset(2, k) + offset(3, l))
    }

    /// Element at a full index (any rank up to 8).
    @inlinable public subscript(index index: TensorDims) -> Element {
        var byteOffset = 0
        for axis in 0..<rank { byteOffset += offset(axis, Int(index[axis])) }
        return load(byteOffset)
    }

    /// Calls `body` with every element in storage-independent logical order (last index fastest).
    @inlinable public func forEach(_ body: (Element) -> Void) {
        guard rank > 0 else { return }
        var index = TensorDims()
        let total = count
        for _ in 0..<total {
            body(self[index: index])
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < dims[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
    }
}
