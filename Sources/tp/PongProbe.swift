import AeronClient
import CSystemShims
import Foundation

/// What the pong's echo loop records around each message. `tp aeron pong` runs the loop with ``UntimedPong``,
/// whose empty methods compile away, and `tp aeron pong --timing` with ``PongTiming``: one loop, no cost when off.
protocol PongProbe {
    /// Called first thing in the fragment handler, with the ping's message.
    mutating func messageArrived(_ message: UnsafeRawBufferPointer)
    /// Called once the echo's offer succeeded.
    mutating func echoed()
}

/// The pong without timing.
struct UntimedPong: PongProbe {
    @inline(__always) mutating func messageArrived(_ message: UnsafeRawBufferPointer) {}
    @inline(__always) mutating func echoed() {}
}

/// Where a pong's share of the round trip goes, per message, into preallocated samples:
/// - **forward**: the clock when the handler starts minus the ping's stamp (its first 8 bytes, `CLOCK_MONOTONIC`
///   nanoseconds, as both our ping and the C harness's write them): the ping's offer, the hop, and the poll;
/// - **echo**: cycles from just after that clock read to the end of the successful offer (stop-stamp check and
///   offer), from ``shims_cycle_counter()``, also given in nanoseconds at the rate the counter ran against the clock
///   over the whole run.
/// The round trip minus both is the return hop: the echo's stores becoming visible and the ping's poll seeing them.
/// Compare pongs with the same ping (`scripts/pingpong-placement-sweep.sh TIMING=1` runs ours and a C pong timed the
/// same way, `scripts/pingpong-timing/aeron_pong_timed.c`).
struct PongTiming: PongProbe {
    private let forward: UnsafeMutableBufferPointer<Int64>
    private let echo: UnsafeMutableBufferPointer<UInt64>
    private var recorded = 0
    private var handlerStart: UInt64 = 0
    private var forwardNs: Int64 = 0
    private var firstClock: Int64 = 0
    private var firstCycles: UInt64 = 0

    /// Keeps the last `capacity` messages' samples.
    init(capacity: Int) {
        forward = .allocate(capacity: max(capacity, 1))
        forward.initialize(repeating: 0)
        echo = .allocate(capacity: max(capacity, 1))
        echo.initialize(repeating: 0)
    }

    /// Only the clock and the counter are read inside the span; the samples are stored after it, in ``echoed()``,
    /// as the C pong does.
    @inline(__always)
    mutating func messageArrived(_ message: UnsafeRawBufferPointer) {
        let now = AeronClock.nanoTime()
        handlerStart = shims_cycle_counter()
        if recorded == 0 { firstClock = now; firstCycles = handlerStart }
        forwardNs = message.count >= 8 ? now &- message.loadUnaligned(as: Int64.self) : 0
    }

    @inline(__always)
    mutating func echoed() {
        let cycles = shims_cycle_counter() &- handlerStart
        let slot = recorded % forward.count
        forward[slot] = forwardNs
        echo[slot] = cycles
        recorded &+= 1
    }

    /// One line of percentiles over the samples kept, leaving out the first 10 % of the run (warm-up), or nil when
    /// nothing was echoed. Frees the samples.
    mutating func reportAndRelease() -> String? {
        defer { forward.deallocate(); echo.deallocate() }
        let kept = min(recorded, forward.count)
        guard kept > 0 else { return nil }
        let cyclesPerNs = Self.counterRate(since: firstClock, firstCycles)
        let skip = recorded > forward.count ? 0 : kept / 10
        var forwardSamples = [Int64](), echoSamples = [UInt64]()
        forwardSamples.reserveCapacity(kept - skip)
        echoSamples.reserveCapacity(kept - skip)
        let oldest = recorded > forward.count ? recorded % forward.count : 0
        for i in skip..<kept {
            forwardSamples.append(forward[(oldest + i) % forward.count])
            echoSamples.append(echo[(oldest + i) % echo.count])
        }
        forwardSamples.sort()
        echoSamples.sort()
        func pick<T>(_ sorted: [T], _ p: Double) -> T { sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))] }
        func ns(_ cycles: UInt64) -> String { cyclesPerNs > 0 ? String(Int((Double(cycles) / cyclesPerNs).rounded())) : "-" }
        return "timing messages=\(forwardSamples.count) forward_ns p50=\(pick(forwardSamples, 0.5)) p99=\(pick(forwardSamples, 0.99))"
            + " echo_cycles p50=\(pick(echoSamples, 0.5)) p99=\(pick(echoSamples, 0.99))"
            + " echo_ns p50=\(ns(pick(echoSamples, 0.5))) p99=\(ns(pick(echoSamples, 0.99)))"
            + " cycles_per_ns=\(cyclesPerNs > 0 ? String(format: "%.3f", cyclesPerNs) : "-")"
    }

    /// Counter cycles per clock nanosecond between the first message and now (0 when the counter does not run).
    private static func counterRate(since clock: Int64, _ cycles: UInt64) -> Double {
        let elapsedNs = AeronClock.nanoTime() - clock
        let elapsedCycles = shims_cycle_counter() &- cycles
        guard elapsedNs > 0, cycles != 0 else { return 0 }
        return Double(elapsedCycles) / Double(elapsedNs)
    }
}
