#if canImport(Glibc)
    import Glibc
#endif

/// Sleeping the calling thread for a number of nanoseconds, without allocating.
public enum ThreadPark {
    /// `nanosleep` for `nanoseconds` (restarted after signal interruptions).
    @inlinable
    public static func sleep(nanoseconds: Int) {
        var request = timespec(tv_sec: nanoseconds / 1_000_000_000, tv_nsec: nanoseconds % 1_000_000_000)
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR {
            request = remaining
        }
    }
}
