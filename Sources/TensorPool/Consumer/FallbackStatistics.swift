/// Counters of a consumer's FALLBACK path (bridge chunks reassembled into its private buffer), readable from any
/// thread (single writer: the consumer's thread). Cumulative over every FALLBACK period of the consumer. Frames
/// refused by admission (mode, rate, gaps) are counted by the consumer's ``ConsumerFrameCounters`` as for SHM.
public typealias FallbackStatistics = RoleStatistics<FallbackStatisticsCounter>

/// The counters of ``FallbackStatistics`` (`FallbackStatistics.Counter`).
public enum FallbackStatisticsCounter: Int, RoleStatisticsCounter {
    /// Frames completely reassembled (then offered to admission).
    case framesAssembled
    /// Chunks accepted into a frame.
    case chunksReceived
    /// Frames larger than `fallback_max_frame_bytes` (``ConsumerConfiguration/fallbackMaxFrameBytes``): dropped
    /// (also counted by admission as ``DropReason/destinationTooSmall`` when admission would have delivered them).
    case oversizeFrames
    /// Frames abandoned incomplete (missing chunk, interleaved frame/epoch/sender, bad chunk, timeout).
    case framesAborted
    /// Of ``framesAborted``: no chunk for `fallback_assembly_timeout_ms`
    /// (``ConsumerConfiguration/fallbackAssemblyTimeoutMs``).
    case assemblyTimeouts
    /// Messages that are not schema-901 `BridgeFrameChunk`s, `BridgeDataSourceMeta`s or
    /// `BridgeDataSourceAnnounce`s within their bytes (unknown templates included).
    case malformedMessages
    /// Chunks with inconsistent lengths/offsets or out of order.
    case invalidChunks
    /// First chunks whose slot header is wrong.
    case invalidHeaders
    /// Chunks, metadata or beacons of another tensor-pool stream than the consumer's.
    case foreignStreamDrops
    /// Times a bridge subscription was opened.
    case subscriptionsOpened
    /// Fallback URIs that could not be followed (unsupported, malformed, subscription failed).
    case openFailures
    /// `BridgeDataSourceMeta`s well formed but outside a consumer's metadata bounds
    /// (``DataSourceMetadata/maxAttributes``, ``DataSourceMetadata/maxAttributeBytes``, key or format not
    /// printable ASCII): ignored, the metadata held is kept.
    case invalidMetadata
    /// `BridgeDataSourceAnnounce`s well formed but outside a consumer's beacon bounds (name over
    /// ``DataSourceInfo/maxNameBytes``, summary over ``DataSourceInfo/maxSummaryBytes`` bytes, or not US-ASCII):
    /// ignored, the beacon held is kept.
    case invalidAnnounces
}
