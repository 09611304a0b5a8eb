import Foundation
import SBE

/// Decodes SBE messages of any template into JSON, driven by the schema model (`SBESchema`):
/// field names are the schema's, enums by name (unknown values as numbers), optional nulls as `null`,
/// groups as arrays, character data as strings and raw data as base64.
struct WireDecoder {
    let schema: SBESchema
    let bytes: [UInt8]

    private func need(_ offset: Int, _ length: Int, _ context: String) throws(WireError) {
        guard offset >= 0, length >= 0, offset + length <= bytes.count else {
            throw WireError.shortBuffer(context: context, required: offset + length, available: bytes.count)
        }
    }

    private func unsigned(_ offset: Int, _ size: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<size { value |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        return value
    }

    private func headerValue(_ member: SBECompositeMember, at offset: Int) -> Int {
        guard case let .encoded(type) = member.type else { return 0 }
        return Int(unsigned(offset + member.offset, type.primitiveType.size))
    }

    /// Decodes one message with its header at `offset`; returns its JSON and encoded length.
    func decodeMessage(at offset: Int) throws(WireError) -> (WireJSON, Int) {
        let header = schema.header
        try need(offset, header.type.size, "message header at offset \(offset)")
        let blockLength = headerValue(header.blockLength, at: offset)
        let templateId = headerValue(header.templateId, at: offset)
        let schemaId = headerValue(header.schemaId, at: offset)
        let version = headerValue(header.version, at: offset)
        guard schemaId == schema.id else { throw WireError.wrongSchemaId(actual: schemaId, expected: schema.id) }
        guard let message = schema.message(id: templateId) else { throw WireError.unknownTemplateId(templateId) }
        var position = offset + header.type.size
        let body = try decodeBlock(
            message.block, name: message.name, blockLength: blockLength, version: version, position: &position)
        return (.object([("template", .string(message.name))] + body), position - offset)
    }

    /// Decodes one message root block without a header (SHM composites such as TensorSlotHeader256).
    func decodeBlockOnly(_ message: SBEMessage, at offset: Int) throws(WireError) -> (WireJSON, Int) {
        var position = offset
        let body = try decodeBlock(
            message.block, name: message.name, blockLength: message.block.blockLength, version: schema.version,
            position: &position)
        return (.object([("template", .string(message.name))] + body), position - offset)
    }

    private func decodeBlock(
        _ block: SBEBlock, name: String, blockLength: Int, version: Int, position: inout Int
    ) throws(WireError) -> [(key: String, value: WireJSON)] {
        guard blockLength >= block.minimumBlockLength else {
            throw WireError.invalidBlockLength(context: name, actual: blockLength, minimum: block.minimumBlockLength)
        }
        let start = position
        try need(start, blockLength, "block of \(name)")
        var entries: [(key: String, value: WireJSON)] = []
        for field in block.fields {
            let present = field.presence == .constant
                || (field.sinceVersion <= version && field.offset + field.encodedLength <= blockLength)
            let value = present ? fieldValue(field, at: start + field.offset) : .null
            entries.append((field.name, value))
        }
        position = start + blockLength
        for group in block.groups {
            guard group.sinceVersion <= version else {
                entries.append((group.name, .array([])))
                continue
            }
            let dimension = group.dimension
            try need(position, dimension.type.size, "dimension of group \(group.name)")
            let entryLength = Int(unsigned(position + dimension.blockLengthOffset, dimension.blockLengthType.size))
            let count = Int(unsigned(position + dimension.numInGroupOffset, dimension.numInGroupType.size))
            position += dimension.type.size
            let consumesBytes = entryLength > 0 || !group.block.groups.isEmpty || !group.block.data.isEmpty
            guard consumesBytes ? count <= bytes.count - position : count <= 65535 else {
                throw WireError.shortBuffer(
                    context: "\(count) entries of group \(group.name)", required: position + count, available: bytes.count)
            }
            var items: [WireJSON] = []
            for _ in 0..<count {
                // Every entry takes at least its block: a hostile count fails here, before any allocation grows.
                try need(position, entryLength, "entry of group \(group.name)")
                items.append(.object(try decodeBlock(
                    group.block, name: group.name, blockLength: entryLength, version: version, position: &position)))
            }
            entries.append((group.name, .array(items)))
        }
        for data in block.data {
            guard data.sinceVersion <= version else {
                entries.append((data.name, .null))
                continue
            }
            try need(position, data.lengthType.size, "length of \(data.name)")
            let length = Int(unsigned(position, data.lengthType.size))
            guard length <= data.maxLength else {
                throw WireError.invalidLength(context: data.name, length: length, maximum: data.maxLength)
            }
            position += data.lengthType.size
            try need(position, length, "data of \(data.name)")
            let slice = Array(bytes[position..<position + length])
            position += length
            entries.append((data.name, dataValue(slice, encoding: data.characterEncoding)))
        }
        return entries
    }

    private func dataValue(_ slice: [UInt8], encoding: String?) -> WireJSON {
        guard let encoding else { return .string(Data(slice).base64EncodedString()) }
        if encoding.uppercased().contains("UTF") { return .string(String(decoding: slice, as: UTF8.self)) }
        return .string(WireText.latin1(slice))
    }

    private func fieldValue(_ field: SBEField, at offset: Int) -> WireJSON {
        if field.presence == .constant {
            if case .encoded(let t) = field.type, t.primitiveType != .char, let c = field.constantValue {
                return .number(c)
            }
            return .string(field.constantValue ?? "")
        }
        return typeValue(field.type, at: offset, optional: field.presence == .optional, nullValue: field.nullValue)
    }

    private func typeValue(_ type: SBEType, at offset: Int, optional: Bool, nullValue: String?) -> WireJSON {
        switch type {
        case let .encoded(t):
            if t.presence == .constant {
                return t.primitiveType == .char ? .string(t.constantValue ?? "") : .number(t.constantValue ?? "0")
            }
            let isOptional = optional || t.presence == .optional
            let null = nullValue ?? t.nullValue ?? t.primitiveType.defaultNullValue
            if t.length == 1 {
                return scalar(t.primitiveType, at: offset, nullValue: isOptional ? null : nil)
            }
            if t.primitiveType == .char {
                var end = offset
                while end < offset + t.length, bytes[end] != 0 { end += 1 }
                return .string(WireText.latin1(Array(bytes[offset..<end])))
            }
            return .array((0..<t.length).map { scalar(t.primitiveType, at: offset + $0 * t.primitiveType.size, nullValue: nil) })
        case let .enumeration(e):
            let raw = WirePrimitive.read(e.encodingType, bytes, offset)
            if optional, WirePrimitive.isNull(raw, nullText: nullValue ?? e.nullValue) { return .null }
            if let number = Int64(raw), let name = e.name(of: number) { return .string(name) }
            return .number(raw)
        case let .set(s):
            let raw = unsigned(offset, s.encodingType.size)
            var names: [WireJSON] = []
            var remaining = raw
            for choice in s.choices where raw & (1 << UInt64(choice.bit)) != 0 {
                names.append(.string(choice.name))
                remaining &= ~(1 << UInt64(choice.bit))
            }
            if remaining != 0 { names.append(.number(String(remaining))) }
            return .array(names)
        case let .composite(c):
            var entries: [(key: String, value: WireJSON)] = []
            for member in c.members {
                if case let .encoded(t) = member.type, t.length == 0 { continue }
                entries.append((member.name, typeValue(member.type, at: offset + member.offset, optional: false, nullValue: nil)))
            }
            return .object(entries)
        }
    }

    private func scalar(_ type: SBEPrimitiveType, at offset: Int, nullValue: String?) -> WireJSON {
        let text = WirePrimitive.read(type, bytes, offset)
        if let nullValue, WirePrimitive.isNull(text, nullText: nullValue) { return .null }
        if type == .char { return .string(WireText.latin1([bytes[offset]])) }
        if type.isFloatingPoint, text == "nan" || text.contains("inf") { return .null }
        return .number(text)
    }
}

/// Reads and writes primitives as decimal text (exact for 64-bit integers).
enum WirePrimitive {
    static func read(_ type: SBEPrimitiveType, _ bytes: [UInt8], _ offset: Int) -> String {
        var raw: UInt64 = 0
        for i in 0..<type.size { raw |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        switch type {
        case .char, .uint8, .uint16, .uint32, .uint64: return String(raw)
        case .int8: return String(Int8(truncatingIfNeeded: raw))
        case .int16: return String(Int16(truncatingIfNeeded: raw))
        case .int32: return String(Int32(truncatingIfNeeded: raw))
        case .int64: return String(Int64(bitPattern: raw))
        case .float:
            let f = Float(bitPattern: UInt32(truncatingIfNeeded: raw))
            return f.isNaN ? "nan" : f.isInfinite ? "inf" : "\(f)"
        case .double:
            let d = Double(bitPattern: raw)
            return d.isNaN ? "nan" : d.isInfinite ? "inf" : "\(d)"
        }
    }

    static func isNull(_ text: String, nullText: String) -> Bool {
        if nullText == "NaN" { return text == "nan" }
        return text == nullText
    }
}

/// Character data <-> JSON strings: bytes map to the code points U+0000...U+00FF, so any byte survives a round trip.
enum WireText {
    static func latin1(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for b in bytes { scalars.append(Unicode.Scalar(b)) }
        return String(scalars)
    }

    static func bytes(latin1 text: String, field: String) throws(WireError) -> [UInt8] {
        var out: [UInt8] = []
        for scalar in text.unicodeScalars {
            guard scalar.value < 256 else {
                throw WireError.invalidValue(field: field, reason: "character \(scalar) is not a single byte")
            }
            out.append(UInt8(scalar.value))
        }
        return out
    }
}
