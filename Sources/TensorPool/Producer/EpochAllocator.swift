import TensorPoolCore
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Allocates producer epochs that are never reused, even across restarts of a standalone producer
/// (spec §15.2: increment `epoch` on any restart or layout change).
///
/// `epoch = max(lastPersisted + 1, wallClockNs)`: the wall clock makes epochs unique when the
/// persisted file is lost (e.g. `/dev/shm` cleared by a reboot); the persisted value protects
/// against the wall clock going backwards. The new epoch is persisted *before* it is returned
/// (write to a temporary file, `fsync`, `rename` over the old file, `fsync` the directory), so a
/// crash at any point leaves either the old or the new value, never a torn file.
///
/// The file is `<directory>/epoch-<streamId>-<producerId>` holding the decimal epoch and a newline.
public struct EpochAllocator: Sendable {
    /// Why an epoch could not be allocated.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// The persisted file exists but does not hold a decimal epoch.
        case corruptFile(path: String, content: String)
        /// A system call failed.
        case io(operation: String, path: String, errno: Int32)
        /// The last persisted epoch is `UInt64.max`: no larger epoch exists.
        case exhausted(path: String)

        /// Names the file and errno text; a corrupt file gets advice, since deleting it blindly could reuse an epoch.
        public var description: String {
            switch self {
            case .corruptFile(let path, let content):
                "epoch file \(path) is corrupt (content \(String(reflecting: content))); remove it only if no consumer can still hold an old epoch"
            case .io(let operation, let path, let code):
                "\(operation) \(path) failed: \(String(cString: strerror(code))) (errno \(code))"
            case .exhausted(let path):
                "epoch file \(path) holds UInt64.max: epochs exhausted"
            }
        }
    }

    /// Directory holding the epoch files; a ``TensorPoolProducer`` uses ``ProducerOptions/epochDirectory``, by
    /// default ``defaultDirectory(shmRootDir:)``.
    public let directory: String

    /// The epoch directory of producers whose SHM root is `shmRootDir`: `<shm_root_dir>/epochs`, except on hugetlbfs,
    /// which cannot hold a file written with `write(2)` (only whole mapped hugepages): then
    /// `/dev/shm/tp-epochs/<shm_root_dir with '/' as '_'>`, one directory per root all the same.
    public static func defaultDirectory(shmRootDir: String) -> String {
        guard let backing = try? HugepageBacking.of(path: shmRootDir), backing.isHugetlbfs else { return shmRootDir + "/epochs" }
        let flattened = shmRootDir.split(separator: "/").joined(separator: "_")
        return "/dev/shm/tp-epochs/" + (flattened.isEmpty ? "_" : flattened)
    }

    /// An allocator persisting to `directory` (missing directories are created on first use, mode 0770); nothing is
    /// read or written until an epoch is allocated.
    public init(directory: String) {
        self.directory = directory
    }

    /// Path of the epoch file of one producer.
    public func path(streamId: UInt32, producerId: UInt32) -> String {
        "\(directory)/epoch-\(streamId)-\(producerId)"
    }

    /// The last persisted epoch, or `nil` when none was persisted.
    public func lastEpoch(streamId: UInt32, producerId: UInt32) throws(Failure) -> UInt64? {
        let file = path(streamId: streamId, producerId: producerId)
        guard let content = try Self.readSmallFile(file) else { return nil }
        let trimmed = content.split(whereSeparator: { $0 == "\n" || $0 == " " || $0 == "\r" })
        guard trimmed.count == 1, let value = UInt64(trimmed[0]) else {
            throw .corruptFile(path: file, content: String(content.prefix(64)))
        }
        return value
    }

    /// Allocates, persists and returns a new epoch greater than every epoch returned before for this
    /// `(streamId, producerId)` in this directory, and at least `wallClockNs`.
    public func allocate(streamId: UInt32, producerId: UInt32, wallClockNs: UInt64) throws(Failure) -> UInt64 {
        let file = path(streamId: streamId, producerId: producerId)
        try Self.makeDirectory(directory)
        var epoch = max(wallClockNs, 1)
        if let last = try lastEpoch(streamId: streamId, producerId: producerId) {
            guard last < UInt64.max else { throw .exhausted(path: file) }
            epoch = max(epoch, last + 1)
        }
        try Self.writeAtomically("\(epoch)\n", to: file, directory: directory)
        return epoch
    }

    // MARK: file helpers

    private static func makeDirectory(_ path: String) throws(Failure) {
        var prefix = ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += "/" + component
            if mkdir(prefix, 0o770) != 0 && errno != EEXIST {
                throw .io(operation: "mkdir", path: prefix, errno: errno)
            }
        }
    }

    private static func readSmallFile(_ path: String) throws(Failure) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .io(operation: "open", path: path, errno: errno)
        }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 128)
        var total = 0
        while total < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + total, $0.count - total) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "read", path: path, errno: errno)
            }
            if n == 0 { break }
            total += n
        }
        return String(decoding: bytes[..<total], as: UTF8.self)
    }

    private static func writeAtomically(_ content: String, to path: String, directory: String) throws(Failure) {
        let temp = "\(path).tmp.\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o660)
        if fd < 0 { throw .io(operation: "open", path: temp, errno: errno) }
        var ok = false
        defer {
            if !ok { unlink(temp) }
        }
        let bytes = Array(content.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                throw .io(operation: "write", path: temp, errno: code)
            }
            written += n
        }
        if fsync(fd) != 0 {
            let code = errno
            close(fd)
            throw .io(operation: "fsync", path: temp, errno: code)
        }
        close(fd)
        if rename(temp, path) != 0 { throw .io(operation: "rename", path: path, errno: errno) }
        ok = true
        let dirFd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFd >= 0 {
            defer { close(dirFd) }
            if fsync(dirFd) != 0 { throw .io(operation: "fsync", path: directory, errno: errno) }
        }
    }
}
