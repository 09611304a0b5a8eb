/// Bounds checks shared by all generated flyweights.
public enum SBEBounds {
    /// Throws unless `offset >= 0`, `length >= 0` and `offset + length <= capacity`.
    @inlinable @inline(__always)
    public static func check(offset: Int, length: Int, capacity: Int) throws(SBEError) {
        guard offset >= 0, capacity >= 0 else {
            throw SBEError.invalidOffset(offset: offset, capacity: capacity)
        }
        // The offset is the caller's (a cursor, or an offset computed from a slot index) and may be anything up
        // to Int.max: a wrapping sum would turn an out-of-range end into a small one that passes.
        let (end, overflow) = offset.addingReportingOverflow(length)
        guard length >= 0, !overflow, end <= capacity else {
            throw SBEError.bufferTooShort(required: overflow ? Int.max : end, capacity: capacity)
        }
    }
}
