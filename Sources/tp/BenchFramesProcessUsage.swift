@preconcurrency import Glibc

/// CPU time and peak RSS of this process (`getrusage(RUSAGE_SELF)`).
struct BenchProcessUsage {
    var cpuNs: UInt64
    var maxRssKiB: Int

    static func now() -> BenchProcessUsage {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func ns(_ t: timeval) -> UInt64 { UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_usec) * 1_000 }
        return BenchProcessUsage(cpuNs: ns(usage.ru_utime) + ns(usage.ru_stime), maxRssKiB: Int(usage.ru_maxrss))
    }

    /// The 1, 5 and 15 minute load averages.
    static func loadAverage() -> [Double] {
        var values = [Double](repeating: 0, count: 3)
        _ = getloadavg(&values, 3)
        return values
    }
}
