/// Liveness of a peer judged from the age of its last sign of life.
///
/// Ordered: `live < stale < expired`, so the worst of several signals is their `max`.
public enum LivenessState: UInt8, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seen within `staleMultiple` cadences.
    case live = 0
    /// Silent for more than `staleMultiple` cadences: treat as suspect, do not rely on its data.
    case stale = 1
    /// Silent for more than `expiredMultiple` cadences: treat as gone.
    case expired = 2

    /// Orders by severity (`live < stale < expired`) so the worst of several liveness signals is their `max`.
    public static func < (lhs: LivenessState, rhs: LivenessState) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Upper-case spelling used in logs and status output (`LIVE`, `STALE`, `EXPIRED`), as in spec §15.14.
    public var description: String {
        switch self {
        case .live: "LIVE"
        case .stale: "STALE"
        case .expired: "EXPIRED"
        }
    }
}
