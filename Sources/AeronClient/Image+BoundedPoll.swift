import SharedMemory
import AeronConcurrent

extension Image {
    /// Like ``poll(fragmentLimit:_:)`` but never starts a fragment at or beyond `limitPosition` (a fragment that
    /// starts before it is delivered whole). Use it to read up to a position another component has reached, e.g.
    /// a recording or a replay boundary. Allocation-free.
    ///
    /// - Returns: the number of fragments delivered (0 when the image is closed or already at the limit).
    @inlinable
    public func boundedPoll(limitPosition: Int64, fragmentLimit: Int, _ handler: (UnsafeRawBufferPointer, Header) -> Void) -> Int {
        // The controlled walk with every fragment continuing: the position is published once, at the end.
        boundedControlledPoll(limitPosition: limitPosition, fragmentLimit: fragmentLimit) { payload, header in
            handler(payload, header)
            return .continuePoll
        }
    }

    /// Like ``controlledPoll(fragmentLimit:_:)`` but never starts a fragment at or beyond `limitPosition`.
    /// ``ControlledPollAction/abort`` leaves the fragment for the next poll, ``ControlledPollAction/commit``
    /// publishes the position at once, ``ControlledPollAction/breakPoll`` stops after the fragment. Allocation-free.
    ///
    /// - Returns: the number of fragments consumed.
    @inlinable
    public func boundedControlledPoll(limitPosition: Int64, fragmentLimit: Int,
                                      _ handler: (UnsafeRawBufferPointer, Header) -> ControlledPollAction) -> Int {
        if isClosed { return 0 }
        var initialPosition = positionBuffer.int64Relaxed(at: positionOffset)
        if initialPosition >= limitPosition { return 0 }
        let (termBuffer, termOffset) = term(at: initialPosition)
        var initialOffset = termOffset
        let capacity = termBuffer.capacity
        let limitOffset = Int(min(Int64(capacity), limitPosition - initialPosition + Int64(initialOffset)))
        var header = Header(buffer: termBuffer, initialTermId: initialTermId, positionBitsToShift: positionBitsToShift)
        var offset = initialOffset
        var fragmentsRead = 0
        while fragmentsRead < fragmentLimit && offset < limitOffset {
            let length = Int(DataFrameHeader.frameLengthVolatile(termBuffer, offset))
            if length <= 0 { break }
            // A hostile or corrupt length must not move the reader outside the term.
            guard length >= DataFrameHeader.length, length <= capacity - offset else { break }
            let frameOffset = offset
            let alignedLength = alignUp(length, to: DataFrameHeader.frameAlignment)
            offset += alignedLength
            if DataFrameHeader.isPaddingFrame(termBuffer, frameOffset) { continue }
            fragmentsRead += 1
            header.offset = frameOffset
            let action = handler(termBuffer.bytes(at: frameOffset + DataFrameHeader.length, count: length - DataFrameHeader.length), header)
            if action == .abort {
                fragmentsRead -= 1
                offset -= alignedLength
                break
            }
            if action == .breakPoll { break }
            if action == .commit {
                initialPosition += Int64(offset - initialOffset)
                initialOffset = offset
                if !isClosed { positionBuffer.setInt64Release(initialPosition, at: positionOffset) }
            }
        }
        let resultingPosition = initialPosition + Int64(offset - initialOffset)
        if resultingPosition > initialPosition && !isClosed { positionBuffer.setInt64Release(resultingPosition, at: positionOffset) }
        return fragmentsRead
    }
}
