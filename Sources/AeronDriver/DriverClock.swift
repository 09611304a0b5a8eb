#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Clocks the driver reads once per duty cycle.
public enum DriverClock {
    /// Monotonic nanoseconds (`CLOCK_MONOTONIC`).
    @inline(__always)
    public static func nanoTime() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Wall-clock milliseconds since the epoch (client heartbeats and the driver heartbeat use this clock).
    @inline(__always)
    public static func epochMs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
