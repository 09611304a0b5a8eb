/// Why a schema was rejected: what is wrong and where (element path and XML line when known).
public struct SchemaError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public var line: Int?

    public init(_ message: String, line: Int? = nil) {
        self.message = message
        self.line = line
    }

    public var description: String {
        if let line { return "schema error (line \(line)): \(message)" }
        return "schema error: \(message)"
    }
}
