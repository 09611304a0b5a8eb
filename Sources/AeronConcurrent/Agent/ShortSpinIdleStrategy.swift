import CSystemShims

/// Waits a few nanoseconds when idle: a call to a loop of ``iterations`` turns of a `nop` (two turns a cycle here,
/// ~3 ns for the default 16 with the call) instead of a `pause` (~24 ns on this CPU, 10 to 140 cycles elsewhere).
///
/// For a loop that polls a line another core writes and answers at once (a pong, a request/response server), the
/// wait between empty polls decides what each exchange costs in some core placements. On this project's AMD EPYC VM,
/// where a cross-core cache-line round trip takes ~400 ns in one placement, ping/pong round trip p50 against the C
/// client's ping (session 9 in the `AeronClient` README, ~20 alternated runs each):
///
/// | wait after an empty poll | round trip p50 |
/// | --- | --- |
/// | none (``NoOpIdleStrategy``) | 541–561 ns |
/// | one `pause` (``BusySpinIdleStrategy``) | 561–581 ns, every run |
/// | this strategy, 16 turns | 411–421 ns in about two runs of three, else 561–581 |
/// | (the C client's own pong, no wait) | 411–431 ns in about four runs of five, else 541–581 |
///
/// Where the round trip takes ~100 ns all of them measure the same (100–130 ns). The window is narrow and depends
/// on how the calling loop's code is laid out as much as on the count, so measure a new machine with
/// `tp aeron pong --idle short-spin --spin-iterations N` against `--idle spin`.
public struct ShortSpinIdleStrategy: IdleStrategy {
    /// Turns of the `nop` loop per idle (never negative).
    public let iterations: Int32

    /// A short-spin strategy running `iterations` turns per idle (negative counts as zero).
    public init(iterations: Int32 = 16) {
        self.iterations = max(iterations, 0)
    }

    /// Runs ``iterations`` turns of the `nop` loop (one call) and returns.
    @inlinable public mutating func idle() { shims_spin_iterations(iterations) }
    /// Nothing to reset: the strategy keeps no state.
    @inlinable public mutating func reset() {}
    /// `short-spin` (not an Aeron name: Aeron has no such strategy).
    public var alias: String { "short-spin" }
}
