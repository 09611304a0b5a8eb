/// Why ``SeqlockReader/withPrefix(frameId:headerIndex:bytesFilled:_:)`` or
/// ``SeqlockReader/withRows(frameId:headerIndex:rowsFilled:bytesFilled:_:)`` did not hand out the filled prefix (or
/// rows) of a frame in progress (spec §10.2.2). Returned as a value: a refusal is normal (a producer that does not stage its
/// layout at claim, a late update) or the sign of a hostile message, never a reason to trap.
public enum FramePrefixRefusal: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// `header_index` is outside the mapped ring.
    case headerIndexOutOfRange(UInt32)
    /// The slot's commit word names another frame: the producer already reclaimed the slot for a later frame (a
    /// late update), or has not claimed it for this one yet (a forged or reordered update).
    case slotHoldsOtherFrame(found: UInt64)
    /// The commit word names this frame but the header still carries another `frame_id`: the producer claimed the
    /// slot without staging the frame's header (layout unknown until commit), so no prefix layout is known.
    /// (A never-written slot's header is zeroed, `frame_id` 0: an unstaged frame 0 in it is refused as
    /// ``invalidHeader(_:)``, `ndims` 0, instead.)
    case headerNotStaged(found: UInt64)
    /// The staged header fails §8.2 validation (unknown dtype, overlapping strides, pool unknown, ...).
    case invalidHeader(HeaderValidationFailure)
    /// `payload_offset != 0`: §10.2.2 makes `payload_bytes_filled` informational only.
    case payloadOffsetNotZero(UInt32)
    /// The strides do not describe a densely packed tensor: §10.2.2 makes `payload_bytes_filled` informational
    /// only (the prefix is not a prefix of the elements in storage order).
    case nonContiguousStrides
    /// `payload_bytes_filled` exceeds the staged `values_len_bytes` (itself within the pool stride).
    case filledBeyondPayload(filled: UInt64, valuesLenBytes: UInt32)
    /// `rows_filled` was sent for a layout that is not row-major: rows of a column-major tensor are not contiguous
    /// runs of bytes, so the count cannot be read as rows (spec §10.2.2: "rows count for row-major sensors").
    case rowsNeedRowMajor
    /// `rows_filled` was sent for a layout whose rows are not dense (an inner dimension `1 ..< ndims` has a padded
    /// stride), not byte-addressable (BIT) or of a size that overflows: a row is not one run of bytes, so the rows
    /// are not handed out.
    case rowNotDense
    /// `rows_filled` exceeds `dims[0]`, the tensor's row count.
    case rowsFilledBeyondDims(rowsFilled: UInt32, rows: Int32)
    /// The filled rows do not fit in `values_len_bytes` from `payload_offset` (or their extent overflows): never seen
    /// for a header that passed validation, checked anyway so a read never leaves the payload.
    case rowsBeyondPayload(rowsFilled: UInt32, valuesLenBytes: UInt32)

    /// The refusal with the values that caused it, using the spec's field names (for logs and `tp` output).
    public var description: String {
        switch self {
        case .headerIndexOutOfRange(let i): "header_index \(i) out of range"
        case .slotHoldsOtherFrame(let f): "slot holds frame \(f)"
        case .headerNotStaged(let f): "header not staged (header frame_id \(f))"
        case .invalidHeader(let why): "invalid header: \(why)"
        case .payloadOffsetNotZero(let o): "payload_offset \(o) != 0: progress is informational only"
        case .nonContiguousStrides: "non-contiguous strides: progress is informational only"
        case .filledBeyondPayload(let f, let v): "payload_bytes_filled \(f) exceeds values_len_bytes \(v)"
        case .rowsNeedRowMajor: "rows_filled needs a row-major layout: progress is informational only"
        case .rowNotDense: "rows are not dense (padded inner stride or BIT): progress is informational only"
        case .rowsFilledBeyondDims(let r, let d): "rows_filled \(r) exceeds dims[0] \(d)"
        case .rowsBeyondPayload(let r, let v): "rows_filled \(r) rows do not fit values_len_bytes \(v)"
        }
    }
}
