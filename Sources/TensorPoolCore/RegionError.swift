import SharedMemory

/// Why a region could not be created, mapped or accepted.
public enum RegionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The region URI is malformed or unsupported.
    case uri(ShmURIError)
    /// The path was refused (containment, symlink, not a regular file, too small, replaced).
    case path(RegionPathError)
    /// The superblock does not match the announce.
    case superblock(SuperblockMismatch)
    /// `require_hugepages=true` but the file is not on hugetlbfs (§15.22: no silent downgrade).
    case notHugepageBacked(path: String, filesystemType: Int64)
    /// A region on hugetlbfs could not reserve its hugepages: fewer are free than the file needs
    /// (`HugePages_Free` in /proc/meminfo; `vm.nr_hugepages` sets the pool). Nothing is left behind.
    case hugepagesExhausted(path: String, bytes: Int, hugepageSize: Int)
    /// The pool stride breaks §15.22.
    case invalidStride(strideBytes: Int, reason: String)
    /// The slot count is not a power of two in 1...2^31, or pools and ring disagree (§15.5).
    case invalidSlotCount(nslots: Int, reason: String)
    /// A region file for this epoch already exists: regions are never reused or truncated across epochs.
    case alreadyExists(String)
    /// Other invalid configuration (duplicate pool ids, ...).
    case invalidConfiguration(String)
    /// A system call failed.
    case system(SystemError)

    /// The underlying cause in one line (URI, path, superblock or system error), for logs and `tp` output.
    public var description: String {
        switch self {
        case .uri(let error): error.description
        case .path(let error): error.description
        case .superblock(let error): error.description
        case .notHugepageBacked(let path, let type):
            "region '\(path)' requires hugepages but its filesystem type is 0x\(String(type, radix: 16)) (hugetlbfs is 0x958458f6)"
        case .hugepagesExhausted(let path, let bytes, let hugepageSize):
            "region '\(path)' needs \((bytes + hugepageSize - 1) / hugepageSize) free hugepages of \(hugepageSize >> 10) KiB and fewer are free (HugePages_Free in /proc/meminfo; raise vm.nr_hugepages)"
        case .invalidStride(let stride, let reason): "stride_bytes \(stride) rejected: \(reason)"
        case .invalidSlotCount(let nslots, let reason): "nslots \(nslots) rejected: \(reason)"
        case .alreadyExists(let path): "region file '\(path)' already exists (a new epoch needs new files)"
        case .invalidConfiguration(let reason): "invalid region configuration: \(reason)"
        case .system(let error): error.description
        }
    }
}
