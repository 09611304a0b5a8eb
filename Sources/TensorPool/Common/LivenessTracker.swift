/// Liveness of one signal source (announces, QoS, heartbeats, a superblock activity timestamp).
///
/// Pure value: it stores only the local time at which the source was last seen alive and judges its
/// state against a cadence and two multiples, with `nowNs` always passed in by the caller.
public struct LivenessTracker: Sendable, Hashable {
    /// Expected interval between signs of life, in nanoseconds.
    public var cadenceNs: UInt64
    /// Silence longer than `staleMultiple * cadenceNs` makes the source STALE.
    public var staleMultiple: UInt32
    /// Silence longer than `expiredMultiple * cadenceNs` makes the source EXPIRED.
    public var expiredMultiple: UInt32
    /// Local time of the last sign of life, or `nil` when never seen.
    public private(set) var lastSeenNs: UInt64?

    /// Creates a tracker; `expiredMultiple` is raised to `staleMultiple` if it is smaller.
    public init(cadenceNs: UInt64, staleMultiple: UInt32, expiredMultiple: UInt32) {
        self.cadenceNs = cadenceNs
        self.staleMultiple = staleMultiple
        self.expiredMultiple = max(expiredMultiple, staleMultiple)
        self.lastSeenNs = nil
    }

    /// Records a sign of life at `nowNs`. Times earlier than the last one are ignored (clock order).
    public mutating func observe(nowNs: UInt64) {
        if let last = lastSeenNs, nowNs < last { return }
        lastSeenNs = nowNs
    }

    /// Forgets the last sign of life.
    public mutating func reset() { lastSeenNs = nil }

    /// Nanoseconds since the last sign of life (0 when `nowNs` is earlier), or `nil` when never seen.
    public func ageNs(nowNs: UInt64) -> UInt64? {
        guard let last = lastSeenNs else { return nil }
        return nowNs >= last ? nowNs - last : 0
    }

    /// The state at `nowNs`. A source never seen is EXPIRED.
    public func state(nowNs: UInt64) -> LivenessState {
        guard let age = ageNs(nowNs: nowNs) else { return .expired }
        if age > Self.window(cadenceNs, expiredMultiple) { return .expired }
        if age > Self.window(cadenceNs, staleMultiple) { return .stale }
        return .live
    }

    /// `cadence * multiple`, saturating instead of overflowing.
    static func window(_ cadenceNs: UInt64, _ multiple: UInt32) -> UInt64 {
        let (product, overflow) = cadenceNs.multipliedReportingOverflow(by: UInt64(multiple))
        return overflow ? UInt64.max : product
    }
}
