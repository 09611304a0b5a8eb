/// Supervisor policy: demote a consumer that drops too many frames (spec §10.5, §15.4).
///
/// Evaluated on every completed QoS window of a consumer: with `Δframes` the advance of its
/// `last_seq_seen` and `Δdrops` the advance of `drops_gap + drops_late` over the window, the
/// consumer is sent `ConsumerConfig(mode: action, decimation:)` when `Δframes >= minFrames` and
/// `Δdrops / Δframes > maxDropFraction`, unless it already reports that mode.
///
/// A consumer demoted from STREAM is probed back: after `restoreAfterNs` the supervisor commands STREAM
/// again, and the first complete window decides (see ``ConsumerDemotion``).
public struct DropRatePolicy: Sendable, Hashable {
    /// `false` disables the policy.
    public var enabled: Bool
    /// Window length in nanoseconds.
    public var windowNs: UInt64
    /// Fraction of frames dropped in a window above which the consumer is demoted (0...1).
    public var maxDropFraction: Double
    /// Windows with fewer frames are not judged (too little evidence).
    public var minFrames: UInt64
    /// Mode the consumer is moved to (LATEST or DECIMATED).
    public var action: ConsumerMode
    /// Decimation sent with DECIMATED.
    public var decimation: UInt16
    /// Time a consumer demoted from STREAM stays demoted before it is probed with STREAM again; 0 = never.
    public var restoreAfterNs: UInt64
    /// Upper bound of the probe delay, which doubles after every failed probe.
    public var maxRestoreAfterNs: UInt64

    /// The `[supervisor]` defaults: on, 5 s windows, demote above 1 % drops once at least 10 frames were seen, move to
    /// LATEST (decimation 2 if DECIMATED is chosen), probe STREAM again after 60 s, backing off up to 16 min.
    /// `maxRestoreAfterNs` below `restoreAfterNs` is raised to it.
    public init(enabled: Bool = true, windowNs: UInt64 = 5_000_000_000, maxDropFraction: Double = 0.01,
                minFrames: UInt64 = 10, action: ConsumerMode = .latest, decimation: UInt16 = 2,
                restoreAfterNs: UInt64 = 60_000_000_000, maxRestoreAfterNs: UInt64 = 960_000_000_000) {
        self.enabled = enabled
        self.windowNs = windowNs
        self.maxDropFraction = maxDropFraction
        self.minFrames = minFrames
        self.action = action
        self.decimation = decimation
        self.restoreAfterNs = restoreAfterNs
        self.maxRestoreAfterNs = max(maxRestoreAfterNs, restoreAfterNs)
    }

    /// Judges one completed window; returns the mode/decimation to command, or `nil`.
    public func decide(framesInWindow: UInt64, dropsInWindow: UInt64, reportedMode: ConsumerMode) -> (mode: ConsumerMode, decimation: UInt16)? {
        guard enabled, framesInWindow >= minFrames, framesInWindow > 0 else { return nil }
        let fraction = Double(dropsInWindow) / Double(framesInWindow)
        guard fraction > maxDropFraction else { return nil }
        if reportedMode == action { return nil }
        return (action, action == .decimated ? max(decimation, 1) : 1)
    }
}
