import SBE

/// Why a decoded control-plane message could not be turned into a role value. Such messages are
/// dropped and counted by the caller, never trusted.
public enum WireDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The SBE flyweight rejected the buffer (bounds, schema, template, block length).
    case sbe(SBEError)
    /// An enum field holds a value this schema version does not define.
    case unrecognizedEnum(field: String, raw: UInt8)
    /// A variable-length field is longer than the role accepts.
    case tooLong(field: String, length: Int, maximum: Int)
    /// A repeating group has more entries than the role accepts.
    case tooManyEntries(field: String, count: Int, maximum: Int)

    /// Names the field and the limit it broke, for the rate-limited rejection log.
    public var description: String {
        switch self {
        case .sbe(let error): "SBE: \(error)"
        case .unrecognizedEnum(let field, let raw): "\(field): unrecognized enum value \(raw)"
        case .tooLong(let field, let length, let maximum): "\(field): \(length) bytes exceeds \(maximum)"
        case .tooManyEntries(let field, let count, let maximum): "\(field): \(count) entries exceeds \(maximum)"
        }
    }

    /// Longest URI accepted from the wire.
    public static let maxUriLength = 4096
    /// Most payload pools accepted in one announce.
    public static let maxPools = 64
}
