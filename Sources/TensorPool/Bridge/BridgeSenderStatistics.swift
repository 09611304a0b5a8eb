/// A bridge sender's counters, readable from any thread while it runs (single writer: the sender's thread).
public struct BridgeSenderStatistics: Sendable {
    /// Counter indices.
    public enum Counter: Int, CaseIterable, Sendable {
        /// Frames whose every chunk was offered successfully.
        case framesSent
        /// Payload bytes of those frames.
        case bytesSent
        /// `BridgeFrameChunk` messages offered successfully.
        case chunksSent
        /// Source frames torn during the staging copy (discarded, never sent).
        case sourceTorn
        /// Source frames delivered while the previous frame was still being sent (back pressure): not sent.
        case busyDrops
        /// Source frames larger than the staging buffer (``BridgeSenderOptions/maxFrameBytes``): not sent.
        case oversizeDrops
        /// Frames given up part-way: the publication was not connected, closed or at its maximum position.
        /// The receiver aborts such a frame (missing chunk / next frame / timeout).
        case framesAbandoned
        /// Offers (chunks or metadata) refused by back pressure or admin action (retried on the next duty cycle).
        case backPressured
        /// Source frames lost before the sender read them (source consumer `drops_gap` + `drops_late`, mirrored).
        case sourceDrops
        /// `BridgeDataSourceMeta` messages offered successfully (each change, and the periodic re-sends).
        case metadataSent
        /// Metadata the publication refused for good (closed, at its maximum position, longer than
        /// `maxMessageLength`): tried again at the next re-send interval.
        case metadataAbandoned
    }

    @usableFromInline let values = SingleWriterCounters(count: Counter.allCases.count)

    /// Zeroed counters.
    public init() {}

    /// Current value of `counter` (relaxed read, any thread).
    public subscript(counter: Counter) -> UInt64 { values[counter.rawValue] }

    @inlinable func add(_ counter: Counter, _ delta: UInt64 = 1) { values.add(counter.rawValue, delta) }
    @inlinable func set(_ counter: Counter, _ value: UInt64) { values.set(counter.rawValue, value) }
}
