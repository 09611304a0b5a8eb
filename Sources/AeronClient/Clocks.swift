#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The two clocks the client uses: monotonic nanoseconds for deadlines, epoch milliseconds for heartbeats
/// (the driver compares heartbeats with its own epoch clock).
public enum AeronClock {
    /// Monotonic time in nanoseconds.
    @inlinable public static func nanoTime() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Wall-clock time in milliseconds since the epoch.
    @inlinable public static func epochMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
