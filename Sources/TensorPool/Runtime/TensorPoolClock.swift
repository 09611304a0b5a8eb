#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The clocks of the tensor-pool roles.
///
/// Duty cycles read ``monotonicNs()`` once and pass the value down (`nowNs`) so every decision of a cycle sees
/// the same instant and the clock is paid once (≈25 ns per `CLOCK_MONOTONIC` read on Linux).
/// Frame timestamps (`timestamp_ns` in headers and descriptors) are `CLOCK_MONOTONIC` (spec §15.7), so a consumer
/// on the same host computes latency as `nowNs - timestamp_ns`.
public enum TensorPoolClock {
    /// `CLOCK_MONOTONIC` in nanoseconds.
    @inlinable
    public static func monotonicNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// `CLOCK_REALTIME` in nanoseconds since the Unix epoch (wall clock: epoch allocation, human-facing stamps).
    @inlinable
    public static func realtimeNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}

/// A cadence: "is it time to do X again?" for periodic messages (announce, QoS, hello, heartbeat).
public struct Cadence: Sendable, Hashable {
    /// Interval between two firings, in nanoseconds.
    public var intervalNs: UInt64
    /// When it last fired (0 = never: fires on the first check).
    public private(set) var lastNs: UInt64 = 0
    private var fired = false

    /// A cadence firing every `intervalNs` nanoseconds (0: on every check) and on the very first check, so periodic
    /// messages such as an announce go out as soon as a role starts.
    public init(intervalNs: UInt64) {
        self.intervalNs = intervalNs
    }

    /// `true` (and re-armed) when the interval has elapsed since the last firing, or on the first call.
    @inlinable
    public mutating func isDue(nowNs: UInt64) -> Bool {
        if !hasFired || (nowNs >= lastNs && nowNs - lastNs >= intervalNs) {
            mark(nowNs)
            return true
        }
        return false
    }

    /// Makes the next ``isDue(nowNs:)`` fire (e.g. "announce on change").
    public mutating func fireNext() {
        fired = false
    }

    @usableFromInline var hasFired: Bool { fired }
    @usableFromInline mutating func mark(_ nowNs: UInt64) {
        lastNs = nowNs
        fired = true
    }
}
