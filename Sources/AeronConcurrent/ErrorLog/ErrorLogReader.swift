import SharedMemory

/// One entry of a distinct error log.
public struct ErrorLogEntry: Sendable, Equatable {
    /// How many times the error was seen.
    public var observationCount: Int32
    /// First observation (epoch ms).
    public var firstObservationTimestampMs: Int64
    /// Most recent observation (epoch ms).
    public var lastObservationTimestampMs: Int64
    /// The error text.
    public var text: String
}

/// Reads a distinct error log written by this process or another (e.g. the C or Java media driver).
public enum ErrorLogReader {
    /// Calls `consumer` for every entry last observed at or after `sinceTimestampMs`; returns how many were read.
    /// Stops at the first empty or malformed record (the bytes belong to another process and are not trusted).
    @discardableResult
    public static func read(
        _ buffer: AtomicBuffer, sinceTimestampMs: Int64 = 0, _ consumer: (ErrorLogEntry) -> Void
    ) -> Int {
        var entries = 0
        var offset = 0
        while offset + ErrorLogDescriptor.encodedErrorOffset <= buffer.capacity {
            let length = Int(buffer.int32Acquire(at: offset + ErrorLogDescriptor.lengthOffset))
            guard length >= ErrorLogDescriptor.encodedErrorOffset, length <= buffer.capacity - offset else { break }
            let last = buffer.int64Acquire(at: offset + ErrorLogDescriptor.lastObservationTimestampOffset)
            if last >= sinceTimestampMs {
                entries += 1
                consumer(ErrorLogEntry(
                    observationCount: buffer.int32Acquire(at: offset + ErrorLogDescriptor.observationCountOffset),
                    firstObservationTimestampMs: buffer.int64(at: offset + ErrorLogDescriptor.firstObservationTimestampOffset),
                    lastObservationTimestampMs: last,
                    text: buffer.string(at: offset + ErrorLogDescriptor.encodedErrorOffset, count: length - ErrorLogDescriptor.encodedErrorOffset)))
            }
            offset += ErrorLogDescriptor.align(length, ErrorLogDescriptor.recordAlignment)
        }
        return entries
    }

    /// All entries, in log order.
    public static func entries(_ buffer: AtomicBuffer) -> [ErrorLogEntry] {
        var all: [ErrorLogEntry] = []
        read(buffer) { all.append($0) }
        return all
    }
}
