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
        return counts(bytes, from: UInt64(littleEndian: base.loadUnaligned(as: UInt64.self)))
    }

    /// ``isWholeFrame(_:)`` for a padded row-major payload: rows `0 ..< rows` (each `rowBytes` at `r * pitch`) hold
    /// the pattern of *some* (epoch, seq), the one whose first word row 0 starts with; the padding is not read.
    /// `false` when the rows do not fit in `bytes`; a first row under 8 bytes cannot be checked (true).
    @inlinable
    public static func isWholeFrame(_ bytes: UnsafeRawBufferPointer, rows: Int, rowBytes: Int, pitch: Int) -> Bool {
        guard rowBytes >= 8, rows > 0, bytes.count >= 8, let base = bytes.baseAddress else { return true }
        return rowsCount(bytes, rows: rows, rowBytes: rowBytes, pitch: pitch,
                         from: UInt64(littleEndian: base.loadUnaligned(as: UInt64.self)))
    }
}
