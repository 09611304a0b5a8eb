#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SharedMemory

/// The directory every region file must live under, and the only way TensorPoolCore opens region files.
///
/// Region paths arrive in control-plane messages, so they are untrusted. ``openRegionFile(_:writable:minimumLength:)``
/// refuses anything that could make a consumer map a file it was not meant to:
/// 1. the path must be absolute with no `.`/`..` components;
/// 2. its parent directory is resolved with `realpath` (symlinks in parent directories are followed, then the
///    result must still be under the root);
/// 3. the parent is opened `O_DIRECTORY` and the file is `lstat`ed relative to it: it must be a regular file,
///    not a symlink;
/// 4. the file is opened with `openat(..., O_NOFOLLOW)` and `fstat`ed: device and inode must equal the checked
///    ones (a file swapped in between is refused) and the size must cover `minimumLength`.
public struct RegionRoot: Sendable, Equatable, CustomStringConvertible {
    /// The canonical (realpath-resolved) root directory.
    public let path: String

    /// Resolves `path` (which must exist and be a directory) with `realpath`.
    public init(_ path: String) throws(RegionPathError) {
        guard path.hasPrefix("/") else { throw .notAbsolute(path) }
        guard let resolved = Self.realpath(path) else { throw .system(.current("realpath", path: path)) }
        var st = stat()
        guard stat(resolved, &st) == 0 else { throw .system(.current("stat", path: resolved)) }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { throw .notRegularFile(path: resolved, kind: "non-directory root") }
        self.path = resolved
    }

    /// The root directory's path.
    public var description: String { path }

    /// True when `resolved` (a canonical path) is the root or below it.
    public func contains(resolved: String) -> Bool {
        if path == "/" { return resolved.hasPrefix("/") }
        return resolved == path || resolved.hasPrefix(path + "/")
    }

    /// Opens a region file under the root after the checks in the type documentation.
    ///
    /// - Returns: an open descriptor (the caller closes it) and the file's size.
    public func openRegionFile(_ path: String, writable: Bool, minimumLength: Int) throws(RegionPathError) -> (fd: Int32, size: Int) {
        try openRegionFile(path, writable: writable, minimumLength: minimumLength, betweenCheckAndOpen: nil)
    }

    /// As above; `betweenCheckAndOpen` lets tests replace the file after the `lstat` check, and
    /// `afterResolvingParent` a parent directory after `realpath` (TOCTOU simulations).
    func openRegionFile(
        _ path: String, writable: Bool, minimumLength: Int, betweenCheckAndOpen: (() -> Void)?,
        afterResolvingParent: (() -> Void)? = nil
    ) throws(RegionPathError) -> (fd: Int32, size: Int) {
        guard path.hasPrefix("/") else { throw .notAbsolute(path) }
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let name = components.last else { throw .notRegularFile(path: path, kind: "directory") }
        guard !components.contains(where: { $0 == ".." || $0 == "." }) else { throw .traversal(path) }
        let parent = "/" + components.dropLast().joined(separator: "/")
        guard let resolvedParent = Self.realpath(parent) else { throw .system(.current("realpath", path: parent)) }
        let resolved = resolvedParent == "/" ? "/" + name : resolvedParent + "/" + name
        guard contains(resolved: resolvedParent), resolved != self.path else {
            throw .outsideRoot(path: path, resolved: resolved, root: self.path)
        }

        afterResolvingParent?()

        let dirfd = open(resolvedParent, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
        guard dirfd >= 0 else { throw .system(.current("open", path: resolvedParent)) }
        defer { close(dirfd) }
        // O_NOFOLLOW guards only the last component: a directory above it may have been swapped for a symlink
        // since `realpath`. Where the opened directory really is decides, and every later step is relative to it.
        guard let openedDirectory = Self.path(ofOpenDirectory: dirfd) else { throw .system(.current("readlink", path: resolvedParent)) }
        guard openedDirectory == resolvedParent else {
            throw .outsideRoot(path: path, resolved: openedDirectory + "/" + name, root: self.path)
        }

        var checked = stat()
        let nameString = String(name)
        guard fstatat(dirfd, nameString, &checked, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw .system(.current("lstat", path: resolved))
        }
        let kind = checked.st_mode & S_IFMT
        if kind == S_IFLNK { throw .symlink(path) }
        guard kind == S_IFREG else { throw .notRegularFile(path: path, kind: Self.kindName(kind)) }

        betweenCheckAndOpen?()

        let fd = openat(dirfd, nameString, (writable ? O_RDWR : O_RDONLY) | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            let error = SystemError.current("open", path: resolved)
            if error.errno == ELOOP { throw .symlink(path) }
            throw .system(error)
        }
        var opened = stat()
        guard fstat(fd, &opened) == 0 else {
            let error = SystemError.current("fstat", path: resolved)
            close(fd)
            throw .system(error)
        }
        guard opened.st_dev == checked.st_dev, opened.st_ino == checked.st_ino, (opened.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw .replacedDuringOpen(path)
        }
        let size = Int(opened.st_size)
        guard size >= minimumLength else {
            close(fd)
            throw .tooSmall(path: path, size: size, required: minimumLength)
        }
        return (fd, size)
    }

    /// The canonical path of the directory open as `fd` (`/proc/self/fd/<fd>`), or nil when it cannot be read.
    static func path(ofOpenDirectory fd: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func realpath(_ path: String) -> String? {
        guard let resolved = Glibc.realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func kindName(_ kind: mode_t) -> String {
        switch kind {
        case S_IFDIR: "directory"
        case S_IFCHR: "character device"
        case S_IFBLK: "block device"
        case S_IFIFO: "FIFO"
        case S_IFSOCK: "socket"
        case S_IFLNK: "symbolic link"
        default: "special file"
        }
    }
}
