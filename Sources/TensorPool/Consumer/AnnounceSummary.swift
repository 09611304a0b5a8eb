/// The fields of a `ShmPoolAnnounce` (spec §10.1.1) that the mapping state machine needs.
public struct AnnounceSummary: Sendable, Hashable {
    /// One announced payload pool.
    public struct Pool: Sendable, Hashable {
        public var poolId: UInt16
        public var nslots: UInt32
        public var strideBytes: UInt32
        public var regionUri: String

        public init(poolId: UInt16, nslots: UInt32, strideBytes: UInt32, regionUri: String) {
            self.poolId = poolId
            self.nslots = nslots
            self.strideBytes = strideBytes
            self.regionUri = regionUri
        }
    }

    public var streamId: UInt32
    public var producerId: UInt32
    public var epoch: UInt64
    public var layoutVersion: UInt32
    public var headerRegionUri: String
    public var headerNslots: UInt32
    public var headerSlotBytes: UInt16
    public var maxDims: UInt8
    public var pools: [Pool]

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
