import SharedMemory

/// Layout of the one-to-many broadcast buffer (the driver's to-clients buffer in `cnc.dat`).
///
/// `capacity` bytes of records (a power of two) followed by a 128-byte trailer holding the tail-intent, tail and
/// latest counters. Records are an 8-byte header (`i32 length` including the header, `i32 type`) plus the body,
/// aligned to 8. Type `-1` marks padding at the end of the buffer.
public enum BroadcastBufferDescriptor {
    /// Trailer bytes after the records.
    public static let trailerLength = 128
    /// Offset in the trailer of the tail-intent counter (written before a record, read by receivers to detect laps).
    public static let tailIntentCounterOffset = 0
    /// Offset in the trailer of the tail counter (written after a record).
    public static let tailCounterOffset = 8
    /// Offset in the trailer of the position of the most recent record.
    public static let latestCounterOffset = 16

    /// Bytes of the record header.
    public static let recordHeaderLength = 8
    /// Record alignment.
    public static let recordAlignment = 8
    /// Offset of the `i32` record length in a record.
    public static let lengthOffset = 0
    /// Offset of the `i32` message type in a record.
    public static let typeOffset = 4
    /// Message type of a padding record.
    public static let paddingMessageTypeId: Int32 = -1

    /// Errors in a buffer's geometry.
    public enum LayoutError: Error, Equatable, CustomStringConvertible {
        /// `length - 128` is not a positive power of two.
        case capacityNotPowerOfTwo(length: Int)

        /// The rejected length and the rule it breaks, for the error that refuses to map the buffer.
        public var description: String {
            switch self {
            case .capacityNotPowerOfTwo(let length):
                "broadcast buffer capacity must be a positive power of 2 plus a \(trailerLength)-byte trailer: length=\(length)"
            }
        }
    }

    /// Validates a whole buffer (records + trailer) and returns the record capacity.
    public static func capacity(ofBufferLength length: Int) throws(LayoutError) -> Int {
        let capacity = length - trailerLength
        guard capacity > 0, capacity & (capacity - 1) == 0 else { throw .capacityNotPowerOfTwo(length: length) }
        return capacity
    }

    /// Largest body a record may carry in a buffer of `capacity`.
    @inlinable public static func maxMessageLength(capacity: Int) -> Int { capacity / 8 }

    @inlinable @inline(__always)
    static func align(_ value: Int, _ alignment: Int) -> Int { (value + alignment - 1) & ~(alignment - 1) }
}
