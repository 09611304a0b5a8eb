/// The deterministic message content shared with `Tests/Interop/aeron_peer.py` (`pattern()`):
/// byte `k` of message `index` is byte `k` of `index` as a little-endian `UInt64` for `k < 8`
/// (messages shorter than 8 bytes carry a prefix of it) and `(index + k) & 0xff` for `k >= 8`.
///
/// Publishers fill message `i` with it, subscribers check that the `i`-th message they receive matches,
/// which proves order, length and content across implementations.
public enum MessagePattern {
    /// Byte `offset` of message `index`.
    @inlinable
    public static func byte(index: UInt64, offset: Int) -> UInt8 {
        if offset < 8 {
            return UInt8(truncatingIfNeeded: index >> (UInt64(offset) &* 8))
        }
        return UInt8(truncatingIfNeeded: index &+ UInt64(offset))
    }

    /// Writes the pattern of message `index` over the whole of `buffer` (its count is the message size).
    @inlinable
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer, index: UInt64) {
        for k in 0..<buffer.count {
            buffer[k] = byte(index: index, offset: k)
        }
    }

    /// A new array holding message `index` of `size` bytes.
    public static func bytes(index: UInt64, size: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: size)
        out.withUnsafeMutableBytes { fill($0, index: index) }
        return out
    }

    /// The first offset where `buffer` differs from message `index` of `buffer.count` bytes, or `nil` when it matches.
    @inlinable
    public static func firstMismatch(_ buffer: UnsafeRawBufferPointer, index: UInt64) -> Int? {
        for k in 0..<buffer.count where buffer[k] != byte(index: index, offset: k) {
            return k
        }
        return nil
    }

    /// Whether `buffer` is exactly message `index` of `expectedSize` bytes.
    @inlinable
    public static func matches(_ buffer: UnsafeRawBufferPointer, index: UInt64, expectedSize: Int) -> Bool {
        buffer.count == expectedSize && firstMismatch(buffer, index: index) == nil
    }

    /// The size of message `index` when sizes are cycled, as the peer's `--sizes` does.
    @inlinable
    public static func size(index: UInt64, cycling sizes: [Int]) -> Int {
        sizes[Int(index % UInt64(sizes.count))]
    }
}
