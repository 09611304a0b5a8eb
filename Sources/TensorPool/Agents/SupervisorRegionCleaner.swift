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
        /// The region file was unlinked: dead `pid` and `activity_timestamp_ns` older than ``staleAfterNs``.
        case removed
        /// Would be removed (dry run).
        case wouldRemove
        /// Left in place because its producer may be alive (live or unknowable pid, fresh or future activity): the
        /// reason says which, so an operator can decide by hand.
        case kept
        /// Not examined as a region (symbolic link, non-regular file, too short, no `TPOLSHM1` magic, too deep): never
        /// followed or removed, since it may not belong to the tensor pool at all.
        case skipped
        /// Removal attempted but failed.
        case failed

        /// Lower-case word used as the first column of `tp clean` output.
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
        /// Absolute path examined, as walked from ``root`` (symbolic links are reported, not resolved).
        public var path: String
        /// The decision taken (or, in a dry run, that would be taken) for ``path``.
        public var action: Action
        /// Human-readable why: the pid and activity age in milliseconds, or the check that failed.
        public var reason: String
        /// `action: path: reason`, one line of the `tp clean` report.
        public var description: String { "\(action): \(path): \(reason)" }
    }

    /// Absolute directory to walk, normally a producer's `shm_root_dir` (`<root>/<stream>/<epoch>/` files below it).
    public var root: String
    /// Minimum age in nanoseconds of `activity_timestamp_ns` (CLOCK_MONOTONIC) before a dead producer's file may go;
    /// default 10 s, several announce periods (spec §15.14), so a producer between two updates is never mistaken for
    /// dead.
    public var staleAfterNs: UInt64
    /// Report what would be removed (``Action/wouldRemove``) without unlinking anything.
    public var dryRun: Bool
    /// Directory levels walked below ``root`` (the standard layout needs 2); deeper entries are skipped, which bounds
    /// the walk on a hostile or mis-pointed tree.
    public var maxDepth: Int
    /// Test hook: runs after a subdirectory passed its `lstat` check and before it is entered (TOCTOU tests).
    var beforeDescend: (@Sendable (String) -> Void)?

    /// A cleaner for `root` with the defaults `tp clean` uses: 10 s staleness, removal enabled, depth 4.
    public init(root: String, staleAfterNs: UInt64 = 10_000_000_000, dryRun: Bool = false, maxDepth: Int = 4) {
        self.root = root
        self.staleAfterNs = staleAfterNs
        self.dryRun = dryRun
        self.maxDepth = maxDepth
    }

    /// Errors that stop the whole run (the root itself is unusable).
    public enum CleanError: Error, Sendable, CustomStringConvertible {
        /// The root is not an absolute path, cannot be `lstat`ed (the `strerror` text), is a symbolic link or is not a
        /// directory: the run stops before touching anything.
        case rootUnusable(String, reason: String)
        /// `cannot clean <path>: <reason>`, printed by `tp clean` before it exits non-zero.
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
        let rootfd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard rootfd >= 0 else { throw .rootUnusable(root, reason: String(cString: strerror(errno))) }
        defer { close(rootfd) }
        var entries: [Entry] = []
        _ = walk(rootfd, path: root, depth: 0, nowNs: nowNs, into: &entries)
        return entries
    }

    /// Returns whether something was removed below the directory open as `dirfd` (named `directory` in the
    /// report). Every step is relative to an open directory descriptor (`fstatat`, `openat(O_NOFOLLOW)`,
    /// `unlinkat`), never to a path: a directory swapped for a symlink after its check cannot redirect the walk
    /// or a removal outside the root.
    private func walk(_ dirfd: Int32, path directory: String, depth: Int, nowNs: UInt64, into entries: inout [Entry]) -> Bool {
        guard let names = Self.list(dirfd) else {
            entries.append(Entry(path: directory, action: .skipped, reason: "cannot list: \(String(cString: strerror(errno)))"))
            return false
        }
        var removedSomething = false
        for name in names.sorted() {
            let path = directory + "/" + name
            var st = stat()
            guard fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else {
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
                beforeDescend?(path)
                let child = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard child >= 0 else {
                    let reason = errno == ELOOP || errno == ENOTDIR
                        ? "replaced by a non-directory during the walk, not followed" : "cannot open: \(String(cString: strerror(errno)))"
                    entries.append(Entry(path: path, action: .skipped, reason: reason))
                    continue
                }
                defer { close(child) }
                guard Self.isSameFile(child, as: st) else {
                    entries.append(Entry(path: path, action: .skipped, reason: "replaced during the walk, not entered"))
                    continue
                }
                if walk(child, path: path, depth: depth + 1, nowNs: nowNs, into: &entries) {
                    removedSomething = true
                    if unlinkat(dirfd, name, AT_REMOVEDIR) == 0 {
                        entries.append(Entry(path: path, action: .removed, reason: "directory left empty"))
                    }
                }
            case S_IFREG:
                let entry = judge(dirfd, name: name, path: path, nowNs: nowNs)
                if entry.action == .removed { removedSomething = true }
                entries.append(entry)
            default:
                entries.append(Entry(path: path, action: .skipped, reason: "not a regular file"))
            }
        }
        return removedSomething
    }

    /// Decides (and applies) the fate of the regular file `name` in the directory open as `dirfd`.
    func judge(_ dirfd: Int32, name: String, path: String, nowNs: UInt64) -> Entry {
        let fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return Entry(path: path, action: .skipped, reason: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let superblock: Superblock
        switch Self.readSuperblock(fd) {
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
        // The name must still denote the file that was judged (not one renamed into its place meanwhile).
        var now = stat()
        guard fstatat(dirfd, name, &now, AT_SYMLINK_NOFOLLOW) == 0, Self.isSameFile(fd, as: now) else {
            return Entry(path: path, action: .skipped, reason: "replaced during the check, not removed")
        }
        guard unlinkat(dirfd, name, 0) == 0 else {
            return Entry(path: path, action: .failed, reason: "\(why); unlink failed: \(String(cString: strerror(errno)))")
        }
        return Entry(path: path, action: .removed, reason: why)
    }

    /// True when the open descriptor `fd` is the file `expected` describes (same device and inode).
    static func isSameFile(_ fd: Int32, as expected: stat) -> Bool {
        var opened = stat()
        return fstat(fd, &opened) == 0 && opened.st_dev == expected.st_dev && opened.st_ino == expected.st_ino
    }

    /// Reads the first 64 bytes of the open file `fd`; refuses short or non-regular files.
    static func readSuperblock(_ fd: Int32) -> Result<Superblock, ReadFailure> {
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

    /// The entry names of the directory open as `dirfd` (read through a duplicate descriptor, which
    /// `closedir` closes; `dirfd` itself stays open).
    static func list(_ dirfd: Int32) -> [String]? {
        let copy = dup(dirfd)
        guard copy >= 0 else { return nil }
        guard let dir = fdopendir(copy) else {
            close(copy)
            return nil
        }
        defer { closedir(dir) }
        rewinddir(dir)  // the duplicate shares the file offset with `dirfd`
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
