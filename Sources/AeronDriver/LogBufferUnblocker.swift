import AeronConcurrent
import SharedMemory

/// Frees a log blocked by a publisher that claimed space and never committed it (it died or stalled): the gap
/// is turned into a padding frame so subscribers and other publishers can move past it (§11.3).
enum LogBufferUnblocker {
    /// Tries to unblock at `blockedPosition`; true when a padding frame was written or the log rotated.
    static func unblock(_ log: LogBuffers, blockedPosition: Int64) -> Bool {
        let metadata = log.metadata
        let termLength = log.termLength
        let bits = LogBufferDescriptor.positionBitsToShift(termLength: termLength)
        let blockedTermCount = Int32(truncatingIfNeeded: blockedPosition >> Int64(bits))
        let blockedOffset = Int(blockedPosition & Int64(termLength - 1))
        let activeTermCount = LogBufferDescriptor.activeTermCount(metadata)

        if activeTermCount == blockedTermCount &- 1 && blockedOffset == 0 {
            let index = LogBufferDescriptor.indexByTermCount(Int64(activeTermCount))
            let currentTermId = LogBufferDescriptor.termId(rawTail: LogBufferDescriptor.rawTailVolatile(metadata, index))
            return LogBufferDescriptor.rotateLog(metadata, termCount: activeTermCount, termId: currentTermId)
        }

        let index = LogBufferDescriptor.indexByTermCount(Int64(blockedTermCount))
        let rawTail = LogBufferDescriptor.rawTailVolatile(metadata, index)
        let termId = LogBufferDescriptor.termId(rawTail: rawTail)
        let tailOffset = LogBufferDescriptor.termOffset(rawTail: rawTail, termLength: termLength)
        let term = log.termBuffers[index]
        switch unblockTerm(term, metadata: metadata, termLength: termLength, blockedOffset: blockedOffset, tailOffset: tailOffset, termId: termId) {
        case .unblockedToEnd:
            LogBufferDescriptor.rotateLog(metadata, termCount: blockedTermCount, termId: termId)
            return true
        case .unblocked:
            return true
        case .noAction:
            return false
        }
    }

    enum Status { case noAction, unblocked, unblockedToEnd }

    static func unblockTerm(_ term: AtomicBuffer, metadata: AtomicBuffer, termLength: Int, blockedOffset: Int, tailOffset: Int, termId: Int32) -> Status {
        let align = DataFrameHeader.frameAlignment
        var frameLength = DataFrameHeader.frameLengthVolatile(term, blockedOffset)
        if frameLength < 0 {
            writePadding(term, metadata: metadata, offset: blockedOffset, length: Int(-frameLength), termId: termId)
            return .unblocked
        }
        guard frameLength == 0 else { return .noAction }
        var offset = blockedOffset + align
        while offset < tailOffset {
            frameLength = DataFrameHeader.frameLengthVolatile(term, offset)
            if frameLength != 0 {
                if scanBackToConfirmZeroed(term, from: offset, to: blockedOffset) {
                    writePadding(term, metadata: metadata, offset: blockedOffset, length: offset - blockedOffset, termId: termId)
                    return .unblocked
                }
                return .noAction
            }
            offset += align
        }
        if offset == termLength, DataFrameHeader.frameLengthVolatile(term, blockedOffset) == 0 {
            writePadding(term, metadata: metadata, offset: blockedOffset, length: offset - blockedOffset, termId: termId)
            return .unblockedToEnd
        }
        return .noAction
    }

    static func scanBackToConfirmZeroed(_ term: AtomicBuffer, from: Int, to limit: Int) -> Bool {
        var i = from - DataFrameHeader.frameAlignment
        while i >= limit {
            if DataFrameHeader.frameLengthVolatile(term, i) != 0 { return false }
            i -= DataFrameHeader.frameAlignment
        }
        return true
    }

    /// A padding frame from the log's default header (session, stream) at `offset`.
    static func writePadding(_ term: AtomicBuffer, metadata: AtomicBuffer, offset: Int, length: Int, termId: Int32) {
        HeaderWriter(defaultHeaderIn: metadata).writePadding(term, offset: offset, length: length, termId: termId)
    }
}
