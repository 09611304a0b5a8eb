import SharedMemory
import AeronConcurrent

/// Space claimed in a publication's term by `tryClaim`: write the payload in place, then ``commit()`` (or
/// ``abort()``, which turns the frame into padding). Uncommitted claims block subscribers until the driver
/// unblocks the log, so always commit or abort promptly.
@frozen
public struct BufferClaim: @unchecked Sendable {
    @usableFromInline var termBuffer: AtomicBuffer
    @usableFromInline var frameOffset: Int
    @usableFromInline var frameLength: Int

    /// An empty claim to pass to `tryClaim`.
    @inlinable public init() {
        termBuffer = AtomicBuffer(base: UnsafeMutableRawPointer(bitPattern: 64)!, capacity: 0)
        frameOffset = 0
        frameLength = 0
    }

    @inlinable mutating func wrap(_ buffer: AtomicBuffer, frameOffset: Int, frameLength: Int) {
        termBuffer = buffer
        self.frameOffset = frameOffset
        self.frameLength = frameLength
    }

    /// Payload length claimed.
    @inlinable public var length: Int { frameLength - DataFrameHeader.length }

    /// The claimed payload bytes.
    @inlinable public var payload: UnsafeMutableRawBufferPointer {
        termBuffer.mutableBytes(at: frameOffset + DataFrameHeader.length, count: length)
    }

    /// Sets the frame's reserved value (before commit).
    @inlinable public func setReservedValue(_ value: Int64) {
        termBuffer.setInt64(value, at: frameOffset + DataFrameHeader.reservedValueOffset)
    }

    /// Publishes the frame.
    @inlinable public func commit() {
        DataFrameHeader.setFrameLengthOrdered(termBuffer, frameOffset, Int32(frameLength))
    }

    /// Discards the frame (it becomes padding that subscribers skip).
    @inlinable public func abort() {
        termBuffer.setInt16(DataFrameHeader.typePadding, at: frameOffset + DataFrameHeader.typeOffset)
        DataFrameHeader.setFrameLengthOrdered(termBuffer, frameOffset, Int32(frameLength))
    }
}
