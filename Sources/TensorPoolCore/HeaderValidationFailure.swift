/// Why a slot header was rejected (§8.2, §15.8). Returned as a value: validation sits on the read hot path.
public enum HeaderValidationFailure: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// `ndims` outside 1...MAX_DIMS.
    case ndimsOutOfRange(UInt8)
    /// `dtype` not in the registry, or UNKNOWN.
    case unknownDtype(Int16)
    /// `major_order` not ROW or COLUMN.
    case unknownMajorOrder(Int16)
    /// `dims[index] <= 0`.
    case nonPositiveDim(index: Int, value: Int32)
    /// `strides[index] < 0` (negative strides are not supported in v1.1).
    case negativeStride(index: Int, value: Int32)
    /// `strides[index]` is smaller than the span of the next-inner dimension: the layout overlaps or contradicts
    /// the major order.
    case overlappingStride(index: Int, stride: Int32, required: Int)
    /// `dtype` BIT is packed; explicit byte strides cannot describe it.
    case stridesWithBitDtype
    /// The tensor's byte extent does not fit in `values_len_bytes`.
    case extentExceedsValuesLen(extent: Int, valuesLenBytes: UInt32)
    /// `payload_offset + values_len_bytes` does not fit in the pool stride.
    case valuesLenExceedsStride(end: Int, strideBytes: Int)
    /// `payload_slot != header_index` (v1.1 mapping, §15.5).
    case payloadSlotMismatch(payloadSlot: UInt32, headerIndex: UInt32)
    /// `pool_id` names no mapped pool.
    case unknownPool(UInt16)
    /// The slot does not lie inside the mapped header ring (a broken ring geometry, never seen with regions
    /// created or mapped by this module).
    case slotOutsideRegion(headerIndex: UInt32)

    /// Which rule the header broke and the offending value, using the spec's field names.
    public var description: String {
        switch self {
        case .ndimsOutOfRange(let n): "ndims \(n) outside 1...\(RegionLayout.maxDims)"
        case .unknownDtype(let v): "unknown dtype \(v)"
        case .unknownMajorOrder(let v): "unknown major_order \(v)"
        case .nonPositiveDim(let i, let v): "dims[\(i)] = \(v) is not positive"
        case .negativeStride(let i, let v): "strides[\(i)] = \(v) is negative"
        case .overlappingStride(let i, let s, let r): "strides[\(i)] = \(s) is below the \(r) bytes the inner dimension spans (overlap or wrong major order)"
        case .stridesWithBitDtype: "dtype BIT requires inferred (zero) strides"
        case .extentExceedsValuesLen(let e, let v): "tensor extent \(e) bytes exceeds values_len_bytes \(v)"
        case .valuesLenExceedsStride(let e, let s): "payload end \(e) exceeds the pool stride \(s)"
        case .payloadSlotMismatch(let p, let h): "payload_slot \(p) != header_index \(h)"
        case .unknownPool(let id): "unknown pool_id \(id)"
        case .slotOutsideRegion(let i): "slot \(i) lies outside the mapped header ring"
        }
    }
}
