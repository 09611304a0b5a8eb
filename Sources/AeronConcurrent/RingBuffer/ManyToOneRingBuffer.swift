import SharedMemory
#if canImport(Glibc)
import Glibc
#endif

/// Why a ring-buffer operation was refused (programming or configuration errors, never "buffer full").
public enum RingBufferError: Error, Equatable, Sendable {
    /// The buffer length minus the trailer is not a power of two (or is too small).
    case capacityNotPowerOfTwo(Int)
    /// A message type id must be at least 1.
    case invalidMessageTypeId(Int32)
    /// The message is longer than ``ManyToOneRingBuffer/maxMessageLength``.
    case messageTooLong(length: Int, max: Int)
    /// Negative message length.
    case negativeLength(Int)
}

/// What a controlled-read handler tells the ring buffer to do with the record it was just given.
public enum ControlledReadAction: Sendable {
    /// Leave the record unread and stop.
    case abort
    /// Consume the record and stop.
    case breakRead
    /// Consume the record, free the space read so far immediately, continue.
    case commit
    /// Consume the record and continue.
    case continueRead
}

/// A many-producer, single-consumer ring buffer of typed records over shared memory (the Aeron to-driver buffer,
/// PROTOCOL_FACTS §3; layout-compatible with Agrona's `ManyToOneRingBuffer` and C `aeron_mpsc_rb`).
///
/// Producers (clients) claim space by CAS on the tail, publish a record by release-writing its positive length;
/// the consumer (driver) reads records in order, zeroes the consumed bytes and release-writes the head.
/// The value is a view: copies share the same memory.
@frozen
public struct ManyToOneRingBuffer: @unchecked Sendable {
    /// Records plus trailer.
    public let buffer: AtomicBuffer
    /// Bytes available for records (a power of two).
    public let capacity: Int
    /// Longest body a single record may carry.
    public let maxMessageLength: Int
    @usableFromInline let tailPositionIndex: Int
    @usableFromInline let headCachePositionIndex: Int
    @usableFromInline let headPositionIndex: Int
    @usableFromInline let correlationIdCounterIndex: Int
    @usableFromInline let consumerHeartbeatIndex: Int

    /// Wraps `buffer`, whose length must be a power of two plus ``RingBufferDescriptor/trailerLength``.
    public init(buffer: AtomicBuffer) throws(RingBufferError) {
        let capacity = buffer.capacity - RingBufferDescriptor.trailerLength
        guard capacity >= RecordDescriptor.alignment, isPowerOfTwo(capacity) else {
            throw .capacityNotPowerOfTwo(capacity)
        }
        self.buffer = buffer
        self.capacity = capacity
        self.maxMessageLength = capacity == RecordDescriptor.alignment ? 0 : max(RecordDescriptor.alignment, capacity / 8)
        tailPositionIndex = capacity + RingBufferDescriptor.tailPositionOffset
        headCachePositionIndex = capacity + RingBufferDescriptor.headCachePositionOffset
        headPositionIndex = capacity + RingBufferDescriptor.headPositionOffset
        correlationIdCounterIndex = capacity + RingBufferDescriptor.correlationCounterOffset
        consumerHeartbeatIndex = capacity + RingBufferDescriptor.consumerHeartbeatOffset
    }

    // MARK: Producer side

    /// Writes one record; false when there is not enough free space right now.
    @inlinable
    public func write(messageTypeId: Int32, from source: UnsafeRawBufferPointer) throws(RingBufferError) -> Bool {
        let index = try tryClaim(messageTypeId: messageTypeId, length: source.count)
        guard index >= 0 else { return false }
        if let base = source.baseAddress, source.count > 0 {
            buffer.copy(from: base, count: source.count, to: index)
        }
        commit(index: index)
        return true
    }

    /// Claims space for a record of `length` body bytes; returns the offset of the body to fill, or -1 when the
    /// buffer is full. The record is invisible to the consumer until ``commit(index:)`` or ``abort(index:)``.
    @inlinable
    public func tryClaim(messageTypeId: Int32, length: Int) throws(RingBufferError) -> Int {
        guard messageTypeId >= 1 else { throw .invalidMessageTypeId(messageTypeId) }
        guard length >= 0 else { throw .negativeLength(length) }
        guard length <= maxMessageLength else { throw .messageTooLong(length: length, max: maxMessageLength) }
        let recordLength = length + RecordDescriptor.headerLength
        let recordIndex = claimCapacity(required: alignUp(recordLength, to: RecordDescriptor.alignment))
        guard recordIndex >= 0 else { return -1 }
        buffer.setInt32Release(Int32(truncatingIfNeeded: -recordLength), at: recordIndex)
        AtomicBuffer.releaseFence()
        buffer.setInt32(messageTypeId, at: RecordDescriptor.typeOffset(recordIndex))
        return RecordDescriptor.encodedMessageOffset(recordIndex)
    }

    /// Publishes a record claimed by ``tryClaim(messageTypeId:length:)``.
    @inlinable
    public func commit(index: Int) {
        let recordIndex = index - RecordDescriptor.headerLength
        let length = buffer.int32(at: recordIndex)
        if length < 0 { buffer.setInt32Release(-length, at: recordIndex) }
    }

    /// Turns a claimed record into padding the consumer skips.
    @inlinable
    public func abort(index: Int) {
        let recordIndex = index - RecordDescriptor.headerLength
        let length = buffer.int32(at: recordIndex)
        if length < 0 {
            buffer.setInt32(RecordDescriptor.paddingMessageTypeId, at: RecordDescriptor.typeOffset(recordIndex))
            buffer.setInt32Release(-length, at: recordIndex)
        }
    }

    @usableFromInline
    func claimCapacity(required: Int) -> Int {
        let mask = capacity - 1
        var headCache = buffer.int64Acquire(at: headCachePositionIndex)
        var tail: Int64
        var tailIndex: Int
        var padding: Int
        while true {
            tail = buffer.int64Acquire(at: tailPositionIndex)
            if required > capacity - Int(tail - headCache) {
                let head = buffer.int64Acquire(at: headPositionIndex)
                if required > capacity - Int(tail - head) { return -1 }
                headCache = head
                buffer.setInt64Release(head, at: headCachePositionIndex)
            }
            padding = 0
            tailIndex = Int(tail) & mask
            let toBufferEnd = capacity - tailIndex
            if required > toBufferEnd {
                // The record goes to index 0: the space there must already be consumed.
                var headIndex = Int(headCache) & mask
                if required > headIndex {
                    let head = buffer.int64Acquire(at: headPositionIndex)
                    headIndex = Int(head) & mask
                    if required > headIndex { return -1 }
                    headCache = head
                    buffer.setInt64Release(head, at: headCachePositionIndex)
                }
                padding = toBufferEnd
            }
            if buffer.compareAndSetInt64(at: tailPositionIndex, expected: tail, desired: tail + Int64(required + padding)) {
                break
            }
        }
        if padding != 0 {
            buffer.setInt32Release(Int32(-padding), at: tailIndex)
            AtomicBuffer.releaseFence()
            buffer.setInt32(RecordDescriptor.paddingMessageTypeId, at: RecordDescriptor.typeOffset(tailIndex))
            buffer.setInt32Release(Int32(padding), at: tailIndex)
            tailIndex = 0
        }
        return tailIndex
    }

    /// Takes the next id from the shared correlation counter (unique across all clients of the driver).
    @inlinable
    public func nextCorrelationId() -> Int64 {
        buffer.getAndAddInt64(at: correlationIdCounterIndex, 1)
    }

    // MARK: Consumer side

    /// Reads up to `limit` records from the head, calling `handler(typeId, buffer, bodyOffset, bodyLength)` for
    /// each; consumed bytes are zeroed and the head advanced. Returns the number of records delivered.
    @inlinable
    public func read(limit: Int = .max, _ handler: (Int32, AtomicBuffer, Int, Int) -> Void) -> Int {
        let head = buffer.int64Relaxed(at: headPositionIndex)
        let headIndex = Int(head) & (capacity - 1)
        let contiguousBlockLength = capacity - headIndex
        var messagesRead = 0
        var bytesRead = 0
        while bytesRead < contiguousBlockLength && messagesRead < limit {
            let recordIndex = headIndex + bytesRead
            let recordLength = Int(buffer.int32Acquire(at: recordIndex))
            if recordLength <= 0 { break }
            bytesRead += alignUp(recordLength, to: RecordDescriptor.alignment)
            let typeId = buffer.int32(at: RecordDescriptor.typeOffset(recordIndex))
            if typeId == RecordDescriptor.paddingMessageTypeId { continue }
            messagesRead += 1
            handler(typeId, buffer, RecordDescriptor.encodedMessageOffset(recordIndex), recordLength - RecordDescriptor.headerLength)
        }
        if bytesRead > 0 {
            buffer.fill(0, at: headIndex, count: bytesRead)
            buffer.setInt64Release(head + Int64(bytesRead), at: headPositionIndex)
        }
        return messagesRead
    }

    /// Like ``read(limit:_:)`` but the handler decides per record (``ControlledReadAction``).
    @inlinable
    public func controlledRead(limit: Int = .max, _ handler: (Int32, AtomicBuffer, Int, Int) -> ControlledReadAction) -> Int {
        var head = buffer.int64Relaxed(at: headPositionIndex)
        var headIndex = Int(head) & (capacity - 1)
        var contiguousBlockLength = capacity - headIndex
        var messagesRead = 0
        var bytesRead = 0
        loop: while bytesRead < contiguousBlockLength && messagesRead < limit {
            let recordIndex = headIndex + bytesRead
            let recordLength = Int(buffer.int32Acquire(at: recordIndex))
            if recordLength <= 0 { break }
            let alignedLength = alignUp(recordLength, to: RecordDescriptor.alignment)
            bytesRead += alignedLength
            let typeId = buffer.int32(at: RecordDescriptor.typeOffset(recordIndex))
            if typeId == RecordDescriptor.paddingMessageTypeId { continue }
            let action = handler(typeId, buffer, RecordDescriptor.encodedMessageOffset(recordIndex), recordLength - RecordDescriptor.headerLength)
            switch action {
            case .abort:
                bytesRead -= alignedLength
                break loop
            case .breakRead:
                messagesRead += 1
                break loop
            case .commit:
                messagesRead += 1
                buffer.fill(0, at: headIndex, count: bytesRead)
                head += Int64(bytesRead)
                buffer.setInt64Release(head, at: headPositionIndex)
                headIndex += bytesRead
                contiguousBlockLength -= bytesRead
                bytesRead = 0
            case .continueRead:
                messagesRead += 1
            }
        }
        if bytesRead > 0 {
            buffer.fill(0, at: headIndex, count: bytesRead)
            buffer.setInt64Release(head + Int64(bytesRead), at: headPositionIndex)
        }
        return messagesRead
    }

    /// Frees a record left half-written by a producer that died (or stalled) between claim and commit, so the
    /// consumer can move on (driver side, PROTOCOL_FACTS §3.4). Returns true when something was unblocked.
    public func unblock() -> Bool {
        let head = buffer.int64Acquire(at: headPositionIndex)
        let tail = buffer.int64Acquire(at: tailPositionIndex)
        if head == tail { return false }
        let mask = capacity - 1
        let consumerIndex = Int(head) & mask
        let producerIndex = Int(tail) & mask
        var length = buffer.int32Acquire(at: consumerIndex)
        if length < 0 {
            buffer.setInt32(RecordDescriptor.paddingMessageTypeId, at: RecordDescriptor.typeOffset(consumerIndex))
            buffer.setInt32Release(-length, at: consumerIndex)
            return true
        }
        if length == 0 {
            let limit = producerIndex > consumerIndex ? producerIndex : capacity
            var i = consumerIndex + RecordDescriptor.alignment
            while i < limit {
                length = buffer.int32Acquire(at: i)
                if length != 0 {
                    if scanBackToConfirmZeroed(from: i, limit: consumerIndex) {
                        buffer.setInt32(RecordDescriptor.paddingMessageTypeId, at: RecordDescriptor.typeOffset(consumerIndex))
                        buffer.setInt32Release(Int32(i - consumerIndex), at: consumerIndex)
                        return true
                    }
                    return false
                }
                i += RecordDescriptor.alignment
            }
        }
        return false
    }

    func scanBackToConfirmZeroed(from: Int, limit: Int) -> Bool {
        var i = from - RecordDescriptor.alignment
        while i >= limit {
            if buffer.int32Acquire(at: i) != 0 { return false }
            i -= RecordDescriptor.alignment
        }
        return true
    }

    // MARK: Positions and heartbeat

    /// Consumer heartbeat, epoch milliseconds (`-1` once the driver closed cleanly).
    @inlinable public var consumerHeartbeatTime: Int64 { buffer.int64Acquire(at: consumerHeartbeatIndex) }

    /// Release-writes the consumer heartbeat (driver side).
    @inlinable public func setConsumerHeartbeatTime(_ epochMs: Int64) {
        buffer.setInt64Release(epochMs, at: consumerHeartbeatIndex)
    }

    /// Total bytes ever claimed by producers.
    @inlinable public var producerPosition: Int64 { buffer.int64Acquire(at: tailPositionIndex) }
    /// Total bytes ever consumed.
    @inlinable public var consumerPosition: Int64 { buffer.int64Acquire(at: headPositionIndex) }

    /// Bytes currently claimed but not yet consumed.
    public var size: Int {
        var headBefore: Int64
        var tail: Int64
        var headAfter = buffer.int64Acquire(at: headPositionIndex)
        repeat {
            headBefore = headAfter
            tail = buffer.int64Acquire(at: tailPositionIndex)
            headAfter = buffer.int64Acquire(at: headPositionIndex)
        } while headAfter != headBefore
        return Int(tail - headAfter)
    }
}
