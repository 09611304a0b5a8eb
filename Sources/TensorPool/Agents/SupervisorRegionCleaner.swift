#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SharedMemory
import TensorPoolCore

/// Removes the SHM region files of dead producers under a root directory (`tp clean`, spec §15.14
/// "crashes are inferred by stale activity_timestamp").
///
/// A region file is removed only when **both** hold:
/// - its superblock `pid` names no process (`kill(pid, 0)` fails with `ESRCH`; `EPERM` means alive), and
/// - its `activity_timestamp_ns` (CLOCK_MONOTONIC, as written by producers) is older than `staleAfterNs`.
///
/// Anything else is kept and reported: a live pid, fresh activity, an activity timestamp ahead of the clock
/// (another clock: never guess), a pid of 0 or outside `pid_t`. Hostile contents are skipped with a reason
/// and never followed: symbolic links (files or directories), non-regular files, files shorter than a
/// superblock, files without the `TPOLSHM1` magic. The walk is bounded (`maxDepth`, the
/// `<root>/<stream>/<epoch>/` layout needs 2), and directories left empty by a removal are removed.
public struct SupervisorRegionCleaner: Sendable {
    /// What was decided for one path.
    public enum Action: Sendable, Hashable, CustomStringConvertible {
        case removed
        /// Would be removed (dry run).
        case wouldRemove
        case kept
        case skipped
        /// Removal attempted but failed.
        case failed

        public var description: String {
            switch self {
            case .removed: "removed"
            case .wouldRemove: "would remove"
            case .kept: "kept"
            case .skipped: "skipped"
            case .failed: "failed"
            }
        }
    }

    /// One line of the report.
    public struct Entry: Sendable, Hashable, CustomStringConvertible {
        public var path: String
        public var action: Action
        public var reason: String
        public var description: String { "\(action): \(path): \(reason)" }
    }

    public var root: String
    public var staleAfterNs: UInt64
    public var dryRun: Bool
    public var maxDepth: Int

    public init(root: String, staleAfterNs: UInt64 = 10_000_000_000, dryRun: Bool = false, maxDepth: Int = 4) {
        self.root = root
        self.staleAfterNs = staleAfterNs
        self.dryRun = dryRun
        self.maxDepth = maxDepth
    }

    /// Errors that stop the whole run (the root itself is unusable).
    public enum CleanError: Error, Sendable, CustomStringConvertible {
        case rootUnusable(String, reason: String)
        public var description: String {
            switch self {
            case .rootUnusable(let path, let reason): "cannot clean \(path): \(reason)"
            }
        }
    }

    /// Walks the root and returns one entry per examined path, in walk order.
    public func run(nowNs: UInt64 = Self.monotonicNs()) throws(CleanError) -> [Entry] {
        guard root.hasPrefix("/") else { throw .rootUnusable(root, reason: "not an absolute path") }
        var st = stat()
        guard lstat(root, &st) == 0 else { throw .rootUnusable(root, reason: String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw .rootUnusable(root, reason: (st.st_mode & S_IFMT) == S_IFLNK ? "is a symbolic link (not followed)" : "not a directory")
        }
        var entries: [Entry] = []
        _ = walk(root, depth: 0, nowNs: nowNs, into: &entries)
        return entries
    }

    /// Returns whether something was removed below `directory`.
    private func walk(_ directory: String, depth: Int, nowNs: UInt64, into entries: inout [Entry]) -> Bool {
        guard let names = Self.list(directory) else {
            entries.append(Entry(path: directory, action: .skipped, reason: "cannot list: \(String(cString: strerror(errno)))"))
            return false
        }
        var removedSomething = false
        for name in names.sorted() {
            let path = directory + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0 else {
                entries.append(Entry(path: path, action: .skipped, reason: "lstat failed: \(String(cString: strerror(errno)))"))
                continue
            }
            switch st.st_mode & S_IFMT {
            case S_IFLNK:
                entries.append(Entry(path: path, action: .skipped, reason: "symbolic link, not followed"))
            case S_IFDIR:
                guard depth < maxDepth else {
                    entries.append(Entry(path: path, action: .skipped, reason: "deeper than \(maxDepth) levels"))
                    continue
                }
                if walk(path, depth: depth + 1, nowNs: nowNs, into: &entries) {
                    removedSomething = true
                    if rmdir(path) == 0 {
                        entries.append(Entry(path: path, action: .removed, reason: "directory left empty"))
                    }
                }
            case S_IFREG:
                let entry = judge(path, nowNs: nowNs)
                if entry.action == .removed { removedSomething = true }
                entries.append(entry)
            default:
                entries.append(Entry(path: path, action: .skipped, reason: "not a regular file"))
            }
        }
        return removedSomething
    }

    /// Decides (and applies) the fate of one regular file.
    func judge(_ path: String, nowNs: UInt64) -> Entry {
        let superblock: Superblock
        switch Self.readSuperblock(path) {
        case .failure(let failure): return Entry(path: path, action: .skipped, reason: failure.description)
        case .success(let value): superblock = value
        }
        guard superblock.magic == RegionLayout.magic else {
            return Entry(path: path, action: .skipped, reason: "no TPOLSHM1 magic: not a tensor-pool region")
        }
        let pid = superblock.pid
        guard pid > 0, pid <= UInt64(Int32.max) else {
            return Entry(path: path, action: .kept, reason: "superblock pid \(pid) is not a process id: not judged")
        }
        if kill(pid_t(pid), 0) == 0 {
            return Entry(path: path, action: .kept, reason: "producer pid \(pid) is alive")
        }
        let killError = errno
        guard killError == ESRCH else {
            return Entry(path: path, action: .kept,
                         reason: "producer pid \(pid) exists (\(killError == EPERM ? "owned by another user" : String(cString: strerror(killError))))")
        }
        let activity = superblock.activityTimestampNs
        guard activity <= nowNs else {
            return Entry(path: path, action: .kept,
                         reason: "producer pid \(pid) is gone but activity_timestamp_ns is ahead of CLOCK_MONOTONIC (another clock?): not judged")
        }
        let age = nowNs - activity
        guard age > staleAfterNs else {
            return Entry(path: path, action: .kept,
                         reason: "producer pid \(pid) is gone but activity is fresh (\(age / 1_000_000) ms <= \(staleAfterNs / 1_000_000) ms)")
        }
        let why = "producer pid \(pid) is gone (ESRCH) and activity is stale (\(age / 1_000_000) ms)"
        if dryRun { return Entry(path: path, action: .wouldRemove, reason: why) }
        guard unlink(path) == 0 else {
            return Entry(path: path, action: .failed, reason: "\(why); unlink failed: \(String(cString: strerror(errno)))")
        }
        return Entry(path: path, action: .removed, reason: why)
    }

    /// Reads the first 64 bytes without following a symlink; refuses short or non-regular files.
    static func readSuperblock(_ path: String) -> Result<Superblock, ReadFailure> {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return .failure(ReadFailure("cannot open: \(String(cString: strerror(errno)))")) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return .failure(ReadFailure("not a regular file")) }
        let size = RegionLayout.superblockSize
        guard Int(st.st_size) >= size else {
            return .failure(ReadFailure("short file (\(st.st_size) bytes < \(size)-byte superblock): not a region"))
        }
        let base = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
        defer { base.deallocate() }
        var total = 0
        while total < size {
            let n = pread(fd, base + total, size - total, off_t(total))
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return .failure(ReadFailure("cannot read the superblock")) }
            total += n
        }
        do {
            return .success(try Superblock(from: AtomicBuffer(base: base, capacity: size)))
        } catch {
            return .failure(ReadFailure("superblock does not decode: \(error)"))
        }
    }

    /// Why a file could not be read as a region.
    struct ReadFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func list(_ directory: String) -> [String]? {
        guard let dir = opendir(directory) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// `CLOCK_MONOTONIC` now, the clock producers write `activity_timestamp_ns` with.
    public static func monotonicNs() -> UInt64 { TensorPoolClock.monotonicNs() }
}
