/// A bridge sender's counters, readable from any thread while it runs (single writer: the sender's thread).
public typealias BridgeSenderStatistics = RoleStatistics<BridgeSenderStatisticsCounter>

/// The counters of ``BridgeSenderStatistics`` (`BridgeSenderStatistics.Counter`).
public enum BridgeSenderStatisticsCounter: Int, RoleStatisticsCounter {
    /// Frames whose every chunk was offered successfully.
    case framesSent
    /// Payload bytes of those frames.
    case bytesSent
    /// `BridgeFrameChunk` messages offered successfully.
    case chunksSent
    /// Source frames torn during the staging copy (discarded, never sent).
    case sourceTorn
    /// Source frames delivered while the previous frame was still being sent (back pressure): not sent.
    case busyDrops
    /// Source frames larger than the staging buffer (``BridgeSenderOptions/maxFrameBytes``): not sent.
    case oversizeDrops
    /// Frames given up part-way: the publication was not connected, closed or at its maximum position.
    /// The receiver aborts such a frame (missing chunk / next frame / timeout).
    case framesAbandoned
    /// Offers (chunks or metadata) refused by back pressure or admin action (retried on the next duty cycle).
    case backPressured
    /// Source frames lost before the sender read them (source consumer `drops_gap` + `drops_late`, mirrored).
    case sourceDrops
    /// `BridgeDataSourceMeta` messages offered successfully (each change, and the periodic re-sends).
    case metadataSent
    /// Metadata the publication refused for good (closed, at its maximum position, longer than
    /// `maxMessageLength`): tried again at the next re-send interval.
    case metadataAbandoned
    /// `BridgeDataSourceAnnounce` messages offered successfully (each new source beacon, and the periodic
    /// re-sends at ``BridgeSenderOptions/metadataIntervalNs``).
    case announceSent
    /// Beacons the publication refused for good (closed, at its maximum position, too long): tried again at the
    /// next re-send interval.
    case announceAbandoned
}
