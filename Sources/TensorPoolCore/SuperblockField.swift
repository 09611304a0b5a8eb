/// A validated field of ``Superblock``, named as in the spec (§7.1).
public enum SuperblockField: String, Sendable, CaseIterable, CustomStringConvertible {
    case magic
    case layoutVersion = "layout_version"
    case epoch
    case streamId = "stream_id"
    case regionType = "region_type"
    case poolId = "pool_id"
    case nslots
    case slotBytes = "slot_bytes"
    case strideBytes = "stride_bytes"

    public var description: String { rawValue }
}
