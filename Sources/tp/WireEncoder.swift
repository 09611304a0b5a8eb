import Foundation
import SBE

/// Encodes the JSON written by `WireDecoder` back into SBE bytes, driven by the schema model.
struct WireEncoder {
    let schema: SBESchema
    private(set) var bytes: [UInt8] = []

    init(schema: SBESchema) {
        self.schema = schema
    }

    private mutating func put(_ value: UInt64, size: Int, at offset: Int) {
        for i in 0..<size { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
    }

    private mutating func grow(by count: Int) -> Int {
        let offset = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: count))
        return offset
    }

    private func message(for json: WireJSON, expected: SBEMessage?) throws(WireError) -> SBEMessage {
        guard case .object = json else { throw WireError.invalidInput("each line must be a JSON object") }
        if let expected {
            if let name = json["template"], name != .string(expected.name) {
                throw WireError.invalidInput("template \(name.text) does not match --type \(expected.name)")
            }
            return expected
        }
        guard let nameValue = json["template"] else { throw WireError.invalidInput("missing \"template\"") }
        guard case let .string(name) = nameValue else { throw WireError.invalidInput("\"template\" must be a string") }
        guard let message = schema.message(named: name) else { throw WireError.unknownTemplateName(name) }
        return message
    }

    /// Appends one message with its header.
    mutating func encodeMessage(_ json: WireJSON) throws(WireError) {
        let message = try message(for: json, expected: nil)
        let header = schema.header
        let headerOffset = grow(by: header.type.size)
        for (member, value) in [
            (header.blockLength, message.block.blockLength), (header.templateId, message.id),
            (header.schemaId, schema.id), (header.version, schema.version),
        ] {
            guard case let .encoded(t) = member.type else { continue }
            put(UInt64(value), size: t.primitiveType.size, at: headerOffset + member.offset)
        }
        try encodeBlock(message.block, json, path: message.name)
    }

    /// Appends one root block without a header (SHM composites).
    mutating func encodeBlockOnly(_ json: WireJSON, as message: SBEMessage) throws(WireError) {
        _ = try self.message(for: json, expected: message)
        try encodeBlock(message.block, json, path: message.name)
    }

    private mutating func encodeBlock(_ block: SBEBlock, _ json: WireJSON, path: String) throws(WireError) {
        guard case let .object(entries) = json else { throw WireError.invalidValue(field: path, reason: "expected an object") }
        let known = Set(block.fields.map(\.name) + block.groups.map(\.name) + block.data.map(\.name) + ["template"])
        if let unknown = entries.first(where: { !known.contains($0.key) }) {
            throw WireError.invalidValue(field: "\(path).\(unknown.key)", reason: "no such field in the schema")
        }
        let start = grow(by: block.blockLength)
        for field in block.fields where field.presence != .constant {
            let name = "\(path).\(field.name)"
            try encodeType(field.type, json[field.name] ?? .null, at: start + field.offset, name: name,
                           optional: field.presence == .optional, nullValue: field.nullValue)
        }
        for group in block.groups {
            let name = "\(path).\(group.name)"
            var items: [WireJSON] = []
            switch json[group.name] ?? .null {
            case .null: break
            case let .array(values): items = values
            default: throw WireError.invalidValue(field: name, reason: "expected an array")
            }
            let dimension = group.dimension
            guard items.count <= dimension.maxCount else {
                throw WireError.invalidValue(field: name, reason: "\(items.count) entries exceed \(dimension.maxCount)")
            }
            let headerOffset = grow(by: dimension.type.size)
            put(UInt64(group.block.blockLength), size: dimension.blockLengthType.size, at: headerOffset + dimension.blockLengthOffset)
            put(UInt64(items.count), size: dimension.numInGroupType.size, at: headerOffset + dimension.numInGroupOffset)
            for (i, item) in items.enumerated() {
                try encodeBlock(group.block, item, path: "\(name)[\(i)]")
            }
        }
        for data in block.data {
            let name = "\(path).\(data.name)"
            var payload: [UInt8] = []
            switch json[data.name] ?? .null {
            case .null: break
            case let .string(text):
                if let encoding = data.characterEncoding {
                    payload = encoding.uppercased().contains("UTF") ? Array(text.utf8) : try WireText.bytes(latin1: text, field: name)
                } else {
                    guard let decoded = Data(base64Encoded: text) else {
                        throw WireError.invalidValue(field: name, reason: "raw data must be base64")
                    }
                    payload = Array(decoded)
                }
            default: throw WireError.invalidValue(field: name, reason: "expected a string")
            }
            guard payload.count <= data.maxLength else {
                throw WireError.invalidLength(context: name, length: payload.count, maximum: data.maxLength)
            }
            let offset = grow(by: data.lengthType.size)
            put(UInt64(payload.count), size: data.lengthType.size, at: offset)
            bytes.append(contentsOf: payload)
        }
    }

    private mutating func encodeType(
        _ type: SBEType, _ value: WireJSON, at offset: Int, name: String, optional: Bool, nullValue: String?
    ) throws(WireError) {
        switch type {
        case let .encoded(t):
            if t.presence == .constant { return }
            let isOptional = optional || t.presence == .optional
            if t.length == 1 {
                if value == .null {
                    guard isOptional || t.primitiveType.isFloatingPoint else {
                        throw WireError.invalidValue(field: name, reason: "required field is missing or null")
                    }
                    let null = nullValue ?? t.nullValue ?? t.primitiveType.defaultNullValue
                    try putScalar(t.primitiveType, .number(null == "NaN" ? "nan" : null), at: offset, name: name)
                } else {
                    try putScalar(t.primitiveType, value, at: offset, name: name)
                }
                return
            }
            if t.primitiveType == .char {
                guard case let .string(text) = value else {
                    throw WireError.invalidValue(field: name, reason: "expected a string")
                }
                let raw = try WireText.bytes(latin1: text, field: name)
                guard raw.count <= t.length else {
                    throw WireError.invalidValue(field: name, reason: "longer than \(t.length) characters")
                }
                for (i, b) in raw.enumerated() { bytes[offset + i] = b }
                return
            }
            guard case let .array(items) = value, items.count <= t.length else {
                throw WireError.invalidValue(field: name, reason: "expected an array of at most \(t.length) numbers")
            }
            for (i, item) in items.enumerated() {
                try putScalar(t.primitiveType, item, at: offset + i * t.primitiveType.size, name: "\(name)[\(i)]")
            }
        case let .enumeration(e):
            switch value {
            case .null:
                guard optional else { throw WireError.invalidValue(field: name, reason: "required enum is missing or null") }
                try putScalar(e.encodingType, .number(nullValue ?? e.nullValue), at: offset, name: name)
            case let .string(valueName):
                guard let v = e.values.first(where: { $0.name == valueName }) else {
                    throw WireError.invalidValue(field: name, reason: "'\(valueName)' is not a value of \(e.name)")
                }
                try putScalar(e.encodingType, .number(String(v.value)), at: offset, name: name)
            case .number:
                try putScalar(e.encodingType, value, at: offset, name: name)
            default:
                throw WireError.invalidValue(field: name, reason: "expected an enum name or number")
            }
        case let .set(s):
            var raw: UInt64 = 0
            let items: [WireJSON]
            switch value {
            case .null: items = []
            case let .array(values): items = values
            case .number: items = [value]
            default: throw WireError.invalidValue(field: name, reason: "expected an array of choice names")
            }
            for item in items {
                switch item {
                case let .string(choiceName):
                    guard let choice = s.choices.first(where: { $0.name == choiceName }) else {
                        throw WireError.invalidValue(field: name, reason: "'\(choiceName)' is not a choice of \(s.name)")
                    }
                    raw |= 1 << UInt64(choice.bit)
                case let .number(text):
                    guard let bits = UInt64(text) else { throw WireError.invalidValue(field: name, reason: "invalid bits \(text)") }
                    raw |= bits
                default:
                    throw WireError.invalidValue(field: name, reason: "expected choice names")
                }
            }
            try putScalar(s.encodingType, .number(String(raw)), at: offset, name: name)
        case let .composite(c):
            guard case .object = value else { throw WireError.invalidValue(field: name, reason: "expected an object") }
            for member in c.members {
                if case let .encoded(t) = member.type, t.length == 0 { continue }
                try encodeType(member.type, value[member.name] ?? .null, at: offset + member.offset,
                               name: "\(name).\(member.name)", optional: false, nullValue: nil)
            }
        }
    }

    private mutating func putScalar(_ type: SBEPrimitiveType, _ value: WireJSON, at offset: Int, name: String) throws(WireError) {
        let text: String
        switch value {
        case let .number(n): text = n
        case let .string(s) where type == .char:
            let raw = try WireText.bytes(latin1: s, field: name)
            guard raw.count == 1 else { throw WireError.invalidValue(field: name, reason: "expected one character") }
            text = String(raw[0])
        case .null where type.isFloatingPoint: text = "nan"
        default: throw WireError.invalidValue(field: name, reason: "expected a number")
        }
        func bad() -> WireError { WireError.invalidValue(field: name, reason: "\(text) is not a valid \(type.rawValue)") }
        let bits: UInt64
        switch type {
        case .char, .uint8: guard let v = UInt8(text) else { throw bad() }; bits = UInt64(v)
        case .uint16: guard let v = UInt16(text) else { throw bad() }; bits = UInt64(v)
        case .uint32: guard let v = UInt32(text) else { throw bad() }; bits = UInt64(v)
        case .uint64: guard let v = UInt64(text) else { throw bad() }; bits = v
        case .int8: guard let v = Int8(text) else { throw bad() }; bits = UInt64(UInt8(bitPattern: v))
        case .int16: guard let v = Int16(text) else { throw bad() }; bits = UInt64(UInt16(bitPattern: v))
        case .int32: guard let v = Int32(text) else { throw bad() }; bits = UInt64(UInt32(bitPattern: v))
        case .int64: guard let v = Int64(text) else { throw bad() }; bits = UInt64(bitPattern: v)
        case .float: guard let v = Float(text) else { throw bad() }; bits = UInt64(v.bitPattern)
        case .double: guard let v = Double(text) else { throw bad() }; bits = v.bitPattern
        }
        put(bits, size: type.size, at: offset)
    }
}
