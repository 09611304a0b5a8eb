/// Computes the producer's effective progress policy from live consumers' hints (spec §10.2.2).
///
/// Rule: among consumers that support progress, take the **smallest** interval, byte delta and
/// (non-zero) row delta offered, each field independently, but never below the producer's floors;
/// a field no consumer hinted falls back to the producer default. Consumers without
/// `supports_progress` do not influence the policy. Progress is emitted only while at least one
/// live consumer supports it (``isProgressWanted(_:)``).
public struct ProgressPolicyAggregator: Sendable, Hashable {
    /// Policy used for fields no consumer hinted.
    public var defaults: ProgressPolicy
    /// Producer safety floors: the effective policy is never more aggressive than these.
    public var floors: ProgressPolicy

    /// An aggregator with the spec §10.2.2 defaults (250 µs, 64 KiB) and floors of 50 µs, 4 KiB and 1 row, which keep
    /// one eager consumer from flooding the control stream with progress messages for everyone.
    public init(defaults: ProgressPolicy = .specDefaults,
                floors: ProgressPolicy = ProgressPolicy(intervalNs: 50_000, bytesDelta: 4_096, rowsDelta: 1)) {
        self.defaults = defaults
        self.floors = floors
    }

    /// `true` when at least one of `hints` supports progress.
    public func isProgressWanted<S: Sequence>(_ hints: S) -> Bool where S.Element == ConsumerHint {
        hints.contains { $0.supportsProgress }
    }

    /// The effective policy for `hints` (defaults, clamped to the floors, when nobody hinted).
    public func aggregate<S: Sequence>(_ hints: S) -> ProgressPolicy where S.Element == ConsumerHint {
        var interval: UInt64?
        var bytes: UInt64?
        var rows: UInt32?
        for hint in hints where hint.supportsProgress {
            if let us = hint.progressIntervalUs {
                let ns = UInt64(us) * 1_000
                interval = min(interval ?? ns, ns)
            }
            if let b = hint.progressBytesDelta {
                bytes = min(bytes ?? UInt64(b), UInt64(b))
            }
            if let r = hint.progressRowsDelta, r > 0 {
                rows = min(rows ?? r, r)
            }
        }
        let rowsValue = rows ?? defaults.rowsDelta
        return ProgressPolicy(
            intervalNs: max(interval ?? defaults.intervalNs, floors.intervalNs),
            bytesDelta: max(bytes ?? defaults.bytesDelta, floors.bytesDelta),
            rowsDelta: rowsValue == 0 ? 0 : max(rowsValue, floors.rowsDelta))
    }
}
