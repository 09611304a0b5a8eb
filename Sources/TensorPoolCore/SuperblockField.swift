/// A validated field of ``Superblock``, named as in the spec (§7.1).
public enum SuperblockField: String, Sendable, CaseIterable, CustomStringConvertible {
    /// `magic` is not `TPOLSHM1`: not a tensor-pool region.
    case magic
    /// `layout_version` differs from ours: the file uses another SHM layout.
    case layoutVersion = "layout_version"
    /// `epoch` differs from the announced one: the region belongs to another producer run.
    case epoch
    /// `stream_id` differs from the announced stream.
    case streamId = "stream_id"
    /// `region_type` is not the expected kind (an undefined wire value never matches).
    case regionType = "region_type"
    /// `pool_id` differs from the announced pool.
    case poolId = "pool_id"
    /// `nslots` differs from the announced slot count.
    case nslots
    /// `slot_bytes` differs from what the region kind and announce imply (see ``RegionExpectation``).
    case slotBytes = "slot_bytes"
    /// `stride_bytes` differs from the announced stride.
    case strideBytes = "stride_bytes"

    /// The spec's snake_case name of the field, as printed in drop reasons and `tp` output.
    public var description: String { rawValue }
}
