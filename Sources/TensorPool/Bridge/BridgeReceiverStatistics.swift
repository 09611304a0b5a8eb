/// A bridge receiver's counters, readable from any thread while it runs (single writer: the receiver's thread).
public typealias BridgeReceiverStatistics = RoleStatistics<BridgeReceiverStatisticsCounter>

/// The counters of ``BridgeReceiverStatistics`` (`BridgeReceiverStatistics.Counter`).
public enum BridgeReceiverStatisticsCounter: Int, RoleStatisticsCounter {
    /// Frames completed and committed on the local stream (descriptor offered).
    case framesReceived
    /// Payload bytes of those frames.
    case bytesReceived
    /// Chunks accepted into a frame.
    case chunksReceived
    /// Frames aborted incomplete: a missing chunk, a chunk of another frame/epoch/sender before the end,
    /// a bad chunk inside the frame, or no chunk for ``BridgeReceiverOptions/assemblyTimeoutNs``. The claimed
    /// slot is aborted: never published.
    case framesAborted
    /// Of ``framesAborted``: those aborted by the assembly timeout (e.g. sender killed mid-frame).
    case assemblyTimeouts
    /// Messages that do not decode as a schema-901 `BridgeFrameChunk`, `BridgeDataSourceMeta` or
    /// `BridgeDataSourceAnnounce` (wrong schema, unknown template, truncated, group or var-data lengths beyond
    /// the message).
    case malformedMessages
    /// Chunks with inconsistent lengths or offsets (`chunkLength` != payload length, offset + length beyond
    /// `totalLength`, a continuation chunk without a frame in progress, a slot header where none belongs).
    case invalidChunks
    /// First chunks whose slot header is not 256 bytes or disagrees with the chunk (`frame_id` != `seq`,
    /// `values_len_bytes` != `totalLength`).
    case invalidHeaders
    /// Chunks, metadata or beacons for another stream id than ``BridgeReceiverOptions/sourceStreamId``.
    case foreignStreamDrops
    /// Source sequence numbers never seen (jumps between consecutive frames of one epoch).
    case sourceGaps
    /// Frames refused by the local producer: too large for every pool, no free slot, or a layout the
    /// producer rejects at commit.
    case targetRejected
    /// Frames committed in SHM whose local `FrameDescriptor` offer failed.
    case descriptorFailures
    /// `BridgeDataSourceMeta` with new content passed to the local producer (`setMetadata`: a new local
    /// `meta_version`). Periodic re-sends of the same content are not counted and change nothing.
    case metadataUpdates
    /// `BridgeDataSourceMeta` well formed but refused as a consumer refuses a `DataSourceMeta`: more than
    /// ``DataSourceMetadata/maxAttributes`` attributes or ``DataSourceMetadata/maxAttributeBytes`` bytes, an
    /// empty or non-printable-ASCII key, a non-printable-ASCII format. The previous metadata is kept.
    case invalidMetadata
    /// `BridgeDataSourceAnnounce` with a new beacon (another name, summary, producer, epoch or source
    /// `meta_version`): the local producer announces the source's name and summary
    /// (``TensorPoolProducer/setDataSource(name:summary:nowNs:)``). Periodic re-sends are not counted.
    case announceUpdates
    /// `BridgeDataSourceAnnounce` well formed but refused as a consumer refuses a `DataSourceAnnounce`: a name
    /// over ``DataSourceInfo/maxNameBytes`` or a summary over ``DataSourceInfo/maxSummaryBytes`` bytes, or either
    /// not US-ASCII. The previous beacon is kept.
    case invalidAnnounces
}
