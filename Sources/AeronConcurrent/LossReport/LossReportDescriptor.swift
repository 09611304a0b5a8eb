import SharedMemory

/// Layout of `loss-report.dat`: 64-byte-aligned records of data lost by network images.
///
/// An IPC-only driver never loses data, so it only creates the (zero) file for tools that expect it.
public enum LossReportDescriptor {
    /// File name inside the Aeron directory.
    public static let fileName = "loss-report.dat"
    /// Default length before page alignment (1 MiB).
    public static let defaultLength = 1_048_576
    /// `i64` observation count (release-written last; 0 ends the report).
    public static let observationCountOffset = 0
    /// `i64` total bytes lost.
    public static let totalBytesLostOffset = 8
    /// `i64` first observation (epoch ms).
    public static let firstObservationOffset = 16
    /// `i64` last observation (epoch ms).
    public static let lastObservationOffset = 24
    /// `i32` session id.
    public static let sessionIdOffset = 32
    /// `i32` stream id.
    public static let streamIdOffset = 36
    /// `i32` channel length, then the channel (padded to 4), then the source.
    public static let channelOffset = 40
    /// Records are aligned to 64 bytes.
    public static let recordAlignment = 64

    /// Creates a zero-filled loss report of `align(length, pageSize)` bytes at `path`.
    public static func create(path: String, length: Int = defaultLength, pageSize: Int = 4096) throws -> MappedFile {
        let aligned = (length + pageSize - 1) & ~(pageSize - 1)
        return try MappedFile.create(path: path, length: aligned, permissions: 0o666)
    }

    /// One loss entry.
    public struct Entry: Sendable, Equatable {
        /// Times loss was observed.
        public var observationCount: Int64
        /// Bytes lost in total.
        public var totalBytesLost: Int64
        /// First observation (epoch ms).
        public var firstObservationTimestampMs: Int64
        /// Last observation (epoch ms).
        public var lastObservationTimestampMs: Int64
        /// Session of the image.
        public var sessionId: Int32
        /// Stream of the image.
        public var streamId: Int32
        /// Channel of the image.
        public var channel: String
        /// Source identity of the image.
        public var source: String
    }

    /// Reads every entry (stops at the first record whose observation count is 0 or that does not fit).
    public static func read(_ buffer: AtomicBuffer) -> [Entry] {
        var entries: [Entry] = []
        var offset = 0
        while offset + channelOffset + 8 <= buffer.capacity {
            let count = buffer.int64Acquire(at: offset + observationCountOffset)
            guard count > 0 else { break }
            let channelLength = Int(buffer.int32(at: offset + channelOffset))
            let sourceLengthOffset = offset + channelOffset + 4 + ((max(channelLength, 0) + 3) & ~3)
            guard channelLength >= 0, sourceLengthOffset + 4 <= buffer.capacity else { break }
            let sourceLength = Int(buffer.int32(at: sourceLengthOffset))
            guard sourceLength >= 0, sourceLengthOffset + 4 + sourceLength <= buffer.capacity else { break }
            entries.append(Entry(
                observationCount: count,
                totalBytesLost: buffer.int64(at: offset + totalBytesLostOffset),
                firstObservationTimestampMs: buffer.int64(at: offset + firstObservationOffset),
                lastObservationTimestampMs: buffer.int64(at: offset + lastObservationOffset),
                sessionId: buffer.int32(at: offset + sessionIdOffset),
                streamId: buffer.int32(at: offset + streamIdOffset),
                channel: buffer.string(at: offset + channelOffset + 4, count: channelLength),
                source: buffer.string(at: sourceLengthOffset + 4, count: sourceLength)))
            offset = (sourceLengthOffset + 4 + sourceLength + recordAlignment - 1) & ~(recordAlignment - 1)
        }
        return entries
    }
}
