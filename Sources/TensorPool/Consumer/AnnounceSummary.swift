/// The fields of a `ShmPoolAnnounce` (spec §10.1.1) that the mapping state machine needs.
public struct AnnounceSummary: Sendable, Hashable {
    /// One announced payload pool.
    public struct Pool: Sendable, Hashable {
        /// `pool_id` as announced.
        public var poolId: UInt16
        /// Slot count (must equal `header_nslots`).
        public var nslots: UInt32
        /// `stride_bytes` as announced.
        public var strideBytes: UInt32
        /// `region_uri` as announced.
        public var regionUri: String

        /// One `payload_pools` entry as decoded (or as a producer announces its own pool). Nothing is checked here:
        /// ``ConsumerMappingStateMachine`` rejects the announce if the pool breaks a v1.1 rule.
        public init(poolId: UInt16, nslots: UInt32, strideBytes: UInt32, regionUri: String) {
            self.poolId = poolId
            self.nslots = nslots
            self.strideBytes = strideBytes
            self.regionUri = regionUri
        }
    }

    /// `stream_id` as announced.
    public var streamId: UInt32
    /// `producer_id` as announced.
    public var producerId: UInt32
    /// `epoch` as announced.
    public var epoch: UInt64
    /// `layout_version` as announced.
    public var layoutVersion: UInt32
    /// `header_region_uri` as announced.
    public var headerRegionUri: String
    /// `header_nslots` as announced.
    public var headerNslots: UInt32
    /// `header_slot_bytes` as announced.
    public var headerSlotBytes: UInt16
    /// `max_dims` as announced.
    public var maxDims: UInt8
    /// Announced payload pools, in announce order.
    public var pools: [Pool]

    /// The fields of one announce; `headerSlotBytes` and `maxDims` default to the v1.1 values (256, 8). Nothing is
    /// validated here: ``ConsumerMappingStateMachine`` rejects announces that break v1.1 invariants.
    public init(streamId: UInt32, producerId: UInt32, epoch: UInt64, layoutVersion: UInt32,
                headerRegionUri: String, headerNslots: UInt32, headerSlotBytes: UInt16 = 256,
                maxDims: UInt8 = 8, pools: [Pool]) {
        self.streamId = streamId
        self.producerId = producerId
        self.epoch = epoch
        self.layoutVersion = layoutVersion
        self.headerRegionUri = headerRegionUri
        self.headerNslots = headerNslots
        self.headerSlotBytes = headerSlotBytes
        self.maxDims = maxDims
        self.pools = pools
    }

    /// `true` when `other` describes the same layout (everything but the epoch-independent identity).
    public func sameLayout(as other: AnnounceSummary) -> Bool {
        layoutVersion == other.layoutVersion && headerRegionUri == other.headerRegionUri
            && headerNslots == other.headerNslots && headerSlotBytes == other.headerSlotBytes
            && maxDims == other.maxDims && pools == other.pools
    }
}
