/// Layout constants of the shared-memory regions (spec §6–§9, schema messages 50 and 51).
///
/// Every byte offset of `ShmRegionSuperblock` and `TensorSlotHeader256` is defined here and nowhere else in
/// TensorPoolCore. The offsets follow SBE's rule (fields packed in schema order, no implicit alignment) and are
/// cross-checked field by field against the generated codecs' offsets in the tests, so a schema change that
/// moves a field fails the build's tests instead of corrupting interop.
public enum RegionLayout {
    /// Size of the superblock at offset 0 of every region. Normative: not derived from SBE metadata (§6).
    public static let superblockSize = 64
    /// Size of one header-ring slot (§8.1).
    public static let headerSlotBytes = 256
    /// `TPOLSHM1` as the u64 0x544F504C53484D31, stored little-endian (§7.1).
    public static let magic: UInt64 = 0x544F_504C_5348_4D31
    /// The SHM layout version this implementation writes and accepts.
    public static let layoutVersion: UInt32 = 1
    /// Length of the `dims` and `strides` arrays (schema `DimsArray`/`StridesArray`).
    public static let maxDims = 8

    /// Byte offset of header slot `index` in a header ring.
    @inlinable
    public static func headerSlotOffset(_ index: Int) -> Int { superblockSize + index * headerSlotBytes }

    /// Byte offset of payload slot `index` in a pool of the given stride (§9).
    @inlinable
    public static func payloadSlotOffset(_ index: Int, strideBytes: Int) -> Int { superblockSize + index * strideBytes }

    /// Total file size of a header ring of `nslots` slots.
    public static func headerRingLength(nslots: Int) -> Int { superblockSize + nslots * headerSlotBytes }

    /// Total file size of a payload pool.
    public static func payloadPoolLength(nslots: Int, strideBytes: Int) -> Int { superblockSize + nslots * strideBytes }

    /// Field offsets of `ShmRegionSuperblock` (schema message id 50, blockLength 64).
    public enum Superblock {
        public static let magic = 0
        public static let layoutVersion = 8
        public static let epoch = 12
        public static let streamId = 20
        public static let regionType = 24
        public static let poolId = 26
        public static let nslots = 28
        public static let slotBytes = 32
        public static let strideBytes = 36
        public static let pid = 40
        public static let startTimestampNs = 48
        /// 8-byte aligned: refreshed with a release store while consumers read it.
        public static let activityTimestampNs = 56
    }

    /// Field offsets of `TensorSlotHeader256` (schema message id 51, blockLength 256).
    public enum SlotHeader {
        /// 8-byte aligned, first cache line: the seqlock word, accessed only atomically (see ``CommitWord``).
        public static let commitWord = 0
        public static let frameId = 8
        public static let timestampNs = 16
        public static let metaVersion = 24
        public static let valuesLenBytes = 28
        public static let payloadSlot = 32
        public static let payloadOffset = 36
        public static let poolId = 40
        public static let dtype = 42
        public static let majorOrder = 44
        public static let ndims = 46
        public static let padAlign = 47
        public static let dims = 48
        public static let strides = 80
        public static let padding = 112
        public static let paddingLength = 144
    }
}
