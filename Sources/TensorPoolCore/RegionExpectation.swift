import TensorPoolCodecs

/// What a consumer expects a region's superblock to say, taken from the latest `ShmPoolAnnounce` (§15.1).
///
/// Slot geometry convention (the spec names both fields without fixing their value for each region type; we
/// use one rule for both): `slot_bytes` and `stride_bytes` are the distance between the starts of consecutive
/// slots. A header ring has `slot_bytes = stride_bytes = 256`; a payload pool has
/// `slot_bytes = stride_bytes = ` the announced pool stride.
public struct RegionExpectation: Equatable, Sendable {
    /// `layout_version` the announce promises.
    public var layoutVersion: UInt32
    /// The announce's epoch: a region of another epoch is never mapped (§15.21).
    public var epoch: UInt64
    /// The data source's stream id.
    public var streamId: UInt32
    /// Header ring or payload pool.
    public var regionType: RegionType
    /// 0 for a header ring, the announced pool id otherwise.
    public var poolId: UInt16
    /// Announced slot count (validated as a power of two up to 2^30 before mapping).
    public var nslots: UInt32
    /// Expected `slot_bytes` (see the type documentation).
    public var slotBytes: UInt32
    /// Expected `stride_bytes` (§15.22 rules for pools).
    public var strideBytes: UInt32

    /// An expectation from explicit values; prefer ``headerRing(epoch:streamId:nslots:layoutVersion:)`` and ``payloadPool(epoch:streamId:poolId:nslots:strideBytes:layoutVersion:)``.
    public init(
        layoutVersion: UInt32 = RegionLayout.layoutVersion, epoch: UInt64, streamId: UInt32, regionType: RegionType,
        poolId: UInt16, nslots: UInt32, slotBytes: UInt32, strideBytes: UInt32
    ) {
        self.layoutVersion = layoutVersion
        self.epoch = epoch
        self.streamId = streamId
        self.regionType = regionType
        self.poolId = poolId
        self.nslots = nslots
        self.slotBytes = slotBytes
        self.strideBytes = strideBytes
    }

    /// The expectation for a header ring: `pool_id` 0 and 256-byte slots.
    public static func headerRing(epoch: UInt64, streamId: UInt32, nslots: UInt32, layoutVersion: UInt32 = RegionLayout.layoutVersion) -> RegionExpectation {
        let slot = UInt32(RegionLayout.headerSlotBytes)
        return RegionExpectation(
            layoutVersion: layoutVersion, epoch: epoch, streamId: streamId, regionType: .headerRing, poolId: 0,
            nslots: nslots, slotBytes: slot, strideBytes: slot)
    }

    /// The expectation for a payload pool with the announced id, slot count and stride.
    public static func payloadPool(
        epoch: UInt64, streamId: UInt32, poolId: UInt16, nslots: UInt32, strideBytes: UInt32,
        layoutVersion: UInt32 = RegionLayout.layoutVersion
    ) -> RegionExpectation {
        RegionExpectation(
            layoutVersion: layoutVersion, epoch: epoch, streamId: streamId, regionType: .payloadPool, poolId: poolId,
            nslots: nslots, slotBytes: strideBytes, strideBytes: strideBytes)
    }

    /// Bytes a region with this geometry occupies (superblock + slots); `Int.max` when that does not fit in an
    /// `Int` (two hostile u32 fields can ask for ~2^64 bytes): no file is that long, so a size check refuses it.
    public var regionLength: Int {
        let (slots, o1) = Int(nslots).multipliedReportingOverflow(by: Int(strideBytes))
        let (total, o2) = slots.addingReportingOverflow(RegionLayout.superblockSize)
        return o1 || o2 ? Int.max : total
    }
}
