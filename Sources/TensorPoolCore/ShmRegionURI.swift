/// A parsed `shm:file` region URI (spec §4.1, validation per §15.22).
///
/// Grammar: `shm:file?path=<absolute_path>[|require_hugepages=true|false]`. Parameters are separated by `|`
/// (Aeron style). Parsing fails closed: an unknown scheme, an unknown or repeated parameter, a missing, empty or
/// relative path, a path with characters outside the ABNF (`?`, `|`, space, control characters) or a boolean
/// other than `true`/`false` is a ``ShmURIError`` naming the problem.
///
/// The URI only says where a region lives. Whether the path may be opened (containment under a configured root,
/// no symlinks, a regular file) is decided by ``RegionRoot`` when the file is opened.
public struct ShmRegionURI: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The only scheme defined by v1.1.
    public static let scheme = "shm:file"

    /// Absolute path of the backing file.
    public let path: String
    /// True when the region must be backed by hugetlbfs (§15.22: no silent downgrade).
    public let requireHugepages: Bool

    /// A URI for `path`; the path is validated as if it had been parsed.
    public init(path: String, requireHugepages: Bool = false) throws(ShmURIError) {
        try Self.validatePath(path)
        self.path = path
        self.requireHugepages = requireHugepages
    }

    /// Parses `text`, e.g. `shm:file?path=/dev/shm/tp/1000/1/header.ring|require_hugepages=false`.
    public init(parsing text: String) throws(ShmURIError) {
        let prefix = Self.scheme + "?"
        guard text.hasPrefix(prefix) else {
            let scheme = text.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? text
            throw .unsupportedScheme(scheme)
        }
        let query = text.dropFirst(prefix.count)
        var path: String?
        var requireHugepages: Bool?
        for entry in query.split(separator: "|", omittingEmptySubsequences: false) {
            guard let equals = entry.firstIndex(of: "=") else { throw .malformedParameter(String(entry)) }
            let key = String(entry[..<equals])
            let value = String(entry[entry.index(after: equals)...])
            switch key {
            case "path":
                guard path == nil else { throw .duplicateParameter(key) }
                path = value
            case "require_hugepages":
                guard requireHugepages == nil else { throw .duplicateParameter(key) }
                switch value {
                case "true": requireHugepages = true
                case "false": requireHugepages = false
                default: throw .invalidBoolean(parameter: key, value: value)
                }
            default:
                throw .unknownParameter(key)
            }
        }
        guard let path else { throw .missingPath }
        try Self.validatePath(path)
        self.path = path
        self.requireHugepages = requireHugepages ?? false
    }

    /// The canonical text form; `require_hugepages` is written only when true.
    public var description: String {
        requireHugepages ? "\(Self.scheme)?path=\(path)|require_hugepages=true" : "\(Self.scheme)?path=\(path)"
    }

    static func validatePath(_ path: String) throws(ShmURIError) {
        guard !path.isEmpty else { throw .emptyPath }
        guard path.utf8.first == UInt8(ascii: "/") else { throw .relativePath(path) }
        // abs-path = 1*( VCHAR except "?" and "|" and SP ): printable ASCII 0x21...0x7E. Non-ASCII (UTF-8) names are
        // accepted too, since POSIX paths are bytes; control characters and NUL never are.
        for byte in path.utf8 {
            let forbidden = byte <= 0x20 || byte == 0x7F || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "|")
            if forbidden { throw .invalidPathCharacter(path: path, byte: byte) }
        }
    }
}
