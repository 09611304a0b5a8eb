/// A decimator's counters, readable from any thread while it runs (single writer: the decimator's thread).
public typealias DecimatorStatistics = RoleStatistics<DecimatorStatisticsCounter>

/// The counters of ``DecimatorStatistics`` (`DecimatorStatistics.Counter`).
public enum DecimatorStatisticsCounter: Int, RoleStatisticsCounter {
    /// Source frames republished on the target stream (committed and descriptor offered).
    case republished
    /// Payload bytes of those frames.
    case bytesRepublished
    /// Target claims aborted because the source read failed seqlock validation (torn during the copy).
    case aborted
    /// Source frames lost before the decimator could read them: the source consumer's `drops_gap` +
    /// `drops_late` (mirrored; policy skips such as decimation are not losses).
    case sourceDrops
    /// Source frames read intact but not republished: no target slot (too large for every target pool,
    /// closed target) or a layout the target producer refused.
    case targetRejected
    /// Republished frames committed in SHM whose target `FrameDescriptor` offer failed.
    case descriptorFailures
    /// Source `DataSourceMeta` versions forwarded to the target stream.
    case metadataForwarded
}
