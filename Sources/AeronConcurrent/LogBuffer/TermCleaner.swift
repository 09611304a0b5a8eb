import SharedMemory

/// Zeroes consumed parts of a term so publishers always write into clean memory and readers never mistake old
/// frames for new ones (driver side, PROTOCOL_FACTS §11.4).
public enum TermCleaner {
    /// Zeroes `[offset, offset + length)` of `termBuffer`: everything after the first 8 bytes first, then the
    /// first word (frame length + version/flags/type) with a release store, so a reader racing the clean sees
    /// either the old frame or nothing.
    public static func clean(_ termBuffer: AtomicBuffer, offset: Int, length: Int) {
        guard length > 0 else { return }
        if length > 8 { termBuffer.fill(0, at: offset + 8, count: length - 8) }
        if length >= 8 && (offset & 7) == 0 {
            termBuffer.setInt64Release(0, at: offset)
        } else {
            termBuffer.fill(0, at: offset, count: min(8, length))
        }
    }

    /// Cleans the log from `cleanPosition` up to `position` (possibly across terms); returns the new clean position.
    public static func clean(_ logBuffers: LogBuffers, from cleanPosition: Int64, to position: Int64) -> Int64 {
        var cleaned = cleanPosition
        let termLength = Int64(logBuffers.termLength)
        let bits = LogBufferDescriptor.positionBitsToShift(termLength: logBuffers.termLength)
        while cleaned < position {
            let index = LogBufferDescriptor.indexByPosition(cleaned, positionBitsToShift: bits)
            let termOffset = Int(cleaned & (termLength - 1))
            let chunk = Int(min(termLength - Int64(termOffset), position - cleaned))
            clean(logBuffers.termBuffers[index], offset: termOffset, length: chunk)
            cleaned += Int64(chunk)
        }
        return cleaned
    }
}
