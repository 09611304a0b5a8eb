/// A configuration problem, always naming the dotted key (e.g. `producer.header_nslots`) and,
/// where there is one, the offending value and where it came from.
public enum ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where a value came from.
    public enum Source: Sendable, Hashable, CustomStringConvertible {
        /// The TOML configuration file (or text) passed to the loader.
        case file
        /// A `TP_*` environment override (e.g. `TP_PRODUCER_HEADER_NSLOTS`), which takes precedence over the file;
        /// named so a user knows the value did not come from the file they are reading.
        case environment(variable: String)

        /// `TOML` or `environment <VARIABLE>`, appended in parentheses to error messages.
        public var description: String {
            switch self {
            case .file: "TOML"
            case .environment(let variable): "environment \(variable)"
            }
        }
    }

    /// The TOML text does not parse.
    case syntax(message: String, line: Int, column: Int)
    /// The configuration file cannot be read.
    case unreadableFile(path: String, reason: String)
    /// A key (or section) that does not exist.
    case unknownKey(key: String, source: Source)
    /// A value of the wrong TOML type (or an environment value that does not parse as the type).
    case wrongType(key: String, expected: String, value: String, source: Source)
    /// A value of the right type that breaks a rule.
    case invalidValue(key: String, value: String, reason: String, source: Source)

    /// Dotted key the error is about (`nil` for syntax and file errors).
    public var key: String? {
        switch self {
        case .syntax, .unreadableFile: nil
        case .unknownKey(let key, _), .wrongType(let key, _, _, _), .invalidValue(let key, _, _, _): key
        }
    }

    /// One line naming the key, the offending value and its source, suitable for a command-line error.
    public var description: String {
        switch self {
        case .syntax(let message, let line, let column):
            "configuration syntax error at line \(line), column \(column): \(message)"
        case .unreadableFile(let path, let reason):
            "cannot read configuration file \(path): \(reason)"
        case .unknownKey(let key, let source):
            "unknown configuration key \(key) (\(source))"
        case .wrongType(let key, let expected, let value, let source):
            "\(key) = \(value): expected \(expected) (\(source))"
        case .invalidValue(let key, let value, let reason, let source):
            "\(key) = \(value): \(reason) (\(source))"
        }
    }
}
