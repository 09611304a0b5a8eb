/// One payload pool size class of a producer (spec §9): id and stride.
///
/// TOML: `[[producer.payload_pools]]` tables with `pool_id` and `stride_bytes`;
/// environment: `TP_PRODUCER_PAYLOAD_POOLS="1:1048576,2:4194304"` (`pool_id:stride_bytes`, comma separated).
public struct PayloadPoolConfiguration: Sendable, Hashable {
    /// Pool id announced in `ShmPoolAnnounce` and stored in slot headers.
    public var poolId: UInt16
    /// Bytes per slot: a power of two and a multiple of the page (or hugepage) size.
    public var strideBytes: UInt32

    /// A pool size class. Values are not checked here: the configuration loader rejects a `strideBytes` that is not
    /// a power of two and page multiple (`StrideRule`, spec §9, §15.6), naming the offending key.
    public init(poolId: UInt16, strideBytes: UInt32) {
        self.poolId = poolId
        self.strideBytes = strideBytes
    }
}
