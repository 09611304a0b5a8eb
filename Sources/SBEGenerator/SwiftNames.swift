import SBE

/// Maps schema names to Swift identifiers: UpperCamel types, lowerCamel members, escaped keywords,
/// renamed collisions with the standard library.
enum SwiftNames {
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
        "inout", "internal", "let", "open", "operator", "private", "protocol", "public", "rethrows", "static",
        "struct", "subscript", "typealias", "var", "break", "case", "continue", "default", "defer", "do",
        "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "switch", "where", "while",
        "as", "Any", "catch", "false", "is", "nil", "super", "self", "Self", "throw", "throws", "true", "try",
        "await", "async", "consume", "borrowing", "consuming", "Type", "Protocol", "some", "any",
    ]

    /// Type names that would shadow standard library or Foundation types for every importer.
    static let reservedTypeNames: Set<String> = [
        "Bool", "String", "Character", "Int", "Int8", "Int16", "Int32", "Int64", "UInt", "UInt8", "UInt16",
        "UInt32", "UInt64", "Float", "Double", "Array", "Dictionary", "Set", "Optional", "Result", "Error",
        "Never", "Any", "AnyObject", "Type", "Range", "Sequence", "Collection", "Data", "Date", "URL", "UUID",
        "Decimal", "Duration", "Void", "Self", "Protocol", "Equatable", "Hashable", "Codable", "Sendable",
    ]

    /// Words of an identifier: split at `_`, `-`, `.` and lower-to-upper case changes.
    static func words(_ name: String) -> [String] {
        var result: [String] = []
        var current = ""
        var previous: Character?
        for ch in name {
            if ch == "_" || ch == "-" || ch == "." || ch == " " {
                if !current.isEmpty { result.append(current) }
                current = ""
                previous = nil
                continue
            }
            if let p = previous, ch.isUppercase, p.isLowercase || p.isNumber {
                result.append(current)
                current = ""
            }
            current.append(ch)
            previous = ch
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    private static func capitalised(_ word: String) -> String {
        guard let first = word.first else { return word }
        let allUpper = word == word.uppercased()
        let rest = word.dropFirst()
        return String(first).uppercased() + (allUpper ? rest.lowercased() : String(rest))
    }

    /// `fuelFigures` -> `FuelFigures`, `epoch_t` -> `EpochT`, `messageHeader` -> `MessageHeader`.
    static func upperCamel(_ name: String) -> String {
        let parts = words(name)
        // A single mixed-case word keeps its inner capitals (`TensorSlotHeader256`).
        return parts.map { w in
            w == w.uppercased() ? capitalised(w) : w.prefix(1).uppercased() + w.dropFirst()
        }.joined()
    }

    /// `INVALID_PARAMS` -> `invalidParams`, `streamId` -> `streamId`, `SunRoof` -> `sunRoof`.
    static func lowerCamel(_ name: String) -> String {
        let upper = upperCamel(name)
        guard let first = upper.first else { return upper }
        // Lower the leading run of capitals except the one starting the next word (`URLPath` -> `urlPath`).
        let chars = Array(upper)
        var i = 0
        while i < chars.count, chars[i].isUppercase { i += 1 }
        if i <= 1 || i == chars.count {
            return String(first).lowercased() + (i == chars.count ? String(chars.dropFirst()).lowercased() : String(chars.dropFirst()))
        }
        return String(chars[0..<(i - 1)]).lowercased() + String(chars[(i - 1)...])
    }

    /// A member identifier, escaped when it is a keyword.
    static func member(_ name: String) -> String {
        let id = lowerCamel(name)
        let safe = id.first?.isNumber == true ? "_" + id : id
        return keywords.contains(safe) ? "`\(safe)`" : safe
    }

    /// A member name without escaping, for building derived names (`makeString`).
    static func memberStem(_ name: String) -> String {
        let id = lowerCamel(name)
        return id.first?.isNumber == true ? "_" + id : id
    }

    /// A type name; `kindSuffix` is appended when the plain name would shadow a standard type.
    static func type(_ name: String, kindSuffix: String) -> String {
        let id = upperCamel(name)
        return reservedTypeNames.contains(id) || keywords.contains(id) ? id + kindSuffix : id
    }
}

extension SBEPrimitiveType {
    /// Swift type holding one element (`char` is a byte).
    var swiftType: String {
        switch self {
        case .char, .uint8: return "UInt8"
        case .int8: return "Int8"
        case .int16: return "Int16"
        case .int32: return "Int32"
        case .int64: return "Int64"
        case .uint16: return "UInt16"
        case .uint32: return "UInt32"
        case .uint64: return "UInt64"
        case .float: return "Float"
        case .double: return "Double"
        }
    }

    /// Swift literal for a normalised schema value of this type.
    func literal(_ text: String) -> String {
        if isFloatingPoint, text == "NaN" { return "\(swiftType).nan" }
        return text
    }

    /// Swift expression testing whether `value` is the null value `nullText`.
    func isNull(_ value: String, _ nullText: String) -> String {
        if isFloatingPoint, nullText == "NaN" { return "\(value).isNaN" }
        return "\(value) == \(literal(nullText))"
    }
}
