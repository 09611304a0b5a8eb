/// A self-checking payload for tests, stress runs and benchmarks: word `i` of frame `f` is
/// `f &* 0x9E3779B97F4A7C15 &+ i`, so any byte from another frame (a torn read) or a stale slot breaks it.
/// The check reads every word of the payload.
public enum FramePattern {
    @inlinable
    static func word(_ frameId: UInt64, _ index: Int) -> UInt64 { frameId &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index) }

    /// Fills the first `count` bytes (a multiple of 8) of `buffer` with frame `frameId`'s pattern.
    @inlinable
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer, frameId: UInt64, count: Int) {
        precondition(count % 8 == 0 && count <= buffer.count, "pattern needs whole words inside the buffer")
        guard let base = buffer.baseAddress else { return }
        for i in 0..<(count / 8) { base.storeBytes(of: word(frameId, i), toByteOffset: i * 8, as: UInt64.self) }
    }

    /// True when `bytes` is exactly frame `frameId`'s pattern (length a multiple of 8, every word checked).
    @inlinable
    public static func matches(_ bytes: UnsafeRawBufferPointer, frameId: UInt64) -> Bool {
        guard bytes.count % 8 == 0, let base = bytes.baseAddress else { return bytes.isEmpty }
        var mismatch: UInt64 = 0
        var expected = word(frameId, 0)
        var offset = 0
        let end = bytes.count
        while offset < end {
            mismatch |= base.loadUnaligned(fromByteOffset: offset, as: UInt64.self) ^ expected
            expected &+= 1
            offset &+= 8
        }
        return mismatch == 0
    }

    /// As ``matches(_:frameId:)`` over a span (inside ``SeqlockReader/withFrame(seq:headerIndex:_:)``).
    @inlinable
    public static func matches(_ span: RawSpan, frameId: UInt64) -> Bool {
        span.withUnsafeBytes { matches($0, frameId: frameId) }
    }
}
