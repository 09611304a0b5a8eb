import TensorPoolCodecs

/// Layout constants of the shared-memory regions (spec §6–§9, schema messages 50 and 51).
///
/// Field offsets are not written down here: they are the generated codecs' offsets (`…Offset` constants of
/// `ShmRegionSuperblockDecoder` and `TensorSlotHeader256Decoder`), so the schema is their one definition. Field
/// access goes through those flyweights too, except for the two words another process reads while they are
/// written — `commit_word` and `activity_timestamp_ns` — which are accessed through
/// ``SharedMemory/AtomicBuffer``'s acquire/release accessors at these offsets (the codecs' plain loads and stores
/// carry no ordering). Tests check the constants below against the codecs' block lengths.
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
        /// Offset 0, `u64`: `TPOLSHM1`, identifies a region of ours before anything else is trusted.
        public static let magic = ShmRegionSuperblockDecoder.magicOffset
        /// Offset 8, `u32`: SHM layout version, checked against ``RegionLayout/layoutVersion``.
        public static let layoutVersion = ShmRegionSuperblockDecoder.layoutVersionOffset
        /// Offset 12, `u64`: the producer epoch the region belongs to; a mismatch means the region is stale.
        public static let epoch = ShmRegionSuperblockDecoder.epochOffset
        /// Offset 20, `u32`: the stream the region serves.
        public static let streamId = ShmRegionSuperblockDecoder.streamIdOffset
        /// Offset 24, `i16`: `RegionType` (header ring or payload pool).
        public static let regionType = ShmRegionSuperblockDecoder.regionTypeOffset
        /// Offset 26, `u16`: pool id (0 in a header ring).
        public static let poolId = ShmRegionSuperblockDecoder.poolIdOffset
        /// Offset 28, `u32`: slots in the region (a power of two, the same in the ring and its pools).
        public static let nslots = ShmRegionSuperblockDecoder.nslotsOffset
        /// Offset 32, `u32`: bytes per slot as the producer declared it.
        public static let slotBytes = ShmRegionSuperblockDecoder.slotBytesOffset
        /// Offset 36, `u32`: distance between slot starts.
        public static let strideBytes = ShmRegionSuperblockDecoder.strideBytesOffset
        /// Offset 40, `u64`: producer pid, informational only (pids are per-namespace).
        public static let pid = ShmRegionSuperblockDecoder.pidOffset
        /// Offset 48, `u64`: CLOCK_MONOTONIC time the producer created the region.
        public static let startTimestampNs = ShmRegionSuperblockDecoder.startTimestampNsOffset
        /// 8-byte aligned: refreshed with a release store while consumers read it.
        public static let activityTimestampNs = ShmRegionSuperblockDecoder.activityTimestampNsOffset
    }

    /// Field offsets of `TensorSlotHeader256` (schema message id 51, blockLength 256).
    public enum SlotHeader {
        /// 8-byte aligned, first cache line: the seqlock word, accessed only atomically (see ``CommitWord``).
        public static let commitWord = TensorSlotHeader256Decoder.commitWordOffset
        /// Offset 8, `u64`: the frame's sequence number; must equal `FrameDescriptor.seq` or the frame is dropped.
        public static let frameId = TensorSlotHeader256Decoder.frameIdOffset
        /// Offset 16, `u64`: the producer's capture timestamp in nanoseconds.
        public static let timestampNs = TensorSlotHeader256Decoder.timestampNsOffset
        /// Offset 24, `u32`: the `DataSourceMeta` version the frame was produced under.
        public static let metaVersion = TensorSlotHeader256Decoder.metaVersionOffset
        /// Offset 28, `u32`: payload bytes; never more than the pool's stride.
        public static let valuesLenBytes = TensorSlotHeader256Decoder.valuesLenBytesOffset
        /// Offset 32, `u32`: payload slot index (equals the header index in v1.1).
        public static let payloadSlot = TensorSlotHeader256Decoder.payloadSlotOffset
        /// Offset 36, `u32`: payload start within the slot (0 in v1.1; reserved).
        public static let payloadOffset = TensorSlotHeader256Decoder.payloadOffsetOffset
        /// Offset 40, `u16`: the pool holding the payload.
        public static let poolId = TensorSlotHeader256Decoder.poolIdOffset
        /// Offset 42, `i16`: element type (`Dtype`).
        public static let dtype = TensorSlotHeader256Decoder.dtypeOffset
        /// Offset 44, `i16`: `MajorOrder` (row or column major).
        public static let majorOrder = TensorSlotHeader256Decoder.majorOrderOffset
        /// Offset 46, `u8`: number of used entries in `dims`/`strides` (at most 8).
        public static let ndims = TensorSlotHeader256Decoder.ndimsOffset
        /// Offset 47, `u8`: padding that aligns `dims` and `strides` to 4 bytes.
        public static let padAlign = TensorSlotHeader256Decoder.padAlignOffset
        /// Offset 48, `i32[8]`: extent of each dimension.
        public static let dims = TensorSlotHeader256Decoder.dimsOffset
        /// Offset 80, `i32[8]`: byte stride of each dimension (0 = inferred contiguous).
        public static let strides = TensorSlotHeader256Decoder.stridesOffset
        /// Offset 112: reserved padding to the 256-byte slot (written as zeros).
        public static let padding = TensorSlotHeader256Decoder.paddingOffset
        /// Bytes of reserved padding at ``padding`` (144).
        public static let paddingLength = TensorSlotHeader256Decoder.paddingLength
    }
}
