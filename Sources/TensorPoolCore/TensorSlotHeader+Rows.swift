extension TensorSlotHeader {
    /// `rows_filled` of the finished frame: `dims[0]` for a row-major layout, `nil` otherwise (column-major,
    /// unknown order, `ndims` 0, non-positive `dims[0]`). A producer puts it in the COMPLETE update of a frame whose
    /// progress reported rows.
    @inlinable
    public var completeRows: UInt32? {
        guard majorOrderRaw == MajorOrder.row.rawValue, ndims >= 1, dims[0] > 0 else { return nil }
        return UInt32(dims[0])
    }

    /// Whether a frame staged with this header starts its progress with `rows_filled = 0` (STARTED): a row-major
    /// layout of 2 or more dimensions whose rows are readable (``rowGeometry`` is `.rows`), the layouts whose progress
    /// reports rows. With a padded pitch a STARTED without rows would reach row readers as an informational byte
    /// prefix (refused) rather than as the empty row prefix it is.
    @inlinable
    public var startedRows: Bool {
        guard ndims >= 2, case .rows = rowGeometry else { return false }
        return true
    }

    /// The row geometry `rows_filled` refers to (spec §10.2.2), or why this header has none: the layout must be
    /// row-major (`.rowsNeedRowMajor`), with an element size (not BIT) and dimensions `1 ..< ndims` densely packed
    /// within a row (`.rowNotDense`). The row pitch is `strides[0]` (0: the row size). Returns a geometry with
    /// ``FilledRows/count`` 0. Meaningful for a header that passed ``validate(headerIndex:poolStrideBytes:)``,
    /// which guarantees `pitch >= rowBytes` and that all `dims[0]` rows fit in `values_len_bytes`. Allocates nothing.
    @inlinable
    public var rowGeometry: RowGeometryResult {
        let n = Int(ndims)
        guard n >= 1, n <= RegionLayout.maxDims else { return .refused(.rowNotDense) }
        guard majorOrderRaw == MajorOrder.row.rawValue else { return .refused(.rowsNeedRowMajor) }
        guard let elementSize = dtype.elementSize else { return .refused(.rowNotDense) }
        var rowBytes = elementSize
        var i = n - 1
        while i >= 1 {
            let explicit = Int(strides[i])
            if explicit != 0 && explicit != rowBytes { return .refused(.rowNotDense) }
            let (next, overflow) = rowBytes.multipliedReportingOverflow(by: Int(dims[i]))
            if overflow || next <= 0 { return .refused(.rowNotDense) }
            rowBytes = next
            i -= 1
        }
        let explicitPitch = Int(strides[0])
        let pitch = explicitPitch == 0 ? rowBytes : explicitPitch
        // validate() already rejects a pitch below the row size (overlapping rows); repeated so this stays safe alone.
        guard pitch >= rowBytes else { return .refused(.rowNotDense) }
        return .rows(FilledRows(count: 0, rowBytes: rowBytes, pitch: pitch))
    }
}

/// The outcome of ``TensorSlotHeader/rowGeometry``: the row size and pitch (with no row counted yet), or the
/// refusal that applies to `rows_filled` for this layout.
public enum RowGeometryResult: Equatable, Sendable {
    /// Row-major, dense within a row: `rows_filled` is readable.
    case rows(FilledRows)
    /// `rows_filled` cannot be interpreted for this layout (``FramePrefixRefusal/rowsNeedRowMajor`` or
    /// ``FramePrefixRefusal/rowNotDense``).
    case refused(FramePrefixRefusal)
}
