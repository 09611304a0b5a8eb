import SharedMemory

/// Appends frames to one term partition for a single writer (exclusive publication, PROTOCOL_FACTS §8.2): the
/// writer owns the tail, so it release-writes the new tail before writing the frame instead of a fetch-add.
@frozen
public struct ExclusiveTermAppender: @unchecked Sendable {
    /// The term partition.
    public let termBuffer: AtomicBuffer
    /// The log metadata holding the raw tail counters.
    public let metadata: AtomicBuffer
    /// Offset of this partition's raw tail in the metadata.
    public let tailCounterOffset: Int

    /// An appender for partition `index` of a log.
    @inlinable
    public init(termBuffer: AtomicBuffer, metadata: AtomicBuffer, partitionIndex index: Int) {
        self.termBuffer = termBuffer
        self.metadata = metadata
        tailCounterOffset = LogBufferDescriptor.tailCounterOffset(index)
    }

    @inlinable @inline(__always)
    func putRawTailOrdered(termId: Int32, termOffset: Int) {
        metadata.setInt64Release(LogBufferDescriptor.packTail(termId: termId, termOffset: Int32(truncatingIfNeeded: termOffset)), at: tailCounterOffset)
    }

    /// Claims one frame at `termOffset`; header written with a negative length. Returns the resulting offset or
    /// ``TermAppender/tripped``.
    @inlinable @inline(__always)
    public func claim(termId: Int32, termOffset: Int, header: HeaderWriter, length: Int) -> Int {
        let frameLength = length &+ DataFrameHeader.length
        let resultingOffset = termOffset &+ DataFrameHeader.alignedLength(frameLength)
        putRawTailOrdered(termId: termId, termOffset: resultingOffset)
        if resultingOffset > termBuffer.capacity { return padToEndOfTerm(termBuffer, header: header, termOffset: termOffset, termId: termId) }
        header.write(termBuffer, offset: termOffset, length: frameLength, termId: termId)
        return resultingOffset
    }

    /// Appends a message that fits one frame, gathered from `first ‖ second`.
    @inlinable @inline(__always)
    public func appendUnfragmented(termId: Int32, termOffset: Int, header: HeaderWriter,
                                   _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, reservedValue: Int64 = 0) -> Int {
        let frameLength = first.count &+ second.count &+ DataFrameHeader.length
        let resultingOffset = termOffset &+ DataFrameHeader.alignedLength(frameLength)
        putRawTailOrdered(termId: termId, termOffset: resultingOffset)
        if resultingOffset > termBuffer.capacity { return padToEndOfTerm(termBuffer, header: header, termOffset: termOffset, termId: termId) }
        writeUnfragmented(termBuffer, header: header, termOffset: termOffset, termId: termId, frameLength: frameLength, first, second, reservedValue: reservedValue)
        return resultingOffset
    }

    /// Appends a message larger than one frame as BEGIN / middle / END fragments.
    @inlinable
    public func appendFragmented(termId: Int32, termOffset: Int, header: HeaderWriter,
                                 _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, maxPayloadLength: Int) -> Int {
        let length = first.count + second.count
        let requiredLength = DataFrameHeader.fragmentedFrameLength(length, maxPayloadLength: maxPayloadLength)
        let resultingOffset = termOffset + requiredLength
        putRawTailOrdered(termId: termId, termOffset: resultingOffset)
        if resultingOffset > termBuffer.capacity { return padToEndOfTerm(termBuffer, header: header, termOffset: termOffset, termId: termId) }
        writeFragments(termBuffer, header: header, termOffset: termOffset, termId: termId, first, second, maxPayloadLength: maxPayloadLength)
        return resultingOffset
    }
}
