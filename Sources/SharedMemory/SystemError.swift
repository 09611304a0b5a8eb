#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call: which operation, on what, and the `errno` it returned.
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The call or step that failed, e.g. `"open"`, `"mmap"`.
    public let operation: String
    /// The file or object involved, if any.
    public let path: String?
    /// The `errno` value.
    public let errno: Int32

    /// A failure of `operation` on `path` (if any) with the given `errno`; see ``current(_:path:)`` to capture it.
    public init(_ operation: String, path: String? = nil, errno: Int32) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    /// Captures the calling thread's current `errno`.
    public static func current(_ operation: String, path: String? = nil) -> SystemError {
        SystemError(operation, path: path, errno: Glibc.errno)
    }

    /// `operation path: strerror (errno N)`, for logs and CLI messages.
    public var description: String {
        let reason = String(cString: strerror(errno))
        if let path { return "\(operation) \(path): \(reason) (errno \(errno))" }
        return "\(operation): \(reason) (errno \(errno))"
    }
}
