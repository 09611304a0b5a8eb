/// Why a control-protocol message could not be decoded (never a crash: every field is bounds-checked).
public enum ControlMessageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The message ended before `field`: `length` bytes available, `required` needed.
    case truncated(message: String, field: String, length: Int, required: Int)
    /// A declared string or key length is negative or larger than the message allows.
    case invalidLength(message: String, field: String, value: Int)

    /// The description field.
    public var description: String {
        switch self {
        case let .truncated(message, field, length, required):
            "\(message): truncated at \(field) (length \(length), need \(required))"
        case let .invalidLength(message, field, value):
            "\(message): invalid \(field) length \(value)"
        }
    }
}
