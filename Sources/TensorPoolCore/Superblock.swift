import SharedMemory
import TensorPoolCodecs

/// The 64-byte `ShmRegionSuperblock` at offset 0 of every region (§7.1), as plain values.
///
/// `regionType` is kept as its raw wire value so that a superblock with an undefined type can still be read,
/// printed and rejected by name (see ``SuperblockField/regionType``).
public struct Superblock: Equatable, Sendable {
    /// `magic`: `TPOLSHM1` in a region of ours (§7.1).
    public var magic: UInt64
    /// `layout_version`: SHM layout compatibility, independent of the SBE schema version.
    public var layoutVersion: UInt32
    /// `epoch`: bumped by every producer restart or layout change (§15.2).
    public var epoch: UInt64
    /// `stream_id` of the data source.
    public var streamId: UInt32
    /// Raw `region_type`; see ``regionType``.
    public var regionTypeRaw: Int16
    /// `pool_id`: 0 for a header ring, the announced pool id for a payload pool.
    public var poolId: UInt16
    /// `nslots`: a power of two, the same in the ring and all its pools (§15.5).
    public var nslots: UInt32
    /// `slot_bytes` (see ``RegionExpectation`` for the convention used).
    public var slotBytes: UInt32
    /// `stride_bytes`: distance between slot starts.
    public var strideBytes: UInt32
    /// `pid` of the producer: informational, never compared (§15.1).
    public var pid: UInt64
    /// `start_timestamp_ns`: when the producer created the region (CLOCK_MONOTONIC).
    public var startTimestampNs: UInt64
    /// `activity_timestamp_ns`: the producer's heartbeat; stale means dead (§15.14).
    public var activityTimestampNs: UInt64

    /// The decoded region type (`.unrecognized` for an undefined wire value).
    public var regionType: RegionType { RegionType(rawValue: regionTypeRaw) }

    /// A superblock with every field given; `magic` and `layoutVersion` default to ours.
    public init(
        magic: UInt64 = RegionLayout.magic, layoutVersion: UInt32 = RegionLayout.layoutVersion, epoch: UInt64,
        streamId: UInt32, regionType: RegionType, poolId: UInt16, nslots: UInt32, slotBytes: UInt32,
        strideBytes: UInt32, pid: UInt64, startTimestampNs: UInt64, activityTimestampNs: UInt64
    ) {
        self.magic = magic
        self.layoutVersion = layoutVersion
        self.epoch = epoch
        self.streamId = streamId
        self.regionTypeRaw = regionType.rawValue
        self.poolId = poolId
        self.nslots = nslots
        self.slotBytes = slotBytes
        self.strideBytes = strideBytes
        self.pid = pid
        self.startTimestampNs = startTimestampNs
        self.activityTimestampNs = activityTimestampNs
    }

    /// Decodes the superblock at offset 0 of `buffer` through the generated `ShmRegionSuperblockDecoder`; throws
    /// when `buffer` is shorter than 64 bytes.
    ///
    /// `activity_timestamp_ns` is re-read with an acquire load through ``SharedMemory/AtomicBuffer``: the producer
    /// refreshes it while consumers read it, and the codec's plain load carries no ordering.
    public init(from buffer: AtomicBuffer) throws(SBEError) {
        let d = try ShmRegionSuperblockDecoder(wrap: UnsafeRawPointer(buffer.base), offset: 0, capacity: buffer.capacity)
        magic = d.magic
        layoutVersion = d.layoutVersion
        epoch = d.epoch
        streamId = d.streamId
        regionTypeRaw = d.regionType.rawValue
        poolId = d.poolId
        nslots = d.nslots
        slotBytes = d.slotBytes
        strideBytes = d.strideBytes
        pid = d.pid
        startTimestampNs = d.startTimestampNs
        activityTimestampNs = UInt64(bitPattern: buffer.int64Acquire(at: RegionLayout.Superblock.activityTimestampNs))
    }

    /// Encodes every field at offset 0 of `buffer` through `ShmRegionSuperblockEncoder` (the activity timestamp
    /// with a release store). The producer calls this once, after the region body is initialised, and then
    /// flushes the mapping.
    public func write(to buffer: AtomicBuffer) throws(SBEError) {
        let e = try ShmRegionSuperblockEncoder(wrap: buffer.base, offset: 0, capacity: buffer.capacity)
        e.magic = magic
        e.layoutVersion = layoutVersion
        e.epoch = epoch
        e.streamId = streamId
        e.regionType = RegionType(rawValue: regionTypeRaw)
        e.poolId = poolId
        e.nslots = nslots
        e.slotBytes = slotBytes
        e.strideBytes = strideBytes
        e.pid = pid
        e.startTimestampNs = startTimestampNs
        buffer.setInt64Release(Int64(bitPattern: activityTimestampNs), at: RegionLayout.Superblock.activityTimestampNs)
    }

    /// Every field that differs from `expected` (magic, layout version, epoch, stream, type, pool, slot geometry),
    /// in layout order. Liveness fields (`pid`, timestamps) are informational and never compared (§15.1).
    public func mismatches(against expected: RegionExpectation) -> [SuperblockMismatch] {
        var result: [SuperblockMismatch] = []
        func check(_ field: SuperblockField, _ want: UInt64, _ have: UInt64) {
            if want != have { result.append(SuperblockMismatch(field: field, expected: want, actual: have)) }
        }
        check(.magic, RegionLayout.magic, magic)
        check(.layoutVersion, UInt64(expected.layoutVersion), UInt64(layoutVersion))
        check(.epoch, expected.epoch, epoch)
        check(.streamId, UInt64(expected.streamId), UInt64(streamId))
        check(.regionType, UInt64(UInt16(bitPattern: expected.regionType.rawValue)), UInt64(UInt16(bitPattern: regionTypeRaw)))
        check(.poolId, UInt64(expected.poolId), UInt64(poolId))
        check(.nslots, UInt64(expected.nslots), UInt64(nslots))
        check(.slotBytes, UInt64(expected.slotBytes), UInt64(slotBytes))
        check(.strideBytes, UInt64(expected.strideBytes), UInt64(strideBytes))
        return result
    }

    /// The first field that differs from `expected`, in the order of ``mismatches(against:)``. Allocates nothing
    /// (consumers re-check mapped superblocks at the announce cadence on their duty cycle).
    public func firstMismatch(against expected: RegionExpectation) -> SuperblockMismatch? {
        if let m = Self.differs(.magic, RegionLayout.magic, magic) { return m }
        if let m = Self.differs(.layoutVersion, UInt64(expected.layoutVersion), UInt64(layoutVersion)) { return m }
        if let m = Self.differs(.epoch, expected.epoch, epoch) { return m }
        if let m = Self.differs(.streamId, UInt64(expected.streamId), UInt64(streamId)) { return m }
        if let m = Self.differs(.regionType, UInt64(UInt16(bitPattern: expected.regionType.rawValue)),
                                UInt64(UInt16(bitPattern: regionTypeRaw))) { return m }
        if let m = Self.differs(.poolId, UInt64(expected.poolId), UInt64(poolId)) { return m }
        if let m = Self.differs(.nslots, UInt64(expected.nslots), UInt64(nslots)) { return m }
        if let m = Self.differs(.slotBytes, UInt64(expected.slotBytes), UInt64(slotBytes)) { return m }
        return Self.differs(.strideBytes, UInt64(expected.strideBytes), UInt64(strideBytes))
    }

    private static func differs(_ field: SuperblockField, _ want: UInt64, _ have: UInt64) -> SuperblockMismatch? {
        want == have ? nil : SuperblockMismatch(field: field, expected: want, actual: have)
    }

    /// Throws the first field that differs from `expected` (see ``mismatches(against:)``).
    public func validate(against expected: RegionExpectation) throws(SuperblockMismatch) {
        if let first = firstMismatch(against: expected) { throw first }
    }
}
