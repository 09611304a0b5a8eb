import SharedMemory

/// The 64-byte `ShmRegionSuperblock` at offset 0 of every region (§7.1), as plain values.
///
/// `regionType` is kept as its raw wire value so that a superblock with an undefined type can still be read,
/// printed and rejected by name (see ``SuperblockField/regionType``).
public struct Superblock: Equatable, Sendable {
    public var magic: UInt64
    public var layoutVersion: UInt32
    public var epoch: UInt64
    public var streamId: UInt32
    /// Raw `region_type`; see ``regionType``.
    public var regionTypeRaw: Int16
    public var poolId: UInt16
    public var nslots: UInt32
    public var slotBytes: UInt32
    public var strideBytes: UInt32
    public var pid: UInt64
    public var startTimestampNs: UInt64
    public var activityTimestampNs: UInt64

    /// The decoded region type, `nil` for an undefined wire value.
    public var regionType: RegionType? { RegionType(rawValue: regionTypeRaw) }

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

    /// Decodes the superblock at offset 0 of `buffer` (at least 64 bytes).
    public init(from buffer: AtomicBuffer) {
        typealias F = RegionLayout.Superblock
        precondition(buffer.capacity >= RegionLayout.superblockSize, "buffer smaller than a superblock")
        magic = buffer.uint64(at: F.magic)
        layoutVersion = buffer.uint32(at: F.layoutVersion)
        epoch = buffer.uint64(at: F.epoch)
        streamId = buffer.uint32(at: F.streamId)
        regionTypeRaw = buffer.int16(at: F.regionType)
        poolId = buffer.uint16(at: F.poolId)
        nslots = buffer.uint32(at: F.nslots)
        slotBytes = buffer.uint32(at: F.slotBytes)
        strideBytes = buffer.uint32(at: F.strideBytes)
        pid = buffer.uint64(at: F.pid)
        startTimestampNs = buffer.uint64(at: F.startTimestampNs)
        // Written concurrently by the producer's heartbeat: read atomically.
        activityTimestampNs = UInt64(bitPattern: buffer.int64Acquire(at: F.activityTimestampNs))
    }

    /// Encodes every field at offset 0 of `buffer`. The producer calls this once, after the region body is
    /// initialised, and then flushes (see ``HeaderRing/create(at:nslots:epoch:streamId:pid:nowNs:)``).
    public func write(to buffer: AtomicBuffer) {
        typealias F = RegionLayout.Superblock
        precondition(buffer.capacity >= RegionLayout.superblockSize, "buffer smaller than a superblock")
        buffer.setUInt64(magic, at: F.magic)
        buffer.setUInt32(layoutVersion, at: F.layoutVersion)
        buffer.setUInt64(epoch, at: F.epoch)
        buffer.setUInt32(streamId, at: F.streamId)
        buffer.setInt16(regionTypeRaw, at: F.regionType)
        buffer.setUInt16(poolId, at: F.poolId)
        buffer.setUInt32(nslots, at: F.nslots)
        buffer.setUInt32(slotBytes, at: F.slotBytes)
        buffer.setUInt32(strideBytes, at: F.strideBytes)
        buffer.setUInt64(pid, at: F.pid)
        buffer.setUInt64(startTimestampNs, at: F.startTimestampNs)
        buffer.setInt64Release(Int64(bitPattern: activityTimestampNs), at: F.activityTimestampNs)
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

    /// Throws the first field that differs from `expected` (see ``mismatches(against:)``).
    public func validate(against expected: RegionExpectation) throws(SuperblockMismatch) {
        if let first = mismatches(against: expected).first { throw first }
    }
}
