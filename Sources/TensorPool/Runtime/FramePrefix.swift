import TensorPoolCore

/// The filled part of a frame still being written, as seen by a consumer whose handler reads progress prefixes
/// (spec §10.2.2), valid only during ``TensorFrameHandler/onProgressPrefix(_:)``: it is non-copyable and passed
/// borrowed, so neither it nor its bytes can escape the read.
///
/// Two kinds of read produce it:
/// - a **byte prefix** `[0, payload_bytes_filled)` of a contiguous layout with `payload_offset == 0` (``rows`` is
///   `nil`): ``withBytes(_:)`` hands out exactly those bytes;
/// - a **row read** of the first `rows_filled` rows of a row-major layout, possibly with a padded row pitch and a
///   `payload_offset` (``rows`` is set), when the handler sets ``TensorFrameHandler/readsProgressRows`` and the
///   update carries `rows_filled`: use ``withRow(_:_:)`` or ``withTensor(of:_:)``, which never reach past the last
///   filled row nor into the padding; ``withBytes(_:)`` is the raw range from row 0 to the end of the last filled
///   row, padding between rows included. For a contiguous layout the smaller of the two counts wins (see
///   ``SeqlockReader/withRows(frameId:headerIndex:rowsFilled:bytesFilled:_:)``).
///
/// The safety rule: the producer staged the frame's header at claim
/// (``TensorPoolProducer/claim(byteCount:layout:metaVersion:nowNs:)``) and sent the `FrameProgress` only after
/// these bytes were written, so they are final, unless the producer reclaims the slot for a later frame during
/// the callback. The consumer re-checks the slot's commit word after the callback and then calls
/// ``TensorFrameHandler/onProgressPrefixCompleted(frameId:intact:)``: with `intact == false` everything read here
/// may be torn and must be discarded.
public struct FramePrefix: ~Copyable {
    /// The `FrameProgress` update this prefix belongs to (frame id, slot, bytes and rows filled, state).
    public let progress: FrameProgressUpdate
    /// The slot header staged by the producer for this frame (dtype, shape, strides, `values_len_bytes`,
    /// `meta_version`); its `timestamp_ns` is not meaningful before the commit.
    public let header: TensorSlotHeader
    /// Duty-cycle time at which the prefix was read (`CLOCK_MONOTONIC`).
    public let nowNs: UInt64
    /// For a row read: the rows handed out (count, row size, pitch); `nil` for a byte prefix.
    public let rows: FilledRows?
    @usableFromInline let payload: UnsafeRawBufferPointer

    @usableFromInline
    init(progress: FrameProgressUpdate, header: TensorSlotHeader, nowNs: UInt64, payload: UnsafeRawBufferPointer,
         rows: FilledRows? = nil) {
        self.progress = progress
        self.header = header
        self.nowNs = nowNs
        self.payload = payload
        self.rows = rows
    }

    /// The frame's sequence number (`frame_id`, the `seq` its `FrameDescriptor` will carry).
    public var frameId: UInt64 { progress.frameId }
    /// Bytes handed out: `payload_bytes_filled` (at most `values_len_bytes`) for a byte prefix; for a row read, the
    /// bytes from the start of row 0 to the end of the last filled row (``FilledRows/spanBytes``).
    public var byteCount: Int { payload.count }
    /// Rows handed out by a row read (at most `rows_filled` and `dims[0]`); `nil` for a byte prefix.
    public var rowsFilled: Int? { rows?.count }
    /// Complete slices along the outermost dimension in the prefix (rows of a row-major image, columns of a
    /// column-major one): for a byte prefix `byteCount` divided by the bytes of one slice, for a row read the rows
    /// handed out. 0 for BIT tensors (packed bits).
    public var completeOuterSlices: Int {
        if let rows { return rows.count }
        guard let elementSize = header.dtype.elementSize, header.ndims >= 1 else { return 0 }
        let n = Int(header.ndims)
        let outer = header.majorOrder == .column ? n - 1 : 0
        var sliceBytes = elementSize
        for i in 0..<n where i != outer { sliceBytes = sliceBytes.multipliedReportingOverflow(by: Int(header.dims[i])).partialValue }
        return sliceBytes > 0 ? payload.count / sliceBytes : 0
    }

    /// Runs `body` over the bytes handed out (do not keep the pointer): the byte prefix, or for a row read the range
    /// spanning the filled rows, padding between rows included (step rows with ``rows``, or use ``withRow(_:_:)``).
    @inlinable
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(payload)
    }

    /// Runs `body` over the bytes of filled row `row` of a row read (``FilledRows/rowBytes`` bytes, no padding; do
    /// not keep the pointer). Traps when this is not a row read or `row` is outside `0 ..< rowsFilled` (a
    /// programming error, like an `Array` index).
    @inlinable
    public func withRow<R>(_ row: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard let rows else { preconditionFailure("withRow on a byte prefix: check rows != nil") }
        let range = rows.byteRange(ofRow: row)
        return try body(UnsafeRawBufferPointer(rebasing: payload[range]))
    }

    /// Runs `body` with a typed view of the filled part of the tensor: the staged shape with its outermost dimension
    /// cut to the filled slices (``completeOuterSlices``: `dims[0]` = rows handed out for a row read or a row-major
    /// byte prefix, the last dimension for a column-major byte prefix), following the header's strides, so a padded
    /// pitch is stepped over. Indexing a slice that is not filled traps, like ``TensorView`` does for any index out
    /// of range. Throws when `Element` does not match the dtype, or for dtypes without an element size.
    @inlinable
    public func withTensor<Element: TensorElement, R>(
        of type: Element.Type, _ body: (borrowing TensorView<Element>) throws -> R
    ) throws -> R {
        let dtype = header.dtype
        guard dtype.elementSize != nil else { throw TensorAccessError.noElementSize(dtype) }
        guard dtype == Element.dtype else { throw TensorAccessError.dtypeMismatch(requested: Element.dtype, actual: dtype) }
        var filled = header
        let n = Int(header.ndims)
        if n >= 1 {
            let outer = rows == nil && header.majorOrder == .column ? n - 1 : 0
            filled.dims[outer] = Int32(truncatingIfNeeded: completeOuterSlices)
        }
        guard let base = payload.baseAddress else {
            let empty = UnsafeRawPointer(bitPattern: MemoryLayout<Element>.alignment)!
            return try body(TensorView<Element>(base: empty, header: filled))
        }
        return try body(TensorView<Element>(base: base, header: filled))
    }
}
