import SharedMemory

extension SeqlockReader {
    /// Runs `body` over the first filled rows of frame `frameId`, a row-major frame the producer may still be
    /// writing with a padded row pitch and a `payload_offset` (spec §10.2.2: `rows_filled` for a consumer that
    /// understands the row layout), and returns its result only if the slot held that frame for the whole call.
    ///
    /// The slot and header checks, the commit-word check before and after `body`, the `.torn` outcome and what it
    /// means for the closure's side effects are those of ``withPrefix(frameId:headerIndex:bytesFilled:_:)``. The
    /// layout checks differ:
    /// - the header must be row-major (else ``FramePrefixRefusal/rowsNeedRowMajor``) with dimensions
    ///   `1 ..< ndims` dense within a row and an element size (else ``FramePrefixRefusal/rowNotDense``); the row
    ///   pitch is `strides[0]` (0: the row size) and `payload_offset` may be anything validation accepts;
    /// - `rowsFilled` must not exceed `dims[0]` (else ``FramePrefixRefusal/rowsFilledBeyondDims(rowsFilled:rows:)``)
    ///   and the rows must end within `values_len_bytes` (else ``FramePrefixRefusal/rowsBeyondPayload(rowsFilled:valuesLenBytes:)``;
    ///   validation already implies it, the check is repeated with overflow-checked arithmetic).
    ///
    /// How `payload_bytes_filled` (`bytesFilled`) combines with `rows_filled`:
    /// - rows packed (`pitch == rowBytes`) and `payload_offset == 0`, i.e. the layout is contiguous and the byte
    ///   prefix is a row prefix: both counts describe the same bytes, so `bytesFilled` must not exceed
    ///   `values_len_bytes` (else ``FramePrefixRefusal/filledBeyondPayload(filled:valuesLenBytes:)``, as for
    ///   ``withPrefix(frameId:headerIndex:bytesFilled:_:)``) and when they disagree the smaller prefix wins:
    ///   `min(rowsFilled, bytesFilled / rowBytes)` rows are handed out;
    /// - otherwise (padded pitch, `payload_offset > 0`) `payload_bytes_filled` is informational only (§10.2.2):
    ///   it is neither trusted nor checked, and the rows win.
    ///
    /// `body` receives the header, the ``FilledRows`` geometry (rows handed out, row size, pitch) and the raw bytes
    /// from the start of row 0 (`payload_offset` into the slot) to the end of the last handed-out row: nothing past
    /// that row is in the span. The padding between rows is (the span is one range); step rows with
    /// ``FilledRows/byteRange(ofRow:)``. Zero rows give an empty span. Nothing here waits or allocates.
    @inlinable
    public func withRows<R>(
        frameId: UInt64, headerIndex: UInt32, rowsFilled: UInt32, bytesFilled: UInt64,
        _ body: (_ header: TensorSlotHeader, _ rows: FilledRows, _ span: RawSpan) -> R
    ) -> FramePrefixRead<R> {
        let slot: StagedSlot
        switch lookUpStaged(frameId: frameId, headerIndex: headerIndex) {
        case .staged(let staged): slot = staged
        case .refused(let reason): return .refused(reason)
        case .torn: return .torn
        }
        let header = slot.header
        let commitOffset = slot.commitOffset
        let geometry: FilledRows
        switch header.rowGeometry {
        case .rows(let g): geometry = g
        case .refused(let reason): return prefixRefusal(reason, commitOffset, frameId)
        }
        let rows = Int(header.dims[0])
        guard Int(rowsFilled) <= rows else {
            return prefixRefusal(.rowsFilledBeyondDims(rowsFilled: rowsFilled, rows: header.dims[0]), commitOffset, frameId)
        }
        var count = Int(rowsFilled)
        if geometry.isPacked && header.payloadOffset == 0 {
            guard bytesFilled <= UInt64(header.valuesLenBytes) else {
                return prefixRefusal(.filledBeyondPayload(filled: bytesFilled, valuesLenBytes: header.valuesLenBytes),
                                     commitOffset, frameId)
            }
            count = min(count, Int(bytesFilled) / geometry.rowBytes)
        }
        let filled = FilledRows(count: count, rowBytes: geometry.rowBytes, pitch: geometry.pitch)
        // (count - 1) * pitch + rowBytes <= values_len_bytes, overflow-checked: rows never leave the payload.
        var span = 0
        if count > 0 {
            let (steps, o1) = (count - 1).multipliedReportingOverflow(by: filled.pitch)
            let (end, o2) = steps.addingReportingOverflow(filled.rowBytes)
            guard !o1, !o2, end <= Int(header.valuesLenBytes) else {
                return prefixRefusal(.rowsBeyondPayload(rowsFilled: rowsFilled, valuesLenBytes: header.valuesLenBytes),
                                     commitOffset, frameId)
            }
            span = end
        }
        // validate() passed: payload_offset + values_len_bytes (>= span) fits the pool stride.
        let pool = poolTable.entries[slot.poolIndex]
        let start = RegionLayout.payloadSlotOffset(slot.index, strideBytes: pool.strideBytes) + Int(header.payloadOffset)
        let bytes = pool.buffer.bytes(at: start, count: span)
        let result = body(header, filled, unsafe RawSpan(_unsafeBytes: bytes))
        return stillNames(frameId, commitOffset: commitOffset) ? .intact(result) : .torn
    }
}
