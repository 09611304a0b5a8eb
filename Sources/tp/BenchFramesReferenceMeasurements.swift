@preconcurrency import Glibc
import Foundation
import Synchronization

/// The in-process references of `tp bench frames`: single-thread memcpy bandwidth and the core-to-core
/// cache-line round trip.
enum BenchReferenceMeasurements {
    /// Best of `repeats` runs copying about `totalBytes` with `memcpy` in blocks of `bytes` (distinct buffers).
    static func memcpyGiBps(bytes: Int, totalBytes: Int = 2 << 30, repeats: Int = 3) -> Double {
        let size = max(bytes, 8)
        let source = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
        let destination = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
        defer { source.deallocate(); destination.deallocate() }
        memset(source, 1, size)
        memset(destination, 0, size)
        let iterations = max(totalBytes / size, 16)
        var best = Double.infinity
        var sink: UInt8 = 0
        for _ in 0..<repeats {
            let start = BenchClock.nowNs()
            for i in 0..<iterations {
                source.storeBytes(of: UInt8(truncatingIfNeeded: i), as: UInt8.self)
                memcpy(destination, source, size)
                sink &+= destination.load(as: UInt8.self)
            }
            best = min(best, Double(BenchClock.nowNs() - start) / 1e9)
        }
        if sink == 0x5A { print("", terminator: "") }
        return Double(iterations * size) / best / Double(1 << 30)
    }

    /// First-touch vs second-pass write bandwidth of a fresh `MAP_SHARED` file of `bytes` in `directory` (tmpfs
    /// /dev/shm: the first pass pays a page fault and a page clear per 4 KiB page).
    static func firstTouchGiBps(bytes: Int = 256 << 20, directory: String = "/dev/shm") -> (first: Double, second: Double)? {
        let path = directory + "/tp-bench-first-touch-\(getpid())"
        let fd = open(path, O_CREAT | O_RDWR | O_EXCL, 0o600)
        guard fd >= 0 else { return nil }
        defer { close(fd); unlink(path) }
        guard ftruncate(fd, off_t(bytes)) == 0 else { return nil }
        guard let base = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), base != MAP_FAILED else { return nil }
        defer { munmap(base, bytes) }
        let t0 = BenchClock.nowNs()
        memset(base, 1, bytes)
        let t1 = BenchClock.nowNs()
        memset(base, 2, bytes)
        let t2 = BenchClock.nowNs()
        func gib(_ ns: UInt64) -> Double { Double(bytes) / (Double(ns) / 1e9) / Double(1 << 30) }
        return (gib(t1 - t0), gib(t2 - t1))
    }

    /// Two threads ping-pong one cache line up to `roundTrips` times (each run capped at `maxSecondsPerRun`: on a
    /// loaded machine both threads may share a core); median ns per round trip of `runs`.
    static func cacheLineRoundTripNs(roundTrips: Int = 200_000, runs: Int = 3, maxSecondsPerRun: Double = 1) -> Double {
        var samples: [Double] = []
        for _ in 0..<runs {
            let line = BenchCacheLine()
            let ponger = Thread {
                var expected: UInt64 = 1
                while !line.stop.load(ordering: .relaxed) {
                    if line.word.load(ordering: .acquiring) == expected {
                        line.word.store(expected + 1, ordering: .releasing)
                        expected += 2
                    }
                }
                line.done.store(true, ordering: .releasing)
            }
            ponger.start()
            let start = BenchClock.nowNs()
            let deadline = start + UInt64(maxSecondsPerRun * 1e9)
            var value: UInt64 = 1
            var completed = 0
            while completed < roundTrips {
                line.word.store(value, ordering: .releasing)
                while line.word.load(ordering: .acquiring) != value + 1 {}
                value += 2
                completed += 1
                if completed & 255 == 0 && BenchClock.nowNs() > deadline { break }
            }
            let elapsed = BenchClock.nowNs() - start
            line.stop.store(true, ordering: .releasing)
            while !line.done.load(ordering: .acquiring) { sched_yield() }
            samples.append(Double(elapsed) / Double(max(completed, 1)))
        }
        return samples.sorted()[samples.count / 2]
    }
}

/// The words shared by the ping-pong threads (the object header and the flags are written rarely; the round
/// trip moves the line holding `word`).
final class BenchCacheLine: Sendable {
    let word: Atomic<UInt64>
    let done: Atomic<Bool>
    let stop: Atomic<Bool>
    init() {
        word = Atomic(0)
        done = Atomic(false)
        stop = Atomic(false)
    }
}

/// CLOCK_MONOTONIC in nanoseconds.
enum BenchClock {
    static func nowNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
