import SBE

/// Assigns one Swift type name to every enum, set and composite of a schema (named or inline) and
/// rejects two different definitions under one name.
struct SwiftTypeNames {
    private(set) var enums: [String: SBEEnumType] = [:]
    private(set) var sets: [String: SBESetType] = [:]
    private(set) var composites: [String: SBECompositeType] = [:]
    /// Schema type names in first-seen order (for deterministic output).
    private(set) var order: [String] = []
    private var swiftNames: [String: String] = [:]

    /// Prepended to every type name (lets two versions of one schema live in one module).
    let prefix: String

    init(schema: SBESchema, prefix: String = "") throws(SchemaError) {
        self.prefix = prefix
        try visit(.composite(schema.header.type))
        for type in schema.types { try visit(type) }
        for message in schema.messages { try visit(message.block) }
        var seen: [String: String] = [:]
        for name in order {
            let swift = swiftName(name)
            if let other = seen[swift] {
                throw SchemaError("types '\(other)' and '\(name)' map to the same Swift name '\(swift)'")
            }
            seen[swift] = name
        }
    }

    private mutating func visit(_ block: SBEBlock) throws(SchemaError) {
        for field in block.fields { try visit(field.type) }
        for group in block.groups {
            try visit(.composite(group.dimension.type))
            try visit(group.block)
        }
        for data in block.data { try visit(.composite(data.type)) }
    }

    private mutating func visit(_ type: SBEType) throws(SchemaError) {
        switch type {
        case .encoded:
            return
        case let .enumeration(e):
            if let existing = enums[e.name] {
                guard existing == e else { throw SchemaError("conflicting definitions of enum '\(e.name)'") }
                return
            }
            try claim(e.name)
            enums[e.name] = e
            swiftNames[e.name] = prefix.isEmpty ? SwiftNames.type(e.name, kindSuffix: "Enum") : prefix + SwiftNames.upperCamel(e.name)
        case let .set(s):
            if let existing = sets[s.name] {
                guard existing == s else { throw SchemaError("conflicting definitions of set '\(s.name)'") }
                return
            }
            try claim(s.name)
            sets[s.name] = s
            swiftNames[s.name] = prefix.isEmpty ? SwiftNames.type(s.name, kindSuffix: "Set") : prefix + SwiftNames.upperCamel(s.name)
        case let .composite(c):
            if let existing = composites[c.name] {
                guard existing == c else { throw SchemaError("conflicting definitions of composite '\(c.name)'") }
                return
            }
            try claim(c.name)
            composites[c.name] = c
            swiftNames[c.name] = prefix + SwiftNames.upperCamel(c.name)
            for member in c.members { try visit(member.type) }
        }
    }

    private mutating func claim(_ name: String) throws(SchemaError) {
        guard !order.contains(name) else { throw SchemaError("type name '\(name)' is used by two different kinds of type") }
        order.append(name)
    }

    /// The Swift name of an enum or set, or the stem of a composite's `...Encoder`/`...Decoder` names.
    func swiftName(_ schemaName: String) -> String {
        swiftNames[schemaName] ?? prefix + SwiftNames.upperCamel(schemaName)
    }
}
