/// Where the filled rows of a row-major frame in progress lie (spec §10.2.2 `rows_filled`), as handed to the body of
/// ``SeqlockReader/withRows(frameId:headerIndex:rowsFilled:bytesFilled:_:)`` next to the raw bytes spanning them.
///
/// Row `r` (`0 ..< count`) occupies bytes `r * pitch ..< r * pitch + rowBytes` of that span; the `pitch - rowBytes`
/// bytes after each row but the last are the layout's padding, which the producer need not have written: step rows
/// with ``byteRange(ofRow:)`` instead of reading the span as one block.
public struct FilledRows: Equatable, Hashable, Sendable {
    /// Rows handed out: `rows_filled`, or fewer when a contiguous layout's `payload_bytes_filled` covers fewer
    /// complete rows (the smaller prefix wins). At most `dims[0]`.
    public let count: Int
    /// Bytes of one row: element size times the extents of dimensions `1 ..< ndims` (dense within a row).
    public let rowBytes: Int
    /// Bytes from one row's start to the next: `strides[0]`, or ``rowBytes`` when it is 0 (inferred). Never below
    /// ``rowBytes``.
    public let pitch: Int

    /// Geometry of `count` rows of `rowBytes` bytes, `pitch` bytes apart (`pitch >= rowBytes`, `count >= 0`).
    @inlinable
    public init(count: Int, rowBytes: Int, pitch: Int) {
        self.count = count
        self.rowBytes = rowBytes
        self.pitch = pitch
    }

    /// Bytes from the start of row 0 to the end of the last filled row: `(count - 1) * pitch + rowBytes`, 0 when no
    /// row is filled. The padding after the last filled row is not included.
    @inlinable
    public var spanBytes: Int { count == 0 ? 0 : (count - 1) * pitch + rowBytes }

    /// Whether the rows follow each other with no padding (`pitch == rowBytes`): the span is then exactly the
    /// rows' bytes.
    @inlinable
    public var isPacked: Bool { pitch == rowBytes }

    /// Offsets of row `row`'s bytes within the span; traps when `row` is outside `0 ..< count` (a programming
    /// error, like an `Array` index).
    @inlinable
    public func byteRange(ofRow row: Int) -> Range<Int> {
        precondition(row >= 0 && row < count, "row index out of range")
        let start = row * pitch
        return start ..< start + rowBytes
    }
}
