/// What the supervisor remembers about a consumer its ``DropRatePolicy`` demoted from STREAM.
///
/// A demoted consumer's drop rate cannot say whether it would now keep up in STREAM (LATEST and
/// DECIMATED skip frames by design), so the only evidence is a probe: after ``probeDelayNs`` in the
/// demoted mode the supervisor commands STREAM again and judges the next complete QoS window. A clean
/// window ends the demotion; a dropping one demotes the consumer again and doubles the delay (up to
/// ``DropRatePolicy/maxRestoreAfterNs``), so a consumer that cannot keep up is probed ever more rarely.
public struct ConsumerDemotion: Sendable, Hashable {
    /// Local time of the (latest) demotion.
    public var demotedAtNs: UInt64
    /// Time spent demoted before the next probe.
    public var probeDelayNs: UInt64
    /// `true` from the probe's STREAM command until its first complete window is judged.
    public var probing = false
    /// Probes that ended in a new demotion.
    public var failedProbes: UInt32 = 0

    /// A demotion at `demotedAtNs` whose first probe is due `probeDelayNs` later.
    public init(demotedAtNs: UInt64, probeDelayNs: UInt64) {
        self.demotedAtNs = demotedAtNs
        self.probeDelayNs = probeDelayNs
    }

    /// Local time at which the next probe is due (`nil` while a probe is being judged).
    public var probeDueNs: UInt64? {
        guard !probing else { return nil }
        let (due, overflow) = demotedAtNs.addingReportingOverflow(probeDelayNs)
        return overflow ? .max : due
    }

    /// A probe failed: demoted again at `nowNs`, with the delay doubled up to `maxDelayNs`.
    public mutating func probeFailed(nowNs: UInt64, maxDelayNs: UInt64) {
        probing = false
        failedProbes &+= 1
        demotedAtNs = nowNs
        probeDelayNs = min(probeDelayNs > maxDelayNs / 2 ? maxDelayNs : probeDelayNs * 2, maxDelayNs)
    }
}
