import SBE

/// Lays out messages and groups: field offsets, block lengths, group dimensions and var-data encodings,
/// and enforces the SBE ordering rule (fields, then groups, then data).
struct MessageLayout {
    var types: TypeResolver
    let schemaVersion: Int

    mutating func message(_ element: XMLElementNode) throws(SchemaError) -> SBEMessage {
        guard let name = element.attribute("name"), !name.isEmpty else {
            throw SchemaError("message without a name", line: element.line)
        }
        guard let idText = element.attribute("id"), let id = Int(idText), id >= 0, id <= Int(UInt16.max) else {
            throw SchemaError("message '\(name)' has no valid id", line: element.line)
        }
        let block = try self.block(element, owner: "message '\(name)'")
        return SBEMessage(
            name: name, id: id, block: block, sinceVersion: try sinceVersion(element),
            description: element.attribute("description"))
    }

    private func sinceVersion(_ element: XMLElementNode) throws(SchemaError) -> Int {
        guard let text = element.attribute("sinceVersion") else { return 0 }
        guard let v = Int(text), v >= 0, v <= schemaVersion else {
            throw SchemaError("invalid sinceVersion '\(text)' (schema version \(schemaVersion))", line: element.line)
        }
        return v
    }

    private mutating func block(_ element: XMLElementNode, owner: String) throws(SchemaError) -> SBEBlock {
        var fields: [SBEField] = []
        var groups: [SBEGroup] = []
        var data: [SBEVarDataField] = []
        var names: Set<String> = []
        var ids: Set<Int> = []
        var position = 0
        var stage = 0
        for child in element.children {
            guard let name = child.attribute("name"), !name.isEmpty else {
                throw SchemaError("<\(child.name)> without a name in \(owner)", line: child.line)
            }
            guard names.insert(name).inserted else {
                throw SchemaError("duplicate name '\(name)' in \(owner)", line: child.line)
            }
            guard let idText = child.attribute("id"), let id = Int(idText), id >= 0 else {
                throw SchemaError("'\(name)' in \(owner) has no valid id", line: child.line)
            }
            guard ids.insert(id).inserted else {
                throw SchemaError("duplicate id \(id) in \(owner)", line: child.line)
            }
            switch child.name {
            case "field":
                guard stage == 0 else {
                    throw SchemaError("field '\(name)' in \(owner) follows a group or data", line: child.line)
                }
                let field = try self.field(child, name: name, id: id, position: &position, owner: owner)
                fields.append(field)
            case "group":
                guard stage <= 1 else {
                    throw SchemaError("group '\(name)' in \(owner) follows data", line: child.line)
                }
                stage = 1
                groups.append(try group(child, name: name, id: id, owner: owner))
            case "data":
                stage = 2
                data.append(try varData(child, name: name, id: id, owner: owner))
            default:
                throw SchemaError("unexpected <\(child.name)> in \(owner)", line: child.line)
            }
        }
        var blockLength = position
        if let explicit = element.attribute("blockLength") {
            guard let value = Int(explicit), value >= position else {
                throw SchemaError("\(owner) blockLength '\(explicit)' is smaller than its fields (\(position))", line: element.line)
            }
            blockLength = value
        }
        let minimum = fields.filter { $0.sinceVersion == 0 && $0.presence != .constant }
            .map { $0.offset + $0.encodedLength }.max() ?? 0
        return SBEBlock(blockLength: blockLength, minimumBlockLength: minimum, fields: fields, groups: groups, data: data)
    }

    private mutating func field(
        _ element: XMLElementNode, name: String, id: Int, position: inout Int, owner: String
    ) throws(SchemaError) -> SBEField {
        guard let typeName = element.attribute("type") else {
            throw SchemaError("field '\(name)' in \(owner) has no type", line: element.line)
        }
        let type = try types.resolve(name: typeName, line: element.line)
        var presence: SBEPresence = .required
        if case let .encoded(encoded) = type { presence = encoded.presence }
        if let text = element.attribute("presence") {
            guard let given = SBEPresence(rawValue: text) else {
                throw SchemaError("field '\(name)' has invalid presence '\(text)'", line: element.line)
            }
            presence = given
        }
        var nullValue: String?
        var constantValue: String?
        let context = "field '\(name)' in \(owner)"
        switch (presence, type) {
        case let (.optional, .encoded(encoded)):
            if let given = element.attribute("nullValue") {
                nullValue = try PrimitiveLiteral.normalise(given, as: encoded.primitiveType, context: context, line: element.line)
            } else {
                nullValue = encoded.nullValue ?? encoded.primitiveType.defaultNullValue
            }
        case let (.optional, .enumeration(enumType)):
            nullValue = enumType.nullValue
        case (.optional, _):
            throw SchemaError("\(context): only simple types and enums can be optional", line: element.line)
        case let (.constant, .encoded(encoded)):
            if let ref = element.attribute("valueRef") {
                throw SchemaError("\(context): valueRef '\(ref)' needs an enum type", line: element.line)
            }
            guard let value = encoded.constantValue else {
                throw SchemaError("\(context): constant field needs a constant type", line: element.line)
            }
            constantValue = value
        case let (.constant, .enumeration(enumType)):
            guard let ref = element.attribute("valueRef") else {
                throw SchemaError("\(context): constant enum field needs a valueRef", line: element.line)
            }
            let parts = ref.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, String(parts[0]) == enumType.name,
                  enumType.values.contains(where: { $0.name == String(parts[1]) }) else {
                throw SchemaError("\(context): valueRef '\(ref)' is not a value of enum '\(enumType.name)'", line: element.line)
            }
            constantValue = String(parts[1])
        case (.constant, _):
            throw SchemaError("\(context): only simple types and enums can be constant", line: element.line)
        case (.required, _):
            break
        }
        let since = max(try sinceVersion(element), type.sinceVersion)
        var offset = position
        if let offsetText = element.attribute("offset") {
            guard let explicit = Int(offsetText), explicit >= position else {
                throw SchemaError("\(context): invalid offset '\(offsetText)' (next free offset \(position))", line: element.line)
            }
            offset = explicit
        }
        let field = SBEField(
            name: name, id: id, type: type, offset: offset, presence: presence, nullValue: nullValue,
            constantValue: constantValue, sinceVersion: since, description: element.attribute("description"))
        position = offset + field.encodedLength
        return field
    }

    private mutating func group(_ element: XMLElementNode, name: String, id: Int, owner: String) throws(SchemaError) -> SBEGroup {
        let dimensionName = element.attribute("dimensionType") ?? "groupSizeEncoding"
        guard case let .composite(composite) = try types.resolve(name: dimensionName, line: element.line) else {
            throw SchemaError("group '\(name)': dimensionType '\(dimensionName)' is not a composite", line: element.line)
        }
        func integerMember(_ member: String) throws(SchemaError) -> (SBEPrimitiveType, Int, SBEEncodedType) {
            guard let m = composite.member(member), case let .encoded(t) = m.type, t.length == 1,
                  [.uint8, .uint16, .uint32].contains(t.primitiveType) else {
                throw SchemaError("dimensionType '\(dimensionName)' needs an unsigned '\(member)' member", line: element.line)
            }
            return (t.primitiveType, m.offset, t)
        }
        let (blockType, blockOffset, _) = try integerMember("blockLength")
        let (countType, countOffset, countEncoded) = try integerMember("numInGroup")
        var maxCount: Int = countType == .uint8 ? 255 : countType == .uint16 ? 65535 : Int(UInt32.max)
        if let maxText = countEncoded.maxValue, let value = Int(maxText) { maxCount = min(maxCount, value) }
        let dimension = SBEGroupDimension(
            type: composite, blockLengthType: blockType, blockLengthOffset: blockOffset,
            numInGroupType: countType, numInGroupOffset: countOffset, maxCount: maxCount)
        let block = try self.block(element, owner: "group '\(name)' of \(owner)")
        return SBEGroup(
            name: name, id: id, dimension: dimension, block: block, sinceVersion: try sinceVersion(element),
            description: element.attribute("description"))
    }

    private mutating func varData(_ element: XMLElementNode, name: String, id: Int, owner: String) throws(SchemaError) -> SBEVarDataField {
        guard let typeName = element.attribute("type") else {
            throw SchemaError("data '\(name)' in \(owner) has no type", line: element.line)
        }
        guard case let .composite(composite) = try types.resolve(name: typeName, line: element.line) else {
            throw SchemaError("data '\(name)': type '\(typeName)' is not a composite", line: element.line)
        }
        guard let lengthMember = composite.member("length"), case let .encoded(lengthType) = lengthMember.type,
              lengthMember.offset == 0, lengthType.length == 1 else {
            throw SchemaError("var-data type '\(typeName)' needs a 'length' member at offset 0", line: element.line)
        }
        let prefix: SBELengthType
        switch lengthType.primitiveType {
        case .uint8: prefix = .uint8
        case .uint16: prefix = .uint16
        case .uint32: prefix = .uint32
        default:
            throw SchemaError("var-data type '\(typeName)': length must be uint8, uint16 or uint32", line: element.line)
        }
        guard let dataMember = composite.member("varData"), case let .encoded(dataType) = dataMember.type,
              dataMember.offset == lengthType.primitiveType.size,
              dataType.primitiveType == .uint8 || dataType.primitiveType == .char else {
            throw SchemaError("var-data type '\(typeName)' needs a uint8 or char 'varData' member after 'length'", line: element.line)
        }
        var maxLength = prefix.maximum
        if let maxText = lengthType.maxValue, let value = Int(maxText) { maxLength = min(maxLength, value) }
        let encoding = dataType.characterEncoding ?? (dataType.primitiveType == .char ? "US-ASCII" : nil)
        return SBEVarDataField(
            name: name, id: id, type: composite, lengthType: prefix, maxLength: maxLength,
            characterEncoding: encoding, sinceVersion: try sinceVersion(element),
            description: element.attribute("description"))
    }
}
