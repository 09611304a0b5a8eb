/// Why a consumer unmapped (or refused) its regions.
public enum RemapCause: Sendable, Hashable, CustomStringConvertible {
    /// Announce carried a newer epoch.
    case epochChanged
    /// Announce carried an older epoch than the mapped one (§15.2: remap requirement).
    case epochRegression
    /// Same epoch announced with a different layout.
    case layoutChangedWithoutEpoch
    /// A descriptor `seq` went backwards within the epoch (§15.2).
    case seqRegression
    /// Superblock `pid` changed: another writer (§15.14); wait for a new epoch.
    case pidChanged
    /// No announce for longer than the liveness window.
    case announceStale
    /// Superblock `activity_timestamp_ns` did not advance for longer than the liveness window.
    case activityStale
    /// The SHM layer found the superblock inconsistent with the announce (§15.1).
    case superblockMismatch(String)
    /// `ConsumerConfig.use_shm = false`.
    case shmDisabled

    /// A short phrase for the consumer's `unmapped epoch <E>: <cause>` log line; a superblock mismatch includes its
    /// detail.
    public var description: String {
        switch self {
        case .epochChanged: "epoch changed"
        case .epochRegression: "epoch regression"
        case .layoutChangedWithoutEpoch: "layout changed without epoch change"
        case .seqRegression: "seq regression"
        case .pidChanged: "producer pid changed"
        case .announceStale: "announce stale"
        case .activityStale: "activity timestamp stale"
        case .superblockMismatch(let detail): "superblock mismatch: \(detail)"
        case .shmDisabled: "use_shm=false"
        }
    }
}
