#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped `MAP_SHARED` into this process; unmapped when the object is released.
///
/// Owns the mapping, not the file: the descriptor used to map it is closed right after `mmap`, as the mapping
/// keeps the file alive. All access goes through ``buffer``.
public final class MappedFile: @unchecked Sendable {
    /// Path the file was opened with (for diagnostics).
    public let path: String
    /// Length in bytes the caller asked for: the extent of ``buffer``.
    public let length: Int
    /// Length of the mapping itself: ``length`` rounded up to the file's mapping granularity (hugetlbfs maps and
    /// unmaps whole hugepages, and `munmap` of a shorter length fails there, which would leak the mapping).
    public let mappedLength: Int
    /// Whether the mapping is writable.
    public let isWritable: Bool
    /// The mapped bytes.
    public let buffer: AtomicBuffer

    /// Maps `length` bytes of an open descriptor. The caller keeps ownership of `fd`.
    ///
    /// - Parameter granularity: the unit mappings of this file come in (a power of two): the page size, or the
    ///   hugepage size for a file on hugetlbfs. The mapping covers `length` rounded up to it.
    public init(fileDescriptor fd: Int32, length: Int, writable: Bool, prefault: Bool = false, granularity: Int = 1,
                path: String) throws {
        guard length > 0 else { throw SystemError("mmap", path: path, errno: EINVAL) }
        guard let mappedLength = Self.roundUp(length, to: granularity) else { throw SystemError("mmap", path: path, errno: EINVAL) }
        var flags = MAP_SHARED
        if prefault { flags |= MAP_POPULATE }
        let protection = writable ? (PROT_READ | PROT_WRITE) : PROT_READ
        guard let address = mmap(nil, mappedLength, protection, flags, fd, 0), address != MAP_FAILED else {
            throw SystemError.current("mmap", path: path)
        }
        self.path = path
        self.length = length
        self.mappedLength = mappedLength
        self.isWritable = writable
        self.buffer = AtomicBuffer(base: address, capacity: length)
    }

    deinit {
        munmap(buffer.base, mappedLength)
    }

    /// Opens an existing file and maps all of it.
    ///
    /// - Parameter minimumLength: the file must be at least this long, else `EINVAL` is thrown before mapping.
    public static func open(path: String, writable: Bool, minimumLength: Int = 1) throws -> MappedFile {
        let fd = Glibc.open(path, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.current("open", path: path) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw SystemError.current("fstat", path: path) }
        let size = Int(st.st_size)
        guard size >= max(minimumLength, 1) else { throw SystemError("size", path: path, errno: EINVAL) }
        return try MappedFile(fileDescriptor: fd, length: size, writable: writable, path: path)
    }

    /// Creates a file of `length` bytes (zero-filled, blocks reserved so a full disk fails here, not on first touch)
    /// and maps it read-write.
    ///
    /// - Parameters:
    ///   - exclusive: fail with `EEXIST` instead of reusing an existing file.
    ///   - permissions: mode bits, further restricted by the process umask.
    ///   - granularity: the file system's allocation unit for this file (the hugepage size on hugetlbfs, which
    ///     refuses other sizes): the file is sized to `length` rounded up to it.
    public static func create(
        path: String, length: Int, permissions: mode_t = 0o660, exclusive: Bool = true, prefault: Bool = false,
        granularity: Int = 1
    ) throws -> MappedFile {
        guard length > 0, let fileLength = roundUp(length, to: granularity) else { throw SystemError("ftruncate", path: path, errno: EINVAL) }
        var flags = O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW
        if exclusive { flags |= O_EXCL }
        let fd = Glibc.open(path, flags, permissions)
        guard fd >= 0 else { throw SystemError.current("open", path: path) }
        defer { close(fd) }
        // A file this call created and could not finish (a full disk, too few hugepages) is removed: left behind it
        // would look like a region or a cnc.dat being initialised. A reused file is the caller's.
        func fail(_ error: SystemError) -> SystemError {
            if exclusive { unlink(path) }
            return error
        }
        guard ftruncate(fd, off_t(fileLength)) == 0 else { throw fail(.current("ftruncate", path: path)) }
        let rc = posix_fallocate(fd, 0, off_t(fileLength))
        // tmpfs and ext4 support it; filesystems that do not (EOPNOTSUPP) still work, only without the early check.
        if rc != 0 && rc != EOPNOTSUPP && rc != EINVAL { throw fail(SystemError("posix_fallocate", path: path, errno: rc)) }
        do {
            return try MappedFile(fileDescriptor: fd, length: length, writable: true, prefault: prefault,
                                  granularity: granularity, path: path)
        } catch let error as SystemError {
            throw fail(error)
        }
    }

    /// `length` rounded up to a multiple of `granularity` (a power of two), nil when that is not one or overflows.
    static func roundUp(_ length: Int, to granularity: Int) -> Int? {
        guard granularity > 0, granularity & (granularity - 1) == 0 else { return nil }
        let (sum, overflow) = length.addingReportingOverflow(granularity - 1)
        return overflow ? nil : sum & ~(granularity - 1)
    }

    /// Flushes the mapping to its file (`msync(MS_SYNC)`).
    public func sync() throws {
        guard msync(buffer.base, length, MS_SYNC) == 0 else { throw SystemError.current("msync", path: path) }
    }
}
