/// The verifiable message pattern shared with the interop harness (Tests/Interop/README.md): byte `k` of
/// message `i` is byte `k` of `i` as a little-endian UInt64 for `k < 8`, else `(i + k) & 0xff`. Publishers
/// send message `i` with size `sizes[i % sizes.count]`, so a subscriber checks order, length and content.
enum AeronMessagePattern {
    @inline(__always)
    static func byte(index: UInt64, offset: Int) -> UInt8 {
        offset < 8 ? UInt8(truncatingIfNeeded: index >> (8 * UInt64(offset))) : UInt8(truncatingIfNeeded: index &+ UInt64(offset))
    }

    static func fill(_ buffer: UnsafeMutableRawBufferPointer, index: UInt64) {
        for k in 0..<buffer.count { buffer[k] = byte(index: index, offset: k) }
    }

    /// Offset of the first wrong byte, or nil when the message matches.
    static func firstMismatch(_ buffer: UnsafeRawBufferPointer, index: UInt64) -> Int? {
        for k in 0..<buffer.count where buffer[k] != byte(index: index, offset: k) { return k }
        return nil
    }
}
