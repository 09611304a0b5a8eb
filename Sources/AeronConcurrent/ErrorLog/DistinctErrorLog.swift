import SharedMemory
import Synchronization

/// Writer of a distinct error log: each distinct error text is stored once, repeats only bump its count and last
/// observation time, so a storm of one error cannot fill the log. Thread-safe (one lock around the writer state);
/// errors are rare, never on a hot path.
public final class DistinctErrorLog: Sendable {
    /// The log buffer.
    public let buffer: AtomicBuffer

    private struct State: ~Copyable {
        var nextOffset = 0
        /// Offsets and texts of recorded entries; texts compared to detect repeats.
        var entries: [(offset: Int, text: [UInt8])] = []
    }
    private let state = Mutex(State())

    /// Writes into `buffer`, which should be zero (a fresh log).
    public init(buffer: AtomicBuffer) {
        self.buffer = buffer
    }

    /// Records one observation of `text` at `timestampMs` (epoch ms).
    /// - Returns: false when the log is full and the error is new (it is dropped).
    @discardableResult
    public func record(_ text: String, timestampMs: Int64) -> Bool {
        let bytes = Array(text.utf8)
        return state.withLock { state -> Bool in
            if let existing = state.entries.first(where: { $0.text == bytes }) {
                observe(at: existing.offset, timestampMs: timestampMs)
                return true
            }
            let offset = state.nextOffset
            let length = ErrorLogDescriptor.encodedErrorOffset + bytes.count
            guard length <= buffer.capacity - offset else { return false }
            bytes.withUnsafeBytes { raw in
                if let base = raw.baseAddress {
                    buffer.copy(from: base, count: raw.count, to: offset + ErrorLogDescriptor.encodedErrorOffset)
                }
            }
            buffer.setInt64(timestampMs, at: offset + ErrorLogDescriptor.firstObservationTimestampOffset)
            buffer.setInt64(timestampMs, at: offset + ErrorLogDescriptor.lastObservationTimestampOffset)
            buffer.setInt32Release(Int32(length), at: offset + ErrorLogDescriptor.lengthOffset)
            state.nextOffset = ErrorLogDescriptor.align(offset + length, ErrorLogDescriptor.recordAlignment)
            state.entries.append((offset, bytes))
            observe(at: offset, timestampMs: timestampMs)
            return true
        }
    }

    private func observe(at offset: Int, timestampMs: Int64) {
        _ = buffer.getAndAddInt32(at: offset + ErrorLogDescriptor.observationCountOffset, 1)
        buffer.setInt64Release(timestampMs, at: offset + ErrorLogDescriptor.lastObservationTimestampOffset)
    }

    /// Number of distinct errors recorded.
    public var distinctCount: Int { state.withLock { $0.entries.count } }
}
