import Foundation

/// A JSON value printed by `aeron_peer.py`, kept `Sendable` so events can cross threads.
public enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let v = try? container.decode(Bool.self) {
            self = .bool(v)
        } else if let v = try? container.decode(Int64.self) {
            self = .int(v)
        } else if let v = try? container.decode(Double.self) {
            self = .double(v)
        } else if let v = try? container.decode(String.self) {
            self = .string(v)
        } else if let v = try? container.decode([JSONValue].self) {
            self = .array(v)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The integer, when this is an integer.
    public var int: Int64? { if case .int(let v) = self { return v } else { return nil } }
    /// The number as a double, when this is a number.
    public var double: Double? {
        switch self {
        case .int(let v): return Double(v)
        case .double(let v): return v
        default: return nil
        }
    }
    /// The string, when this is a string.
    public var string: String? { if case .string(let v) = self { return v } else { return nil } }
    /// The boolean, when this is a boolean.
    public var bool: Bool? { if case .bool(let v) = self { return v } else { return nil } }
    /// The member `key`, when this is an object.
    public subscript(key: String) -> JSONValue? { if case .object(let o) = self { return o[key] } else { return nil } }
}

/// One line of `aeron_peer.py` output: a JSON object whose `event` member names what happened.
public struct PeerEvent: Sendable, CustomStringConvertible {
    /// The `event` member, e.g. `ready`, `done`, `counter`, `error`.
    public let name: String
    /// All members.
    public let fields: [String: JSONValue]
    /// The line as printed.
    public let line: String

    /// Parses one output line.
    public init(line: String) throws {
        guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(line.utf8)),
            let name = object["event"]?.string
        else {
            throw InteropError.malformedOutput(line: line)
        }
        self.name = name
        self.fields = object
        self.line = line
    }

    /// The member `key`.
    public subscript(key: String) -> JSONValue? { fields[key] }
    /// The integer member `key`.
    public func int(_ key: String) -> Int64? { fields[key]?.int }
    /// The string member `key`.
    public func string(_ key: String) -> String? { fields[key]?.string }
    /// The boolean member `key`.
    public func bool(_ key: String) -> Bool? { fields[key]?.bool }

    public var description: String { line }
}
