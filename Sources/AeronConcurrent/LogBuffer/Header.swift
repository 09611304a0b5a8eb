import SharedMemory

/// The header of the fragment being delivered to a fragment handler: a view of the frame in the term buffer
/// plus what is needed to compute its position. Valid only during the handler call.
@frozen
public struct Header: @unchecked Sendable {
    /// Term buffer holding the frame.
    public var buffer: AtomicBuffer
    /// Offset of the frame in ``buffer``.
    public var offset: Int
    /// Initial term id of the log.
    public let initialTermId: Int32
    /// `log2(termLength)`.
    public let positionBitsToShift: Int

    /// A header for a log with these parameters.
    @inlinable
    public init(buffer: AtomicBuffer, offset: Int = 0, initialTermId: Int32, positionBitsToShift: Int) {
        self.buffer = buffer
        self.offset = offset
        self.initialTermId = initialTermId
        self.positionBitsToShift = positionBitsToShift
    }

    /// Frame length (header + payload).
    @inlinable public var frameLength: Int { Int(buffer.int32(at: offset + DataFrameHeader.frameLengthOffset)) }
    /// Session id.
    @inlinable public var sessionId: Int32 { buffer.int32(at: offset + DataFrameHeader.sessionIdOffset) }
    /// Stream id.
    @inlinable public var streamId: Int32 { buffer.int32(at: offset + DataFrameHeader.streamIdOffset) }
    /// Term id.
    @inlinable public var termId: Int32 { buffer.int32(at: offset + DataFrameHeader.termIdOffset) }
    /// Term offset of the frame.
    @inlinable public var termOffset: Int { Int(buffer.int32(at: offset + DataFrameHeader.termOffsetOffset)) }
    /// Flags (BEGIN 0x80, END 0x40).
    @inlinable public var flags: UInt8 { buffer.uint8(at: offset + DataFrameHeader.flagsOffset) }
    /// Frame type.
    @inlinable public var type: Int16 { buffer.int16(at: offset + DataFrameHeader.typeOffset) }
    /// Reserved value.
    @inlinable public var reservedValue: Int64 { buffer.int64(at: offset + DataFrameHeader.reservedValueOffset) }

    /// Position just past this frame (aligned), i.e. the stream position after consuming it.
    @inlinable public var position: Int64 {
        let resultingOffset = alignUp(termOffset + frameLength, to: DataFrameHeader.frameAlignment)
        return LogBufferDescriptor.computePosition(termId: termId, termOffset: resultingOffset, positionBitsToShift: positionBitsToShift, initialTermId: initialTermId)
    }
}
