/// Layout of the trailer that follows the records of a ``ManyToOneRingBuffer`` (PROTOCOL_FACTS §3.1).
///
/// Each field sits in its own 128-byte slot so producers, the consumer and the heartbeat never share a cache line
/// pair (adjacent-line prefetch on x86 fetches 128 bytes).
public enum RingBufferDescriptor {
    /// Offset of the tail position (producers, CAS) from the trailer start.
    public static let tailPositionOffset = 128
    /// Offset of the producers' cached copy of the head position.
    public static let headCachePositionOffset = 256
    /// Offset of the head position (consumer, release).
    public static let headPositionOffset = 384
    /// Offset of the shared correlation id counter (fetch-add).
    public static let correlationCounterOffset = 512
    /// Offset of the consumer heartbeat (epoch ms; -1 after a clean driver shutdown).
    public static let consumerHeartbeatOffset = 640
    /// Length of the trailer in bytes.
    public static let trailerLength = 768

    /// Checks that `capacity` (buffer length minus trailer) is a power of two.
    public static func checkCapacity(_ capacity: Int) -> Bool { isPowerOfTwo(capacity) }
}

/// Header of one ring-buffer (and broadcast) record: `i32 length` then `i32 type`, records aligned to 8.
public enum RecordDescriptor {
    /// Length of the record header.
    public static let headerLength = 8
    /// Alignment of every record.
    public static let alignment = 8
    /// Message type id marking a padding record.
    public static let paddingMessageTypeId: Int32 = -1

    /// Offset of the length field of the record at `recordOffset`.
    @inlinable public static func lengthOffset(_ recordOffset: Int) -> Int { recordOffset }
    /// Offset of the type field of the record at `recordOffset`.
    @inlinable public static func typeOffset(_ recordOffset: Int) -> Int { recordOffset + 4 }
    /// Offset of the body of the record at `recordOffset`.
    @inlinable public static func encodedMessageOffset(_ recordOffset: Int) -> Int { recordOffset + headerLength }
}
