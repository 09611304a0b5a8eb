import SharedMemory

/// Single writer of a broadcast buffer: the driver's side of the to-clients channel.
///
/// Every receiver sees every record unless it falls a whole buffer behind (it is then "lapped" and must resync).
/// A record is announced through the tail-intent counter before its bytes are written so receivers copying it
/// can tell that it was overwritten underneath them.
public struct BroadcastTransmitter: @unchecked Sendable {
    /// The whole buffer, records and trailer.
    public let buffer: AtomicBuffer
    /// Record capacity (power of two).
    public let capacity: Int
    /// Largest body accepted by ``transmit(messageTypeId:from:length:)``.
    public let maxMessageLength: Int
    @usableFromInline let tailIntentIndex: Int
    @usableFromInline let tailIndex: Int
    @usableFromInline let latestIndex: Int

    /// Wraps a broadcast buffer (records + 128-byte trailer); throws when the geometry is invalid.
    public init(buffer: AtomicBuffer) throws(BroadcastBufferDescriptor.LayoutError) {
        let capacity = try BroadcastBufferDescriptor.capacity(ofBufferLength: buffer.capacity)
        self.buffer = buffer
        self.capacity = capacity
        self.maxMessageLength = BroadcastBufferDescriptor.maxMessageLength(capacity: capacity)
        self.tailIntentIndex = capacity + BroadcastBufferDescriptor.tailIntentCounterOffset
        self.tailIndex = capacity + BroadcastBufferDescriptor.tailCounterOffset
        self.latestIndex = capacity + BroadcastBufferDescriptor.latestCounterOffset
    }

    /// Errors from ``transmit(messageTypeId:from:length:)``.
    public enum TransmitError: Error, Equatable {
        /// Type ids must be ≥ 1.
        case invalidMessageTypeId(Int32)
        /// Body longer than ``BroadcastTransmitter/maxMessageLength`` or negative.
        case invalidLength(Int)
    }

    /// Writes one record whose body is `length` bytes at `source`.
    ///
    /// Never blocks: slow receivers are lapped, not waited for.
    @inlinable
    public func transmit(messageTypeId: Int32, from source: UnsafeRawPointer, length: Int) throws(TransmitError) {
        guard messageTypeId >= 1 else { throw .invalidMessageTypeId(messageTypeId) }
        guard length >= 0, length <= maxMessageLength else { throw .invalidLength(length) }
        var currentTail = buffer.int64(at: tailIndex)
        var recordOffset = Int(truncatingIfNeeded: currentTail) & (capacity - 1)
        let recordLength = BroadcastBufferDescriptor.recordHeaderLength + length
        let alignedLength = BroadcastBufferDescriptor.align(recordLength, BroadcastBufferDescriptor.recordAlignment)
        let newTail = currentTail + Int64(alignedLength)
        let toEnd = capacity - recordOffset
        if toEnd < alignedLength {
            signalTailIntent(newTail + Int64(toEnd))
            buffer.setInt32(Int32(toEnd), at: recordOffset + BroadcastBufferDescriptor.lengthOffset)
            buffer.setInt32(BroadcastBufferDescriptor.paddingMessageTypeId, at: recordOffset + BroadcastBufferDescriptor.typeOffset)
            currentTail += Int64(toEnd)
            recordOffset = 0
        } else {
            signalTailIntent(newTail)
        }
        buffer.setInt32(Int32(recordLength), at: recordOffset + BroadcastBufferDescriptor.lengthOffset)
        buffer.setInt32(messageTypeId, at: recordOffset + BroadcastBufferDescriptor.typeOffset)
        if length > 0 {
            buffer.copy(from: source, count: length, to: recordOffset + BroadcastBufferDescriptor.recordHeaderLength)
        }
        buffer.setInt64Release(currentTail, at: latestIndex)
        buffer.setInt64Release(currentTail + Int64(alignedLength), at: tailIndex)
    }

    /// Writes one record whose body is `length` bytes of `source` from `offset`.
    @inlinable
    public func transmit(messageTypeId: Int32, from source: AtomicBuffer, offset: Int, length: Int) throws(TransmitError) {
        guard source.contains(offset: offset, length: max(length, 0)) else { throw .invalidLength(length) }
        try transmit(messageTypeId: messageTypeId, from: UnsafeRawPointer(source.base + offset), length: length)
    }

    @inlinable @inline(__always)
    func signalTailIntent(_ value: Int64) {
        buffer.setInt64Release(value, at: tailIntentIndex)
        // Receivers must observe the intent before any byte of the record it guards changes.
        AtomicBuffer.fullFence()
    }
}
