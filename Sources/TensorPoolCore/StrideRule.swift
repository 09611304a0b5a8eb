/// The payload-pool stride rules of §15.22: `stride_bytes` is explicit, a power of two, a multiple of the page
/// size and, for hugepage-backed pools, a multiple of the hugepage size.
public enum StrideRule {
    /// Checks `strideBytes`; `hugepageSize` is the mapped hugepage size when `require_hugepages=true`.
    public static func validate(strideBytes: Int, pageSize: Int, hugepageSize: Int? = nil) throws(RegionError) {
        guard strideBytes > 0, strideBytes & (strideBytes - 1) == 0 else {
            throw .invalidStride(strideBytes: strideBytes, reason: "not a power of two")
        }
        guard pageSize > 0, strideBytes % pageSize == 0 else {
            throw .invalidStride(strideBytes: strideBytes, reason: "not a multiple of the page size \(pageSize)")
        }
        if let hugepageSize {
            guard hugepageSize > 0, strideBytes % hugepageSize == 0 else {
                throw .invalidStride(strideBytes: strideBytes, reason: "not a multiple of the hugepage size \(hugepageSize)")
            }
        }
    }
}
