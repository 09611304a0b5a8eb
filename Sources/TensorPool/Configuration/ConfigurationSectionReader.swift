import TOMLKit

/// Reads the keys of one configuration section from a TOML table and environment overrides,
/// remembering which keys exist so unknown ones can be rejected.
///
/// Environment scheme: `TP_<SECTION>_<KEY>` in upper case overrides `[section] key`, e.g.
/// `TP_PRODUCER_HEADER_NSLOTS=128` overrides `producer.header_nslots`. The environment wins over the
/// file. Variables starting with `TP_<SECTION>_` that name no key are rejected (typo protection);
/// other `TP_*` variables are not ours and are ignored.
struct ConfigurationSectionReader {
    let section: String
    let table: TOMLTable?
    let environment: [String: String]
    private(set) var knownKeys: Set<String> = []

    init(section: String, table: TOMLTable?, environment: [String: String]) {
        self.section = section
        self.table = table
        self.environment = environment
    }

    /// Environment variable prefix of the section.
    var environmentPrefix: String { "TP_\(section.uppercased())_" }

    func path(_ key: String) -> String { "\(section).\(key)" }
    func variable(_ key: String) -> String { environmentPrefix + key.uppercased() }

    enum Raw {
        case toml(any TOMLValueConvertible)
        case env(String, variable: String)
    }

    mutating func raw(_ key: String) -> Raw? {
        knownKeys.insert(key)
        let name = variable(key)
        if let value = environment[name] { return .env(value, variable: name) }
        if let value = table?[key] { return .toml(value) }
        return nil
    }

    // MARK: typed accessors

    mutating func integer<T: FixedWidthInteger>(_ key: String, default value: T) throws(ConfigurationError) -> T {
        try optionalInteger(key, as: T.self) ?? value
    }

    mutating func optionalInteger<T: FixedWidthInteger>(_ key: String, as type: T.Type) throws(ConfigurationError) -> T? {
        guard let raw = raw(key) else { return nil }
        let source = source(raw)
        let parsed: Int
        switch raw {
        case .toml(let v):
            guard let int = v.int else { throw .wrongType(key: path(key), expected: "integer", value: Self.render(v), source: source) }
            parsed = int
        case .env(let s, _):
            guard let int = Int(s.trimmedBlanks) else {
                throw .wrongType(key: path(key), expected: "integer", value: String(reflecting: s), source: source)
            }
            parsed = int
        }
        guard let result = T(exactly: parsed) else {
            throw .invalidValue(key: path(key), value: String(parsed),
                                reason: "out of range \(T.min)...\(T.max)", source: source)
        }
        return result
    }

    mutating func bool(_ key: String, default value: Bool) throws(ConfigurationError) -> Bool {
        guard let raw = raw(key) else { return value }
        switch raw {
        case .toml(let v):
            guard let b = v.bool else { throw .wrongType(key: path(key), expected: "boolean", value: Self.render(v), source: .file) }
            return b
        case .env(let s, let variable):
            switch s.trimmedBlanks.lowercased() {
            case "true", "1", "yes", "on": return true
            case "false", "0", "no", "off": return false
            default: throw .wrongType(key: path(key), expected: "boolean", value: String(reflecting: s), source: .environment(variable: variable))
            }
        }
    }

    mutating func optionalString(_ key: String) throws(ConfigurationError) -> String? {
        guard let raw = raw(key) else { return nil }
        switch raw {
        case .toml(let v):
            guard let s = v.string else { throw .wrongType(key: path(key), expected: "string", value: Self.render(v), source: .file) }
            return s
        case .env(let s, _):
            return s
        }
    }

    mutating func string(_ key: String, default value: String) throws(ConfigurationError) -> String {
        try optionalString(key) ?? value
    }

    mutating func double(_ key: String, default value: Double) throws(ConfigurationError) -> Double {
        guard let raw = raw(key) else { return value }
        switch raw {
        case .toml(let v):
            if let d = v.double { return d }
            if let i = v.int { return Double(i) }
            throw .wrongType(key: path(key), expected: "number", value: Self.render(v), source: .file)
        case .env(let s, let variable):
            guard let d = Double(s.trimmedBlanks), d.isFinite else {
                throw .wrongType(key: path(key), expected: "number", value: String(reflecting: s), source: .environment(variable: variable))
            }
            return d
        }
    }

    /// Source of the value currently visible for `key` (for validation errors raised later).
    func sourceOf(_ key: String) -> ConfigurationError.Source {
        let name = variable(key)
        return environment[name] != nil ? .environment(variable: name) : .file
    }

    func source(_ raw: Raw) -> ConfigurationError.Source {
        switch raw {
        case .toml: .file
        case .env(_, let variable): .environment(variable: variable)
        }
    }

    /// Rejects keys of the table and `TP_<SECTION>_*` variables that were never asked for.
    func rejectUnknownKeys() throws(ConfigurationError) {
        if let table {
            for key in table.keys.sorted() where !knownKeys.contains(key) {
                throw .unknownKey(key: path(key), source: .file)
            }
        }
        let prefix = environmentPrefix
        for name in environment.keys.sorted() where name.hasPrefix(prefix) {
            let key = String(name.dropFirst(prefix.count)).lowercased()
            // A known key spelled in another case would otherwise be silently ignored.
            if !knownKeys.contains(key) || name != variable(key) {
                throw .unknownKey(key: path(key), source: .environment(variable: name))
            }
        }
    }

    static func render(_ value: any TOMLValueConvertible) -> String {
        if let s = value.string { return String(reflecting: s) }
        return value.debugDescription
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs (no Foundation needed).
    var trimmedBlanks: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
