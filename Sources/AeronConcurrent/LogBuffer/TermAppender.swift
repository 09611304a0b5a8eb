import SharedMemory

/// Where an append landed: the term id taken from the tail and the offset just past the appended frames, or
/// ``resultingOffset`` = ``TermAppender/tripped`` when the term was full (a padding frame was written and the
/// caller must rotate the log).
@frozen
public struct TermAppendResult: Sendable {
    /// Term id the space was claimed in.
    public let termId: Int32
    /// Offset after the appended frame(s), or -1 when the end of the term was reached.
    public let resultingOffset: Int

    @inlinable init(termId: Int32, resultingOffset: Int) {
        self.termId = termId
        self.resultingOffset = resultingOffset
    }
}

/// Appends frames to one term partition of a shared (concurrent) publication: space is claimed with a
/// fetch-add on the partition's raw tail, so any number of threads and processes can append at once
/// (PROTOCOL_FACTS §8.1).
@frozen
public struct TermAppender: @unchecked Sendable {
    /// Returned in ``TermAppendResult/resultingOffset`` when the claim went past the end of the term.
    public static let tripped = -1

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

    /// Raw tail (acquire).
    @inlinable public var rawTailVolatile: Int64 { metadata.int64Acquire(at: tailCounterOffset) }

    @inlinable @inline(__always)
    func getAndAddRawTail(_ alignedLength: Int) -> Int64 {
        metadata.getAndAddInt64(at: tailCounterOffset, Int64(alignedLength))
    }

    /// Claims one frame for `length` payload bytes and writes its header with a negative length; the caller fills
    /// the payload at `resultingOffset - align(length + 32, 32) + 32` and then commits or aborts.
    @inlinable @inline(__always)
    public func claim(header: HeaderWriter, length: Int) -> TermAppendResult {
        let frameLength = length &+ DataFrameHeader.length
        let alignedLength = DataFrameHeader.alignedLength(frameLength)
        let rawTail = getAndAddRawTail(alignedLength)
        let termOffset = Int(rawTail & 0xFFFF_FFFF)
        let termId = LogBufferDescriptor.termId(rawTail: rawTail)
        let resultingOffset = termOffset &+ alignedLength
        if resultingOffset > termBuffer.capacity {
            return TermAppendResult(termId: termId, resultingOffset: padToEndOfTerm(termBuffer, header: header, termOffset: termOffset, termId: termId))
        }
        header.write(termBuffer, offset: termOffset, length: frameLength, termId: termId)
        return TermAppendResult(termId: termId, resultingOffset: resultingOffset)
    }

    /// Appends a message that fits one frame, gathered from `first ‖ second`.
    @inlinable @inline(__always)
    public func appendUnfragmented(header: HeaderWriter, _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, reservedValue: Int64 = 0) -> TermAppendResult {
        let frameLength = first.count &+ second.count &+ DataFrameHeader.length
        let alignedLength = DataFrameHeader.alignedLength(frameLength)
        let rawTail = getAndAddRawTail(alignedLength)
        let termOffset = Int(rawTail & 0xFFFF_FFFF)
        let termId = LogBufferDescriptor.termId(rawTail: rawTail)
        let resultingOffset = termOffset &+ alignedLength
        if resultingOffset > termBuffer.capacity {
            return TermAppendResult(termId: termId, resultingOffset: padToEndOfTerm(termBuffer, header: header, termOffset: termOffset, termId: termId))
        }
        writeUnfragmented(termBuffer, header: header, termOffset: termOffset, termId: termId, frameLength: frameLength, first, second, reservedValue: reservedValue)
        return TermAppendResult(termId: termId, resultingOffset: resultingOffset)
    }

    /// Appends a message larger than one frame as BEGIN / middle / END fragments, all claimed at once.
    @inlinable
    public func appendFragmented(header: HeaderWriter, _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, maxPayloadLength: Int) -> TermAppendResult {
        let length = first.count + second.count
        let requiredLength = DataFrameHeader.fragmentedFrameLength(length, maxPayloadLength: maxPayloadLength)
        let rawTail = getAndAddRawTail(requiredLength)
        let termLength = termBuffer.capacity
        let termOffset = Int(rawTail & 0xFFFF_FFFF)
        let termId = LogBufferDescriptor.termId(rawTail: rawTail)
        let resultingOffset = termOffset + requiredLength
        if resultingOffset > termLength {
            return TermAppendResult(termId: termId, resultingOffset: padToEndOfTerm(termBuffer, header: header, termOffset: termOffset, termId: termId))
        }
        writeFragments(termBuffer, header: header, termOffset: termOffset, termId: termId, first, second, maxPayloadLength: maxPayloadLength)
        return TermAppendResult(termId: termId, resultingOffset: resultingOffset)
    }

}

/// Pads from `termOffset` to the end of the term after a claim went past it (shared by both appenders); returns
/// ``TermAppender/tripped`` so the caller rotates the log.
@usableFromInline
func padToEndOfTerm(_ termBuffer: AtomicBuffer, header: HeaderWriter, termOffset: Int, termId: Int32) -> Int {
    let termLength = termBuffer.capacity
    if termOffset < termLength {
        header.writePadding(termBuffer, offset: termOffset, length: termLength - termOffset, termId: termId)
    }
    return TermAppender.tripped
}

/// Writes one complete frame of `frameLength` bytes gathered from `first ‖ second` into claimed space: header with a
/// negative length, payload, reserved value, then the release of the positive length (shared by both appenders).
@inlinable @inline(__always)
func writeUnfragmented(_ termBuffer: AtomicBuffer, header: HeaderWriter, termOffset: Int, termId: Int32, frameLength: Int,
                       _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, reservedValue: Int64) {
    header.write(termBuffer, offset: termOffset, length: frameLength, termId: termId)
    copyGather(termBuffer, to: termOffset &+ DataFrameHeader.length, first, second, from: 0, count: frameLength &- DataFrameHeader.length)
    if reservedValue != 0 { termBuffer.setInt64(reservedValue, at: termOffset &+ DataFrameHeader.reservedValueOffset) }
    DataFrameHeader.setFrameLengthOrdered(termBuffer, termOffset, Int32(truncatingIfNeeded: frameLength))
}

/// Writes the frames of a fragmented message into already-claimed space (shared by both appenders).
@inlinable
func writeFragments(_ termBuffer: AtomicBuffer, header: HeaderWriter, termOffset: Int, termId: Int32,
                    _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, maxPayloadLength: Int) {
    let length = first.count + second.count
    var frameOffset = termOffset
    var flags = DataFrameHeader.beginFlag
    var remaining = length
    var sourceOffset = 0
    repeat {
        let bytesToWrite = min(remaining, maxPayloadLength)
        let frameLength = bytesToWrite + DataFrameHeader.length
        let alignedLength = DataFrameHeader.alignedLength(frameLength)
        if remaining <= maxPayloadLength { flags |= DataFrameHeader.endFlag }
        header.write(termBuffer, offset: frameOffset, length: frameLength, termId: termId, flags: flags)
        copyGather(termBuffer, to: frameOffset + DataFrameHeader.length, first, second, from: sourceOffset, count: bytesToWrite)
        DataFrameHeader.setFrameLengthOrdered(termBuffer, frameOffset, Int32(frameLength))
        flags = 0
        frameOffset += alignedLength
        sourceOffset += bytesToWrite
        remaining -= bytesToWrite
    } while remaining > 0
}
