#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SharedMemory
import TensorPoolCodecs

/// A mapped payload-pool region: a superblock followed by `nslots` payload slots of `strideBytes` each (§9).
///
/// v1.1 mapping: payload slot `i` belongs to header slot `i` (``RegionLayout/payloadSlotOffset(_:strideBytes:)``).
public final class PayloadPool: @unchecked Sendable {
    /// The mapping; it stays valid until the pool is deinitialised, even after the file is unlinked.
    public let file: MappedFile
    /// The pool id announced in `ShmPoolAnnounce` and stored in headers.
    public let poolId: UInt16
    /// Payload slots in the pool: the header ring's `nslots` (v1.1 maps payload slot `i` to header slot `i`).
    public let nslots: Int
    /// Distance between payload slots, and the largest `values_len_bytes` the pool accepts.
    public let strideBytes: Int

    init(file: MappedFile, poolId: UInt16, nslots: Int, strideBytes: Int) {
        self.file = file
        self.poolId = poolId
        self.nslots = nslots
        self.strideBytes = strideBytes
    }

    /// The whole mapped region, superblock included (slot `i` starts at ``RegionLayout/payloadSlotOffset(_:strideBytes:)``).
    @inlinable public var buffer: AtomicBuffer { file.buffer }
    /// The file the pool was created or opened at.
    public var path: String { file.path }
    /// The superblock as it is now, re-read from the mapping on every access (its activity timestamp moves).
    public var superblock: Superblock { file.readSuperblock() }

    /// Creates `path` (which must not exist) as a pool. The stride must satisfy ``StrideRule`` for this
    /// machine's page size (and the hugepage size when `requireHugepages`, which also demands that the parent
    /// directory be on hugetlbfs).
    public static func create(
        path: String, poolId: UInt16, nslots: Int, strideBytes: Int, epoch: UInt64, streamId: UInt32,
        pid: UInt64 = UInt64(getpid()), nowNs: UInt64, requireHugepages: Bool = false, permissions: mode_t = 0o660
    ) throws(RegionError) -> PayloadPool {
        try RegionMapping.validateSlotCount(nslots)
        var hugepageSize: Int?
        if requireHugepages {
            hugepageSize = try HugepageBacking.requireHugepages(path: RegionMapping.parentDirectory(of: path))
        }
        try StrideRule.validate(strideBytes: strideBytes, pageSize: HugepageBacking.pageSize, hugepageSize: hugepageSize)
        guard strideBytes <= Int(UInt32.max) else { throw .invalidStride(strideBytes: strideBytes, reason: "exceeds u32") }
        let superblock = Superblock(
            epoch: epoch, streamId: streamId, regionType: .payloadPool, poolId: poolId, nslots: UInt32(nslots),
            slotBytes: UInt32(strideBytes), strideBytes: UInt32(strideBytes), pid: pid, startTimestampNs: nowNs,
            activityTimestampNs: nowNs)
        let file = try RegionMapping.create(path: path, superblock: superblock, permissions: permissions)
        return PayloadPool(file: file, poolId: poolId, nslots: nslots, strideBytes: strideBytes)
    }

    /// Maps an announced pool read-only after path, hugepage, stride and superblock validation.
    public static func map(uri: ShmRegionURI, root: RegionRoot, expected: RegionExpectation) throws(RegionError) -> PayloadPool {
        guard expected.regionType == .payloadPool, expected.slotBytes == expected.strideBytes else {
            throw .invalidConfiguration("a payload pool expectation needs region_type PAYLOAD_POOL and slot_bytes == stride_bytes")
        }
        let file = try RegionMapping.map(uri: uri, root: root, expected: expected, writable: false)
        return PayloadPool(file: file, poolId: expected.poolId, nslots: Int(expected.nslots), strideBytes: Int(expected.strideBytes))
    }

    /// Byte offset of payload slot `index` (`64 + index * stride`).
    @inlinable public func slotOffset(_ index: Int) -> Int { RegionLayout.payloadSlotOffset(index, strideBytes: strideBytes) }

    /// Publishes the producer heartbeat in this region's superblock (release store).
    public func refreshActivity(nowNs: UInt64) {
        file.buffer.setInt64Release(Int64(bitPattern: nowNs), at: RegionLayout.Superblock.activityTimestampNs)
    }
}
