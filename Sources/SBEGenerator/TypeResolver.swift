import SBE

/// Resolves the `<types>` section into `SBEType`s: references between types (in any declaration order),
/// composite member offsets, default null values, and the checks that make a schema invalid.
struct TypeResolver {
    private var declarations: [String: XMLElementNode] = [:]
    private(set) var declarationOrder: [String] = []
    private var resolved: [String: SBEType] = [:]
    private var inProgress: Set<String> = []
    let schemaVersion: Int

    init(typesSections: [XMLElementNode], schemaVersion: Int) throws(SchemaError) {
        self.schemaVersion = schemaVersion
        for section in typesSections {
            for element in section.children {
                try register(element)
            }
        }
    }

    private mutating func register(_ element: XMLElementNode) throws(SchemaError) {
        guard ["type", "composite", "enum", "set"].contains(element.name) else {
            throw SchemaError("unexpected element <\(element.name)> in <types>", line: element.line)
        }
        guard let name = element.attribute("name"), !name.isEmpty else {
            throw SchemaError("<\(element.name)> without a name", line: element.line)
        }
        if declarations[name] != nil {
            throw SchemaError("duplicate type name '\(name)'", line: element.line)
        }
        if SBEPrimitiveType(rawValue: name) != nil {
            throw SchemaError("type name '\(name)' shadows a primitive type", line: element.line)
        }
        declarations[name] = element
        declarationOrder.append(name)
    }

    /// All named types in declaration order, resolved.
    mutating func allTypes() throws(SchemaError) -> [SBEType] {
        var result: [SBEType] = []
        for name in declarationOrder {
            result.append(try resolve(name: name, line: nil))
        }
        return result
    }

    /// Resolves a type reference by name; a primitive type name stands for a plain required scalar.
    mutating func resolve(name: String, line: Int?) throws(SchemaError) -> SBEType {
        if let primitive = SBEPrimitiveType(rawValue: name) {
            return .encoded(SBEEncodedType(name: name, primitiveType: primitive))
        }
        if let done = resolved[name] { return done }
        guard let element = declarations[name] else {
            throw SchemaError("unknown type '\(name)'", line: line)
        }
        guard !inProgress.contains(name) else {
            throw SchemaError("type '\(name)' refers to itself", line: element.line)
        }
        inProgress.insert(name)
        defer { inProgress.remove(name) }
        let type = try build(element)
        resolved[name] = type
        return type
    }

    private func sinceVersion(_ element: XMLElementNode) throws(SchemaError) -> Int {
        guard let text = element.attribute("sinceVersion") else { return 0 }
        guard let v = Int(text), v >= 0 else {
            throw SchemaError("invalid sinceVersion '\(text)'", line: element.line)
        }
        guard v <= schemaVersion else {
            throw SchemaError("sinceVersion \(v) is newer than the schema version \(schemaVersion)", line: element.line)
        }
        return v
    }

    private mutating func build(_ element: XMLElementNode) throws(SchemaError) -> SBEType {
        switch element.name {
        case "type": return .encoded(try encodedType(element))
        case "enum": return .enumeration(try enumType(element))
        case "set": return .set(try setType(element))
        case "composite": return .composite(try compositeType(element))
        default: throw SchemaError("unexpected element <\(element.name)>", line: element.line)
        }
    }

    func encodedType(_ element: XMLElementNode) throws(SchemaError) -> SBEEncodedType {
        let name = element.attribute("name") ?? ""
        guard let primitiveName = element.attribute("primitiveType") else {
            throw SchemaError("type '\(name)' has no primitiveType", line: element.line)
        }
        guard let primitive = SBEPrimitiveType(rawValue: primitiveName) else {
            throw SchemaError("type '\(name)' has unknown primitiveType '\(primitiveName)'", line: element.line)
        }
        let presenceText = element.attribute("presence") ?? "required"
        guard let presence = SBEPresence(rawValue: presenceText) else {
            throw SchemaError("type '\(name)' has invalid presence '\(presenceText)'", line: element.line)
        }
        var length = 1
        if let lengthText = element.attribute("length") {
            guard let parsed = Int(lengthText), parsed >= 0 else {
                throw SchemaError("type '\(name)' has invalid length '\(lengthText)'", line: element.line)
            }
            length = parsed
        }
        let context = "type '\(name)'"
        var constantValue: String?
        if presence == .constant {
            let text = element.text
            guard !text.isEmpty else {
                throw SchemaError("constant type '\(name)' has no value", line: element.line)
            }
            if primitive == .char {
                constantValue = text
                length = text.utf8.count
            } else {
                constantValue = try PrimitiveLiteral.normalise(text, as: primitive, context: context, line: element.line)
            }
        }
        var nullValue: String?
        if let given = element.attribute("nullValue") {
            nullValue = try PrimitiveLiteral.normalise(given, as: primitive, context: context, line: element.line)
        } else if presence == .optional {
            nullValue = primitive.defaultNullValue
        }
        let minValue = try element.attribute("minValue").map { (t: String) throws(SchemaError) -> String in
            try PrimitiveLiteral.normalise(t, as: primitive, context: context, line: element.line)
        }
        let maxValue = try element.attribute("maxValue").map { (t: String) throws(SchemaError) -> String in
            try PrimitiveLiteral.normalise(t, as: primitive, context: context, line: element.line)
        }
        return SBEEncodedType(
            name: name, primitiveType: primitive, length: length, presence: presence, nullValue: nullValue,
            minValue: minValue, maxValue: maxValue, constantValue: constantValue,
            characterEncoding: element.attribute("characterEncoding"),
            sinceVersion: try sinceVersion(element), description: element.attribute("description"))
    }

    /// An enum or set encoding type: a primitive name or a simple `<type>` name.
    private mutating func encodingPrimitive(_ element: XMLElementNode, allowed: Set<SBEPrimitiveType>) throws(SchemaError) -> SBEPrimitiveType {
        let name = element.attribute("name") ?? ""
        guard let encodingName = element.attribute("encodingType") else {
            throw SchemaError("\(element.name) '\(name)' has no encodingType", line: element.line)
        }
        let primitive: SBEPrimitiveType
        if let direct = SBEPrimitiveType(rawValue: encodingName) {
            primitive = direct
        } else if case let .encoded(type) = try resolve(name: encodingName, line: element.line), type.length == 1 {
            primitive = type.primitiveType
        } else {
            throw SchemaError("\(element.name) '\(name)' has invalid encodingType '\(encodingName)'", line: element.line)
        }
        guard allowed.contains(primitive) else {
            throw SchemaError("\(element.name) '\(name)' cannot be encoded as \(primitive.rawValue)", line: element.line)
        }
        return primitive
    }

    private mutating func enumType(_ element: XMLElementNode) throws(SchemaError) -> SBEEnumType {
        let name = element.attribute("name") ?? ""
        let encoding = try encodingPrimitive(
            element, allowed: [.char, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64])
        var values: [SBEEnumValue] = []
        for child in element.children {
            guard child.name == "validValue" else {
                throw SchemaError("unexpected <\(child.name)> in enum '\(name)'", line: child.line)
            }
            guard let valueName = child.attribute("name"), !valueName.isEmpty else {
                throw SchemaError("validValue without a name in enum '\(name)'", line: child.line)
            }
            let text = try PrimitiveLiteral.normalise(
                child.text, as: encoding, context: "enum '\(name)' value '\(valueName)'", line: child.line)
            guard let number = PrimitiveLiteral.int64(text) else {
                throw SchemaError("enum '\(name)' value '\(valueName)' is out of range", line: child.line)
            }
            if values.contains(where: { $0.name == valueName }) {
                throw SchemaError("duplicate value name '\(valueName)' in enum '\(name)'", line: child.line)
            }
            if values.contains(where: { $0.value == number }) {
                throw SchemaError("duplicate value \(text) in enum '\(name)'", line: child.line)
            }
            values.append(SBEEnumValue(
                name: valueName, value: number, sinceVersion: try sinceVersion(child),
                description: child.attribute("description")))
        }
        guard !values.isEmpty else { throw SchemaError("enum '\(name)' has no values", line: element.line) }
        let nullValue = try element.attribute("nullValue").map { (t: String) throws(SchemaError) -> String in
            try PrimitiveLiteral.normalise(t, as: encoding, context: "enum '\(name)'", line: element.line)
        } ?? encoding.defaultNullValue
        return SBEEnumType(
            name: name, encodingType: encoding, values: values, nullValue: nullValue,
            sinceVersion: try sinceVersion(element), description: element.attribute("description"))
    }

    private mutating func setType(_ element: XMLElementNode) throws(SchemaError) -> SBESetType {
        let name = element.attribute("name") ?? ""
        let encoding = try encodingPrimitive(element, allowed: [.uint8, .uint16, .uint32, .uint64])
        var choices: [SBESetChoice] = []
        for child in element.children {
            guard child.name == "choice" else {
                throw SchemaError("unexpected <\(child.name)> in set '\(name)'", line: child.line)
            }
            guard let choiceName = child.attribute("name"), !choiceName.isEmpty else {
                throw SchemaError("choice without a name in set '\(name)'", line: child.line)
            }
            guard let bit = Int(child.trimmedText), bit >= 0, bit < encoding.size * 8 else {
                throw SchemaError("set '\(name)' choice '\(choiceName)' has invalid bit '\(child.trimmedText)'", line: child.line)
            }
            if choices.contains(where: { $0.name == choiceName }) {
                throw SchemaError("duplicate choice '\(choiceName)' in set '\(name)'", line: child.line)
            }
            if choices.contains(where: { $0.bit == bit }) {
                throw SchemaError("duplicate bit \(bit) in set '\(name)'", line: child.line)
            }
            choices.append(SBESetChoice(
                name: choiceName, bit: bit, sinceVersion: try sinceVersion(child),
                description: child.attribute("description")))
        }
        return SBESetType(
            name: name, encodingType: encoding, choices: choices, sinceVersion: try sinceVersion(element),
            description: element.attribute("description"))
    }

    private mutating func compositeType(_ element: XMLElementNode) throws(SchemaError) -> SBECompositeType {
        let name = element.attribute("name") ?? ""
        var members: [SBECompositeMember] = []
        var position = 0
        for child in element.children {
            guard let memberName = child.attribute("name"), !memberName.isEmpty else {
                throw SchemaError("member without a name in composite '\(name)'", line: child.line)
            }
            if members.contains(where: { $0.name == memberName }) {
                throw SchemaError("duplicate member '\(memberName)' in composite '\(name)'", line: child.line)
            }
            let type: SBEType
            switch child.name {
            case "ref":
                guard let target = child.attribute("type") else {
                    throw SchemaError("ref '\(memberName)' in composite '\(name)' has no type", line: child.line)
                }
                type = try resolve(name: target, line: child.line)
            case "type", "enum", "set", "composite":
                type = try build(child)
            default:
                throw SchemaError("unexpected <\(child.name)> in composite '\(name)'", line: child.line)
            }
            if let offsetText = child.attribute("offset") {
                guard let offset = Int(offsetText), offset >= position else {
                    throw SchemaError("member '\(memberName)' of composite '\(name)' has invalid offset '\(offsetText)'", line: child.line)
                }
                position = offset
            }
            members.append(SBECompositeMember(name: memberName, offset: position, type: type))
            position += type.encodedLength
        }
        return SBECompositeType(
            name: name, members: members, size: position, sinceVersion: try sinceVersion(element),
            description: element.attribute("description"))
    }
}
