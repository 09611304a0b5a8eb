import SharedMemory

/// Outcome of a ``TermReader`` read: fragments delivered and the term offset reached.
@frozen
public struct TermReadResult: Sendable {
    /// Data fragments delivered (padding is not counted).
    public let fragmentsRead: Int
    /// Term offset after the last consumed frame.
    public let offset: Int
    @inlinable init(fragmentsRead: Int, offset: Int) {
        self.fragmentsRead = fragmentsRead
        self.offset = offset
    }
}

/// Reads published frames of one term from an offset (PROTOCOL_FACTS §9.2): stops at the first frame whose
/// length is not yet positive, skips padding, never crosses the term end.
public enum TermReader {
    /// Delivers up to `fragmentsLimit` data frames from `termOffset` to `handler(payload, header)`.
    @inlinable @inline(__always)
    public static func read(_ termBuffer: AtomicBuffer, termOffset: Int, fragmentsLimit: Int, header: inout Header,
                            _ handler: (UnsafeRawBufferPointer, Header) -> Void) -> TermReadResult {
        var offset = termOffset
        var fragmentsRead = 0
        let capacity = termBuffer.capacity
        header.buffer = termBuffer
        while fragmentsRead < fragmentsLimit && offset < capacity {
            let frameLength = Int(DataFrameHeader.frameLengthVolatile(termBuffer, offset))
            if frameLength <= 0 { break }
            let frameOffset = offset
            // A hostile or corrupt length must not move the reader outside the term.
            guard frameLength >= DataFrameHeader.length, frameLength <= capacity - frameOffset else { break }
            // Validated above: frameLength ≤ capacity − frameOffset, so the wrapping sum stays inside the term.
            offset = frameOffset &+ DataFrameHeader.alignedLength(frameLength)
            if !DataFrameHeader.isPaddingFrame(termBuffer, frameOffset) {
                header.offset = frameOffset
                handler(termBuffer.bytes(at: frameOffset &+ DataFrameHeader.length, count: frameLength &- DataFrameHeader.length), header)
                fragmentsRead &+= 1
            }
        }
        return TermReadResult(fragmentsRead: fragmentsRead, offset: offset)
    }
}
