import TensorPoolCodecs

extension TensorSlotHeader {
    /// Checks the header against §8.2/§15.8 for slot `headerIndex` of a ring whose pool `pool_id` has stride
    /// `poolStrideBytes` (`nil` when the pool is unknown). Returns `nil` when valid. Allocates nothing.
    ///
    /// Stride rule, with `e` the element size and dimensions visited from innermost to outermost (row-major:
    /// `ndims-1` down to 0; column-major: 0 up to `ndims-1`):
    /// - the innermost stride, if non-zero, must be `>= e` (0 means `e`);
    /// - each outer stride, if non-zero, must be `>= dims[inner] * stride[inner]` (0 means exactly that: contiguous);
    /// - the extent is `e + Σ (dims[i] - 1) * stride[i]` and must be `<= values_len_bytes`.
    /// These rules imply a non-overlapping layout that is consistent with `major_order`. Dimensions of size 1 are
    /// not special-cased: their stride must obey the rule too. `BIT` tensors are packed (extent
    /// `ceil(Π dims / 8)`) and must use inferred strides.
    public func validate(headerIndex: UInt32, poolStrideBytes: Int?) -> HeaderValidationFailure? {
        switch shapeExtent() {
        case .failure(let failure): return failure
        case .extent(let extent): return validateRest(extent: extent, headerIndex: headerIndex, poolStrideBytes: poolStrideBytes)
        }
    }

    /// ``validate(headerIndex:poolStrideBytes:)`` with the shape part (the stride-rule walk) looked up in `cache`
    /// first and remembered there when valid. Same verdict as the uncached call for every header.
    @inlinable
    public func validate(headerIndex: UInt32, poolStrideBytes: Int?, cache: inout HeaderShapeCache) -> HeaderValidationFailure? {
        if let extent = cache.extent(of: self) {
            return validateRest(extent: extent, headerIndex: headerIndex, poolStrideBytes: poolStrideBytes)
        }
        switch shapeExtent() {
        case .failure(let failure): return failure
        case .extent(let extent):
            cache.remember(self, extent: extent)
            return validateRest(extent: extent, headerIndex: headerIndex, poolStrideBytes: poolStrideBytes)
        }
    }

    /// The checks that depend on more than the shape: extent against `values_len_bytes`, slot and pool.
    @inlinable
    func validateRest(extent: Int, headerIndex: UInt32, poolStrideBytes: Int?) -> HeaderValidationFailure? {
        guard extent <= Int(valuesLenBytes) else { return .extentExceedsValuesLen(extent: extent, valuesLenBytes: valuesLenBytes) }
        guard payloadSlot == headerIndex else { return .payloadSlotMismatch(payloadSlot: payloadSlot, headerIndex: headerIndex) }
        guard let poolStrideBytes else { return .unknownPool(poolId) }
        let end = Int(payloadOffset) + Int(valuesLenBytes)
        guard end <= poolStrideBytes else { return .valuesLenExceedsStride(end: end, strideBytes: poolStrideBytes) }
        return nil
    }

    /// The shape checks (ndims, dtype, major order, dims, stride rule) and the extent they imply; depends on the
    /// shape fields only (`values_len_bytes` appears in the overflow failure's report, not in the verdict).
    @usableFromInline
    func shapeExtent() -> ShapeExtent {
        guard ndims >= 1, Int(ndims) <= RegionLayout.maxDims else { return .failure(.ndimsOutOfRange(ndims)) }
        // Element size from the raw wire value (building the `Dtype` enum costs two switches per frame); the table
        // is `Dtype.elementSize` (a test checks they agree); 0 = BIT, no element size.
        let elementSizeOrBit: Int
        switch dtypeRaw {
        case 1, 2, 11, 13: elementSizeOrBit = 1
        case 3, 4: elementSizeOrBit = 2
        case 5, 6, 9: elementSizeOrBit = 4
        case 7, 8, 10: elementSizeOrBit = 8
        case 14: elementSizeOrBit = 0
        default: return .failure(.unknownDtype(dtypeRaw))
        }
        // Raw comparisons: the schema enum's derived equality is a slow call in debug builds.
        let rowMajor = majorOrderRaw == MajorOrder.row.rawValue
        guard rowMajor || majorOrderRaw == MajorOrder.column.rawValue else { return .failure(.unknownMajorOrder(majorOrderRaw)) }
        let n = Int(ndims)
        for i in 0..<n {
            if dims[i] <= 0 { return .failure(.nonPositiveDim(index: i, value: dims[i])) }
            if strides[i] < 0 { return .failure(.negativeStride(index: i, value: strides[i])) }
        }

        var extent: Int
        if elementSizeOrBit > 0 {
            let elementSize = elementSizeOrBit
            extent = elementSize
            var required = elementSize
            for step in 0..<n {
                let i = rowMajor ? n - 1 - step : step
                let explicit = Int(strides[i])
                if explicit != 0 && explicit < required {
                    return .failure(.overlappingStride(index: i, stride: strides[i], required: required))
                }
                let stride = explicit == 0 ? required : explicit
                let (span, o1) = (Int(dims[i]) - 1).multipliedReportingOverflow(by: stride)
                let (sum, o2) = extent.addingReportingOverflow(span)
                let (next, o3) = Int(dims[i]).multipliedReportingOverflow(by: stride)
                if o1 || o2 || o3 { return .failure(.extentExceedsValuesLen(extent: Int.max, valuesLenBytes: valuesLenBytes)) }
                extent = sum
                required = next
            }
        } else {
            for i in 0..<n where strides[i] != 0 { return .failure(.stridesWithBitDtype) }
            var count = 1
            for i in 0..<n {
                let (product, overflow) = count.multipliedReportingOverflow(by: Int(dims[i]))
                if overflow { return .failure(.extentExceedsValuesLen(extent: Int.max, valuesLenBytes: valuesLenBytes)) }
                count = product
            }
            extent = (count + 7) / 8
        }
        return .extent(extent)
    }
}

/// The outcome of ``TensorSlotHeader``'s shape checks.
@usableFromInline
enum ShapeExtent {
    case extent(Int)
    case failure(HeaderValidationFailure)
}
