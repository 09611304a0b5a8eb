/// Bounds checks shared by all generated flyweights.
public enum SBEBounds {
    /// Throws unless `offset >= 0`, `length >= 0` and `offset + length <= capacity`.
    @inlinable @inline(__always)
    public static func check(offset: Int, length: Int, capacity: Int) throws(SBEError) {
        guard offset >= 0, capacity >= 0 else {
            throw SBEError.invalidOffset(offset: offset, capacity: capacity)
        }
        // Lengths come from the wire as at most 32-bit values, so this sum cannot overflow an Int.
        guard length >= 0, offset &+ length <= capacity else {
            throw SBEError.bufferTooShort(required: offset &+ length, capacity: capacity)
        }
    }
}
