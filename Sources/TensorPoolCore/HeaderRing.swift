#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SharedMemory
import TensorPoolCodecs

/// A mapped header-ring region: a superblock followed by `nslots` 256-byte `TensorSlotHeader256` slots (§8).
///
/// The producer creates it writable with ``create(path:nslots:epoch:streamId:pid:nowNs:permissions:)``;
/// consumers map it read-only with ``map(uri:root:expected:)``, which validates every superblock field
/// against the announce. Slot contents are written by ``SlotWriter`` and read by ``SeqlockReader`` only.
public final class HeaderRing: @unchecked Sendable {
    /// The mapping (unmapped when the ring is released).
    public let file: MappedFile
    /// Number of slots (a power of two).
    public let nslots: Int
    /// `nslots - 1`, for `header_index = seq & mask`.
    public let mask: Int

    init(file: MappedFile, nslots: Int) {
        self.file = file
        self.nslots = nslots
        self.mask = nslots - 1
    }

    /// The mapped bytes.
    @inlinable public var buffer: AtomicBuffer { file.buffer }
    /// Path of the backing file.
    public var path: String { file.path }
    /// A snapshot of the superblock.
    public var superblock: Superblock { file.readSuperblock() }

    /// Creates `path` (which must not exist) as a header ring for `epoch`, superblock written last and flushed.
    public static func create(
        path: String, nslots: Int, epoch: UInt64, streamId: UInt32, pid: UInt64 = UInt64(getpid()), nowNs: UInt64,
        permissions: mode_t = 0o660
    ) throws(RegionError) -> HeaderRing {
        try RegionMapping.validateSlotCount(nslots)
        let slot = UInt32(RegionLayout.headerSlotBytes)
        let superblock = Superblock(
            epoch: epoch, streamId: streamId, regionType: .headerRing, poolId: 0, nslots: UInt32(nslots),
            slotBytes: slot, strideBytes: slot, pid: pid, startTimestampNs: nowNs, activityTimestampNs: nowNs)
        let file = try RegionMapping.create(path: path, superblock: superblock, permissions: permissions)
        return HeaderRing(file: file, nslots: nslots)
    }

    /// Maps an announced header ring read-only after the checks of ``RegionRoot`` and a full superblock validation.
    public static func map(uri: ShmRegionURI, root: RegionRoot, expected: RegionExpectation) throws(RegionError) -> HeaderRing {
        guard expected.regionType == .headerRing, expected.poolId == 0,
              expected.slotBytes == UInt32(RegionLayout.headerSlotBytes), expected.strideBytes == expected.slotBytes
        else { throw .invalidConfiguration("a header ring expectation needs region_type HEADER_RING, pool_id 0 and 256-byte slots") }
        let file = try RegionMapping.map(uri: uri, root: root, expected: expected, writable: false)
        return HeaderRing(file: file, nslots: Int(expected.nslots))
    }

    /// Byte offset of slot `index` (`64 + index * 256`).
    @inlinable public func slotOffset(_ index: Int) -> Int { RegionLayout.headerSlotOffset(index) }

    /// Acquire-load of slot `index`'s commit word.
    @inlinable public func commitWord(slot index: Int) -> UInt64 {
        UInt64(bitPattern: file.buffer.int64Acquire(at: RegionLayout.headerSlotOffset(index) + RegionLayout.SlotHeader.commitWord))
    }

    /// Publishes the producer heartbeat: `activity_timestamp_ns` with a release store (§7.1, §15.14).
    public func refreshActivity(nowNs: UInt64) {
        file.buffer.setInt64Release(Int64(bitPattern: nowNs), at: RegionLayout.Superblock.activityTimestampNs)
    }
}
