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
    @inlinable
    public func claim(termId: Int32, termOffset: Int, header: HeaderWriter, length: Int) -> Int {
        let frameLength = length + DataFrameHeader.length
        let alignedLength = alignUp(frameLength, to: DataFrameHeader.frameAlignment)
        let resultingOffset = termOffset + alignedLength
        putRawTailOrdered(termId: termId, termOffset: resultingOffset)
        if resultingOffset > termBuffer.capacity { return handleEndOfLog(header: header, termOffset: termOffset, termId: termId) }
        header.write(termBuffer, offset: termOffset, length: frameLength, termId: termId)
        return resultingOffset
    }

    /// Appends a message that fits one frame, gathered from `first ‖ second`.
    @inlinable
    public func appendUnfragmented(termId: Int32, termOffset: Int, header: HeaderWriter,
                                   _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, reservedValue: Int64 = 0) -> Int {
        let length = first.count + second.count
        let frameLength = length + DataFrameHeader.length
        let alignedLength = alignUp(frameLength, to: DataFrameHeader.frameAlignment)
        let resultingOffset = termOffset + alignedLength
        putRawTailOrdered(termId: termId, termOffset: resultingOffset)
        if resultingOffset > termBuffer.capacity { return handleEndOfLog(header: header, termOffset: termOffset, termId: termId) }
        header.write(termBuffer, offset: termOffset, length: frameLength, termId: termId)
        copyGather(termBuffer, to: termOffset + DataFrameHeader.length, first, second, from: 0, count: length)
        if reservedValue != 0 { termBuffer.setInt64(reservedValue, at: termOffset + DataFrameHeader.reservedValueOffset) }
        DataFrameHeader.setFrameLengthOrdered(termBuffer, termOffset, Int32(frameLength))
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
        if resultingOffset > termBuffer.capacity { return handleEndOfLog(header: header, termOffset: termOffset, termId: termId) }
        writeFragments(termBuffer, header: header, termOffset: termOffset, termId: termId, first, second, maxPayloadLength: maxPayloadLength)
        return resultingOffset
    }

    @usableFromInline
    func handleEndOfLog(header: HeaderWriter, termOffset: Int, termId: Int32) -> Int {
        let termLength = termBuffer.capacity
        if termOffset < termLength {
            header.writePadding(termBuffer, offset: termOffset, length: termLength - termOffset, termId: termId)
        }
        return TermAppender.tripped
    }
}
