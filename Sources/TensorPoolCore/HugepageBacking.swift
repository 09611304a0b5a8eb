import CSystemShims
#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SharedMemory

/// What backs a region file, from `statfs(2)` (§15.22 hugepage verification).
public struct HugepageBacking: Equatable, Sendable {
    /// `f_type` of hugetlbfs (`HUGETLBFS_MAGIC`).
    public static let hugetlbfsMagic: Int64 = 0x9584_58F6
    /// `f_type` of tmpfs (`TMPFS_MAGIC`), for diagnostics.
    public static let tmpfsMagic: Int64 = 0x0102_1994

    /// The filesystem type of the file.
    public let filesystemType: Int64
    /// `f_bsize`: the hugepage size on hugetlbfs, the block size elsewhere.
    public let blockSize: Int

    /// True when the file lives on hugetlbfs.
    public var isHugetlbfs: Bool { filesystemType == Self.hugetlbfsMagic }
    /// The unit files here are sized and mapped in: the hugepage size on hugetlbfs (which refuses any other file
    /// size, and any shorter `munmap`), 1 (the page, implicitly) elsewhere.
    public var mappingGranularity: Int { isHugetlbfs ? blockSize : 1 }

    /// Queries the filesystem holding `path`.
    public static func of(path: String) throws(RegionError) -> HugepageBacking {
        let type = shims_statfs_type(path)
        guard type >= 0 else { throw .system(SystemError("statfs", path: path, errno: Int32(-type))) }
        let block = shims_statfs_block_size(path)
        guard block > 0 else { throw .system(SystemError("statfs", path: path, errno: Int32(-block))) }
        return HugepageBacking(filesystemType: type, blockSize: Int(block))
    }

    /// Verifies `path` is on hugetlbfs and returns the hugepage size; else ``RegionError/notHugepageBacked(path:filesystemType:)``.
    public static func requireHugepages(path: String) throws(RegionError) -> Int {
        try requireHugepages(of: try of(path: path), path: path)
    }

    /// As ``requireHugepages(path:)`` for the file open as `fd` (named `path` in errors): the file that is
    /// mapped is the one checked, even if `path` now names another. `statfs` follows the `/proc/self/fd` link
    /// to the open file.
    public static func requireHugepages(fileDescriptor fd: Int32, path: String) throws(RegionError) -> Int {
        try requireHugepages(of: try of(fileDescriptor: fd, path: path), path: path)
    }

    /// Queries the filesystem holding the file open as `fd` (named `path` in errors). `statfs` follows the
    /// `/proc/self/fd` link to the open file.
    public static func of(fileDescriptor fd: Int32, path: String) throws(RegionError) -> HugepageBacking {
        do { return try of(path: "/proc/self/fd/\(fd)") } catch .system(let error) {
            throw .system(SystemError(error.operation, path: path, errno: error.errno))
        } catch { throw error }
    }

    static func requireHugepages(of backing: HugepageBacking, path: String) throws(RegionError) -> Int {
        guard backing.isHugetlbfs else { throw .notHugepageBacked(path: path, filesystemType: backing.filesystemType) }
        return backing.blockSize
    }

    /// The system page size.
    public static var pageSize: Int { Int(sysconf(Int32(_SC_PAGESIZE))) }
}
