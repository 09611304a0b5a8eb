import TensorPoolCore

/// Why a consumer whose handler reads progress prefixes (``TensorFrameHandler/readsProgressPrefixes``) did not hand
/// out the filled prefix of a `FrameProgress` (spec §10.2.2): passed to
/// ``TensorFrameHandler/onProgressPrefixRefused(_:reason:)`` and counted in ``ConsumerStatistics``. Refusals are
/// normal (a producer that does not stage layouts, a late update) or the sign of a hostile message; never a crash.
public enum ProgressPrefixRefusal: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// No regions are mapped (unmapped, mapping, FALLBACK): there is no slot to read. Counted in
    /// ``ConsumerStatistics/Counter/prefixRefusedEpoch``.
    case notMapped
    /// The update names an epoch other than the mapped one (spec §15.21: a hard boundary). Counted in
    /// ``ConsumerStatistics/Counter/prefixRefusedEpoch``.
    case otherEpoch(UInt64)
    /// The slot was reclaimed for a later frame while its header was being checked (nothing was handed out).
    /// Counted in ``ConsumerStatistics/Counter/prefixReadsTorn`` with the torn reads.
    case reclaimedDuringCheck
    /// The slot refused the read (header index, other frame, header not staged, layout informational only,
    /// invalid header, filled beyond the payload); counted per kind (see ``ConsumerStatistics/Counter``).
    case slot(FramePrefixRefusal)

    /// The refusal and the values that caused it, for logs and `tp` output.
    public var description: String {
        switch self {
        case .notMapped: "no regions mapped"
        case .otherEpoch(let e): "epoch \(e) is not the mapped one"
        case .reclaimedDuringCheck: "slot reclaimed during the check"
        case .slot(let reason): "\(reason)"
        }
    }
}
