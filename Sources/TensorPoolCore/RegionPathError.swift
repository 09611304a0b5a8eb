import SharedMemory

/// Why a region path was refused by ``RegionRoot`` (§15.10, §15.22). Each case names the path and the problem.
public enum RegionPathError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path is not absolute.
    case notAbsolute(String)
    /// The path contains a `.` or `..` component.
    case traversal(String)
    /// The file (after resolving symlinks in its parent directories) lies outside the root.
    case outsideRoot(path: String, resolved: String, root: String)
    /// The final component is a symbolic link.
    case symlink(String)
    /// The final component exists but is not a regular file; `kind` says what it is.
    case notRegularFile(path: String, kind: String)
    /// The file is shorter than the layout it announces.
    case tooSmall(path: String, size: Int, required: Int)
    /// The file checked by `lstat` is not the file that was opened (replaced between check and open).
    case replacedDuringOpen(String)
    /// A system call failed (missing file, permission denied, ...).
    case system(SystemError)

    /// Why the path was refused, with the path, for logs and `tp` output.
    public var description: String {
        switch self {
        case .notAbsolute(let path): "region path '\(path)' is not absolute"
        case .traversal(let path): "region path '\(path)' contains a '.' or '..' component"
        case .outsideRoot(let path, let resolved, let root): "region path '\(path)' resolves to '\(resolved)', outside the region root '\(root)'"
        case .symlink(let path): "region path '\(path)' is a symbolic link"
        case .notRegularFile(let path, let kind): "region path '\(path)' is a \(kind), not a regular file"
        case .tooSmall(let path, let size, let required): "region file '\(path)' is \(size) bytes, the announced layout needs \(required)"
        case .replacedDuringOpen(let path): "region file '\(path)' was replaced between check and open"
        case .system(let error): error.description
        }
    }
}
