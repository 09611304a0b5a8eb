/// Every way an SBE encode or decode can fail.
///
/// Generated codecs throw this concrete type (`throws(SBEError)`), so neither the success nor the
/// failure path boxes an existential error.
public enum SBEError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The buffer ends before `required` bytes (counted from the buffer start) are available.
    case bufferTooShort(required: Int, capacity: Int)
    /// A negative offset or capacity was passed to a wrap.
    case invalidOffset(offset: Int, capacity: Int)
    /// The message header carries another schema id.
    case wrongSchemaId(expected: Int, actual: Int)
    /// The message header carries another template id than the decoder expects.
    case wrongTemplateId(expected: Int, actual: Int)
    /// No message of this schema has this template id.
    case unknownTemplateId(Int)
    /// A block length (message root or group entry) is smaller than the fields of version 0 need.
    case blockLengthTooSmall(minimum: Int, actual: Int)
    /// A repeating group count is negative or larger than its dimension encoding can hold.
    case groupCountOutOfRange(count: Int, maximum: Int)
    /// A variable-length field is longer than its length encoding (or `maxValue`) allows.
    case varDataTooLong(length: Int, maximum: Int)
    /// A value does not fit the field (a string longer than a fixed char array, a negative count...).
    case valueOutOfRange
    /// A string holds characters outside the field's character encoding (US-ASCII).
    case invalidCharacterEncoding
    /// Groups and variable-length data were accessed out of schema order, or a group was not finished.
    case accessOutOfOrder
    /// `next()` was called more often than the group count announced.
    case groupEntryOverflow(count: Int)
    /// A group was closed before all announced entries were written.
    case groupIncomplete(written: Int, count: Int)

    /// What went wrong with the numbers involved (offsets, lengths, ids), for logs and `tp wire` output.
    public var description: String {
        switch self {
        case let .bufferTooShort(required, capacity):
            return "buffer too short: need \(required) bytes, have \(capacity)"
        case let .invalidOffset(offset, capacity):
            return "invalid offset \(offset) for capacity \(capacity)"
        case let .wrongSchemaId(expected, actual):
            return "wrong schema id \(actual), expected \(expected)"
        case let .wrongTemplateId(expected, actual):
            return "wrong template id \(actual), expected \(expected)"
        case let .unknownTemplateId(id):
            return "unknown template id \(id)"
        case let .blockLengthTooSmall(minimum, actual):
            return "block length \(actual) smaller than the minimum \(minimum)"
        case let .groupCountOutOfRange(count, maximum):
            return "group count \(count) out of range 0...\(maximum)"
        case let .varDataTooLong(length, maximum):
            return "variable-length data of \(length) bytes exceeds maximum \(maximum)"
        case .valueOutOfRange:
            return "value does not fit the field"
        case .invalidCharacterEncoding:
            return "string is not valid in the field's character encoding"
        case .accessOutOfOrder:
            return "groups and variable-length data accessed out of schema order"
        case let .groupEntryOverflow(count):
            return "more group entries than the announced count \(count)"
        case let .groupIncomplete(written, count):
            return "group closed after \(written) of \(count) entries"
        }
    }
}
