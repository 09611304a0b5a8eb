import SharedMemory

/// One receiver of a broadcast buffer. Records are read in place, so a caller must copy a record and then call
/// ``validate()`` before trusting the copy (see ``CopyBroadcastReceiver``, which does exactly that).
///
/// A receiver starts at the most recent record present when it is created: it never sees older ones.
public struct BroadcastReceiver: @unchecked Sendable {
    /// The whole buffer, records and trailer.
    public let buffer: AtomicBuffer
    /// Record capacity (power of two).
    public let capacity: Int
    @usableFromInline let mask: Int
    @usableFromInline let tailIntentIndex: Int
    @usableFromInline let tailIndex: Int
    @usableFromInline let latestIndex: Int
    /// Position of the record currently exposed by ``offset``/``length``/``typeId``.
    public private(set) var cursor: Int64
    @usableFromInline var nextRecord: Int64
    @usableFromInline var recordOffset: Int
    /// How many times this receiver was overrun by the transmitter.
    public private(set) var lappedCount: Int64 = 0

    /// Wraps a broadcast buffer (records + 128-byte trailer); throws when the geometry is invalid.
    public init(buffer: AtomicBuffer) throws(BroadcastBufferDescriptor.LayoutError) {
        let capacity = try BroadcastBufferDescriptor.capacity(ofBufferLength: buffer.capacity)
        self.buffer = buffer
        self.capacity = capacity
        self.mask = capacity - 1
        self.tailIntentIndex = capacity + BroadcastBufferDescriptor.tailIntentCounterOffset
        self.tailIndex = capacity + BroadcastBufferDescriptor.tailCounterOffset
        self.latestIndex = capacity + BroadcastBufferDescriptor.latestCounterOffset
        let latest = buffer.int64Acquire(at: latestIndex)
        self.cursor = latest
        self.nextRecord = latest
        self.recordOffset = Int(truncatingIfNeeded: latest) & (capacity - 1)
    }

    /// Message type of the current record.
    public var typeId: Int32 { buffer.int32(at: recordOffset + BroadcastBufferDescriptor.typeOffset) }
    /// Offset in ``buffer`` of the current record's body.
    public var offset: Int { recordOffset + BroadcastBufferDescriptor.recordHeaderLength }
    /// Body length of the current record, clamped to what the buffer can hold (the bytes are untrusted).
    public var length: Int {
        let raw = Int(buffer.int32(at: recordOffset + BroadcastBufferDescriptor.lengthOffset)) - BroadcastBufferDescriptor.recordHeaderLength
        return min(max(raw, 0), capacity - offset)
    }

    /// Advances to the next record; false when there is none yet.
    public mutating func receiveNext() -> Bool {
        let tail = buffer.int64Acquire(at: tailIndex)
        var cursor = nextRecord
        guard tail > cursor else { return false }
        var recordOffset = Int(truncatingIfNeeded: cursor) & mask
        if !isValid(cursor) {
            lappedCount += 1
            cursor = buffer.int64Acquire(at: latestIndex)
            recordOffset = Int(truncatingIfNeeded: cursor) & mask
        }
        self.cursor = cursor
        nextRecord = cursor + Int64(alignedRecordLength(at: recordOffset))
        if buffer.int32(at: recordOffset + BroadcastBufferDescriptor.typeOffset) == BroadcastBufferDescriptor.paddingMessageTypeId {
            recordOffset = 0
            self.cursor = nextRecord
            nextRecord += Int64(alignedRecordLength(at: 0))
        }
        self.recordOffset = recordOffset
        return true
    }

    /// True when the current record was not overwritten since ``receiveNext()`` (call after copying it).
    public func validate() -> Bool {
        AtomicBuffer.acquireFence()
        return isValid(cursor)
    }

    @inline(__always)
    func isValid(_ cursor: Int64) -> Bool {
        cursor + Int64(capacity) > buffer.int64Acquire(at: tailIntentIndex)
    }

    /// Aligned length of the record at `offset`, at least one header so a corrupt zero cannot stall the receiver.
    @inline(__always)
    func alignedRecordLength(at offset: Int) -> Int {
        let raw = Int(buffer.int32(at: offset + BroadcastBufferDescriptor.lengthOffset))
        let clamped = min(max(raw, BroadcastBufferDescriptor.recordHeaderLength), capacity)
        return BroadcastBufferDescriptor.align(clamped, BroadcastBufferDescriptor.recordAlignment)
    }
}
