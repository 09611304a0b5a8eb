#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SharedMemory
import TensorPoolCodecs

/// A region opened read-only for inspection, without an announce: its own superblock says what it is.
///
/// The path is still opened through ``RegionRoot`` (no symlinks, regular file, same inode), the magic and the
/// layout version must be ours, and the file must be long enough for the geometry its superblock claims.
public enum InspectedRegion {
    /// The superblock says `HEADER_RING`: the ring, mapped read-only.
    case headerRing(HeaderRing)
    /// The superblock says `PAYLOAD_POOL`: the pool, mapped read-only.
    case payloadPool(PayloadPool)

    /// Opens `uri` under `root` and maps it read-only.
    public static func open(uri: ShmRegionURI, root: RegionRoot) throws(RegionError) -> InspectedRegion {
        let opened: (fd: Int32, size: Int)
        do { opened = try root.openRegionFile(uri.path, writable: false, minimumLength: RegionLayout.superblockSize) } catch {
            throw .path(error)
        }
        defer { close(opened.fd) }
        let granularity = try HugepageBacking.of(fileDescriptor: opened.fd, path: uri.path).mappingGranularity
        let header: MappedFile
        do {
            header = try MappedFile(fileDescriptor: opened.fd, length: RegionLayout.superblockSize, writable: false,
                                    granularity: granularity, path: uri.path)
        } catch {
            throw .system(error as? SystemError ?? SystemError("mmap", path: uri.path, errno: EIO))
        }
        let superblock = header.readSuperblock()
        guard superblock.magic == RegionLayout.magic else {
            throw .superblock(SuperblockMismatch(field: .magic, expected: RegionLayout.magic, actual: superblock.magic))
        }
        guard superblock.layoutVersion == RegionLayout.layoutVersion else {
            throw .superblock(SuperblockMismatch(field: .layoutVersion, expected: UInt64(RegionLayout.layoutVersion), actual: UInt64(superblock.layoutVersion)))
        }
        try RegionMapping.validateSlotCount(Int(superblock.nslots))
        let expected: RegionExpectation
        switch superblock.regionType {
        case .headerRing:
            expected = .headerRing(epoch: superblock.epoch, streamId: superblock.streamId, nslots: superblock.nslots)
        case .payloadPool:
            expected = .payloadPool(
                epoch: superblock.epoch, streamId: superblock.streamId, poolId: superblock.poolId, nslots: superblock.nslots,
                strideBytes: superblock.strideBytes)
        case .unrecognized(let raw):
            throw .superblock(SuperblockMismatch(field: .regionType, expected: 1, actual: UInt64(UInt16(bitPattern: raw))))
        }
        // Full validation against the geometry the region claims (header ring: pool 0, 256-byte slots, ...).
        let file = try RegionMapping.map(uri: uri, root: root, expected: expected, writable: false)
        switch superblock.regionType {
        case .headerRing: return .headerRing(HeaderRing(file: file, nslots: Int(expected.nslots)))
        default: return .payloadPool(PayloadPool(file: file, poolId: expected.poolId, nslots: Int(expected.nslots), strideBytes: Int(expected.strideBytes)))
        }
    }

    /// The region's superblock.
    public var superblock: Superblock {
        switch self {
        case .headerRing(let ring): ring.superblock
        case .payloadPool(let pool): pool.superblock
        }
    }
}
