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
        public static let magic = ShmRegionSuperblockDecoder.magicOffset
        public static let layoutVersion = ShmRegionSuperblockDecoder.layoutVersionOffset
        public static let epoch = ShmRegionSuperblockDecoder.epochOffset
        public static let streamId = ShmRegionSuperblockDecoder.streamIdOffset
        public static let regionType = ShmRegionSuperblockDecoder.regionTypeOffset
        public static let poolId = ShmRegionSuperblockDecoder.poolIdOffset
        public static let nslots = ShmRegionSuperblockDecoder.nslotsOffset
        public static let slotBytes = ShmRegionSuperblockDecoder.slotBytesOffset
        public static let strideBytes = ShmRegionSuperblockDecoder.strideBytesOffset
        public static let pid = ShmRegionSuperblockDecoder.pidOffset
        public static let startTimestampNs = ShmRegionSuperblockDecoder.startTimestampNsOffset
        /// 8-byte aligned: refreshed with a release store while consumers read it.
        public static let activityTimestampNs = ShmRegionSuperblockDecoder.activityTimestampNsOffset
    }

    /// Field offsets of `TensorSlotHeader256` (schema message id 51, blockLength 256).
    public enum SlotHeader {
        /// 8-byte aligned, first cache line: the seqlock word, accessed only atomically (see ``CommitWord``).
        public static let commitWord = TensorSlotHeader256Decoder.commitWordOffset
        public static let frameId = TensorSlotHeader256Decoder.frameIdOffset
        public static let timestampNs = TensorSlotHeader256Decoder.timestampNsOffset
        public static let metaVersion = TensorSlotHeader256Decoder.metaVersionOffset
        public static let valuesLenBytes = TensorSlotHeader256Decoder.valuesLenBytesOffset
        public static let payloadSlot = TensorSlotHeader256Decoder.payloadSlotOffset
        public static let payloadOffset = TensorSlotHeader256Decoder.payloadOffsetOffset
        public static let poolId = TensorSlotHeader256Decoder.poolIdOffset
        public static let dtype = TensorSlotHeader256Decoder.dtypeOffset
        public static let majorOrder = TensorSlotHeader256Decoder.majorOrderOffset
        public static let ndims = TensorSlotHeader256Decoder.ndimsOffset
        public static let padAlign = TensorSlotHeader256Decoder.padAlignOffset
        public static let dims = TensorSlotHeader256Decoder.dimsOffset
        public static let strides = TensorSlotHeader256Decoder.stridesOffset
        public static let padding = TensorSlotHeader256Decoder.paddingOffset
        public static let paddingLength = TensorSlotHeader256Decoder.paddingLength
    }
}
