/// Why a region URI was rejected (§15.22). Each case names the offending part.
public enum ShmURIError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The URI does not start with `shm:file?`; carries the scheme that was found.
    case unsupportedScheme(String)
    /// No `path=` parameter.
    case missingPath
    /// `path=` with nothing after it.
    case emptyPath
    /// The path does not start with `/`.
    case relativePath(String)
    /// The path contains a byte outside the ABNF (space, control character, `?` or `|`).
    case invalidPathCharacter(path: String, byte: UInt8)
    /// A parameter other than `path` and `require_hugepages`.
    case unknownParameter(String)
    /// A parameter given twice.
    case duplicateParameter(String)
    /// A parameter entry without `=`.
    case malformedParameter(String)
    /// A boolean parameter whose value is not exactly `true` or `false`.
    case invalidBoolean(parameter: String, value: String)

    /// Why the URI was refused, quoting it, for logs and `tp` output.
    public var description: String {
        switch self {
        case .unsupportedScheme(let scheme): "unsupported region URI scheme '\(scheme)' (only shm:file is defined)"
        case .missingPath: "region URI has no 'path' parameter"
        case .emptyPath: "region URI 'path' is empty"
        case .relativePath(let path): "region URI path '\(path)' is not absolute"
        case .invalidPathCharacter(let path, let byte): "region URI path '\(path)' contains forbidden byte 0x\(String(byte, radix: 16))"
        case .unknownParameter(let key): "unknown region URI parameter '\(key)'"
        case .duplicateParameter(let key): "duplicate region URI parameter '\(key)'"
        case .malformedParameter(let entry): "malformed region URI parameter '\(entry)' (expected key=value)"
        case .invalidBoolean(let key, let value): "region URI parameter '\(key)' must be true or false, not '\(value)'"
        }
    }
}
