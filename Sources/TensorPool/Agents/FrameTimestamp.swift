/// Where a published frame's `timestamp_ns` (slot header and `FrameDescriptor`) comes from.
///
/// Consumers measure latency as `now - timestamp_ns` (both `CLOCK_MONOTONIC`, spec §15.7), so the stamp decides
/// what that latency contains:
/// - ``ns(_:)``: a time the application supplies, e.g. the capture time of a camera frame: latency then covers
///   everything from capture (including the producer's payload copy).
/// - ``atCommit``: the producer reads ``TensorPoolClock/monotonicNs()`` itself, once, after the payload is in the
///   slot and right before the slot header is written and the commit word released. Latency then covers only
///   the hand-off (commit → descriptor → consumer), independent of how long filling the slot took; this is what
///   a transport benchmark compares with other transports.
public enum FrameTimestamp: Sendable, Hashable {
    /// This `CLOCK_MONOTONIC` time in nanoseconds.
    case ns(UInt64)
    /// The producer's `CLOCK_MONOTONIC` at commit (one clock read, ≈25 ns on Linux; no allocation).
    case atCommit

    /// The nanoseconds to write: the supplied time, or the clock read now.
    @inlinable
    public func resolve() -> UInt64 {
        switch self {
        case .ns(let value): value
        case .atCommit: TensorPoolClock.monotonicNs()
        }
    }
}
