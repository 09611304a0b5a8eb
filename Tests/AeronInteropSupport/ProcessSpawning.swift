import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Launching child processes with a default signal mask.
///
/// A child inherits the signal mask of the thread that spawns it, and Swift Testing runs tests on dispatch worker
/// threads that block almost every signal (measured: `SigBlk: fffffffe3bfbea27`, SIGTERM and SIGINT included).
/// Spawned from there with `Process.run()`, a child would never see SIGTERM, so a graceful `terminate()` would
/// hang until a timeout. `run(_:)` clears the spawning thread's mask for the duration of the spawn.
public enum ProcessSpawning {
    /// `process.run()` with every signal unblocked in the child (the calling thread's mask is restored afterwards).
    public static func runWithDefaultSignalMask(_ process: Process) throws {
        var empty = sigset_t()
        var saved = sigset_t()
        sigemptyset(&empty)
        pthread_sigmask(SIG_SETMASK, &empty, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        try process.run()
    }
}
