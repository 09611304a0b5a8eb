/// Why a schema was rejected: what is wrong and where (element path and XML line when known).
public struct SchemaError: Error, Equatable, CustomStringConvertible {
    /// What is wrong with the schema, naming the element or attribute.
    public var message: String
    /// The XML line of the offending element, when the parser knows it.
    public var line: Int?

    /// An error about `message`, at `line` of the schema when known.
    public init(_ message: String, line: Int? = nil) {
        self.message = message
        self.line = line
    }

    /// `schema error (line N): message`, without the line when it is unknown.
    public var description: String {
        if let line { return "schema error (line \(line)): \(message)" }
        return "schema error: \(message)"
    }
}
