/// Why `tp wire` could not decode or encode an input: each case says which problem it was.
enum WireError: Error, CustomStringConvertible {
    case shortBuffer(context: String, required: Int, available: Int)
    case wrongSchemaId(actual: Int, expected: Int)
    case unknownTemplateId(Int)
    case unknownTemplateName(String)
    case unknownType(String)
    case invalidBlockLength(context: String, actual: Int, minimum: Int)
    case invalidLength(context: String, length: Int, maximum: Int)
    case invalidInput(String)
    case invalidValue(field: String, reason: String)

    var description: String {
        switch self {
        case let .shortBuffer(context, required, available):
            return "short buffer: \(context) needs \(required) bytes, only \(available) available"
        case let .wrongSchemaId(actual, expected):
            return "wrong schema id \(actual) (expected \(expected))"
        case let .unknownTemplateId(id):
            return "unknown template id \(id)"
        case let .unknownTemplateName(name):
            return "unknown template '\(name)'"
        case let .unknownType(name):
            return "unknown type '\(name)' (expected a message name of the schema)"
        case let .invalidBlockLength(context, actual, minimum):
            return "invalid block length \(actual) for \(context) (minimum \(minimum))"
        case let .invalidLength(context, length, maximum):
            return "invalid length \(length) for \(context) (maximum \(maximum))"
        case let .invalidInput(reason):
            return "invalid input: \(reason)"
        case let .invalidValue(field, reason):
            return "invalid value for '\(field)': \(reason)"
        }
    }
}
