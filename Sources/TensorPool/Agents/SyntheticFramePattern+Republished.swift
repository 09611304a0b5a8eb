extension SyntheticFramePattern {
    /// True when `bytes` is the whole pattern of *some* (epoch, seq): every word is the first word plus its index
    /// and the tail bytes continue it. For streams republished by the decimator or a bridge receiver, whose frames
    /// carry the source's payload under their own epoch and sequence numbers (the source identity is not in any
    /// header field they preserve), so ``matches(_:epoch:seq:)`` cannot be used. Detects torn, mixed and corrupted
    /// payloads; cannot detect a whole frame delivered out of order or twice. Payloads under 8 bytes cannot be
    /// checked (true).
    @inlinable
    public static func isWholeFrame(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= 8, let base = bytes.baseAddress else { return true }
        let first = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))
        let words = bytes.count / 8
        var mismatch: UInt64 = 0
        var i = 1
        while i < words {
            mismatch |= UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) ^ (first &+ UInt64(i))
            i += 1
        }
        var tail = first &+ UInt64(words)
        var b = words * 8
        while b < bytes.count {
            mismatch |= UInt64(base.load(fromByteOffset: b, as: UInt8.self) ^ UInt8(truncatingIfNeeded: tail))
            tail >>= 8
            b += 1
        }
        return mismatch == 0
    }
}
