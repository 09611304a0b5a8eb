extension TensorSlotHeader {
    /// True when every stride is 0 (inferred) or equal to the densely packed stride of its dimension (element size
    /// times the extents of the inner dimensions, innermost per ``majorOrder``): the tensor's elements then occupy
    /// `[0, extent)` in storage order with no gaps, which is what makes a byte prefix an element prefix (spec
    /// §10.2.2). Meaningful for a header that passed ``validate(headerIndex:poolStrideBytes:)``; BIT tensors
    /// (packed, zero strides) are dense.
    @inlinable
    public var hasDenseStrides: Bool {
        let n = Int(ndims)
        guard n >= 1, n <= RegionLayout.maxDims else { return false }
        var required = dtype.elementSize ?? 0
        let rowMajor = majorOrderRaw == MajorOrder.row.rawValue
        for step in 0..<n {
            let i = rowMajor ? n - 1 - step : step
            let explicit = Int(strides[i])
            if explicit != 0 && explicit != required { return false }
            let (next, overflow) = required.multipliedReportingOverflow(by: Int(dims[i]))
            if overflow { return false }
            required = next
        }
        return true
    }
}
