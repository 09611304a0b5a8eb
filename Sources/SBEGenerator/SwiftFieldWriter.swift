import SBE

/// One fixed field as the accessor writers see it: a message/group field or a composite member.
struct FieldSpec {
    var name: String
    var id: Int?
    var type: SBEType
    var offset: Int
    var presence: SBEPresence
    var nullValue: String?
    var constantValue: String?
    var sinceVersion: Int
    var description: String?
    /// True in a message or group block (presence also depends on the acting block length).
    var inBlock: Bool

    init(field: SBEField) {
        name = field.name
        id = field.id
        type = field.type
        offset = field.offset
        presence = field.presence
        nullValue = field.nullValue
        constantValue = field.constantValue
        sinceVersion = field.sinceVersion
        description = field.description
        inBlock = true
    }

    init(member: SBECompositeMember) {
        name = member.name
        id = nil
        type = member.type
        offset = member.offset
        presence = .required
        sinceVersion = member.type.sinceVersion
        description = nil
        inBlock = false
        if case let .encoded(encoded) = member.type {
            presence = encoded.presence
            nullValue = encoded.nullValue
            constantValue = encoded.constantValue
            description = encoded.description
        }
    }

    var encodedLength: Int { presence == .constant ? 0 : type.encodedLength }

    /// Whether the decoder must check the acting version before reading.
    var versioned: Bool { sinceVersion > 0 }
}

/// Writes the encoder and decoder accessors of fixed fields.
struct SwiftFieldWriter {
    let names: SwiftTypeNames
    /// Pointer the field offsets are relative to: `sbeBuffer` (plus `sbeOffset`) in messages and
    /// composites, `sbeBlock` (the current entry) in groups.
    var base = "sbeBuffer"
    var offsetPrefix = "sbeOffset + "

    /// The writer for group entries, whose fields are read through `sbeBlock`.
    func forGroupEntries() -> SwiftFieldWriter {
        var copy = self
        copy.base = "sbeBlock"
        copy.offsetPrefix = ""
        return copy
    }

    func load(_ p: SBEPrimitiveType, _ offset: String) -> String { "SBEWire.load\(p.swiftType)(\(base), \(offset))" }
    func store(_ p: SBEPrimitiveType, _ offset: String, _ value: String) -> String {
        "SBEWire.store\(p.swiftType)(\(base), \(offset), \(value))"
    }

    func swiftType(_ type: SBEType) -> String {
        switch type {
        case let .encoded(t): return t.primitiveType.swiftType
        case let .enumeration(e): return names.swiftName(e.name)
        case let .set(s): return names.swiftName(s.name)
        case let .composite(c): return names.swiftName(c.name)
        }
    }

    func docLines(_ f: FieldSpec) -> [String] {
        var kind: String
        switch f.type {
        case let .encoded(t):
            kind = t.length > 1 || (t.primitiveType == .char && f.presence == .constant)
                ? "\(t.primitiveType.rawValue)[\(t.length)]" : t.primitiveType.rawValue
            if t.name != t.primitiveType.rawValue, t.name != f.name { kind = "\(t.name) (\(kind))" }
        case let .enumeration(e): kind = "enum \(e.name) (\(e.encodingType.rawValue))"
        case let .set(s): kind = "set \(s.name) (\(s.encodingType.rawValue))"
        case let .composite(c): kind = "composite \(c.name)"
        }
        var head = "`\(f.name)`"
        if let id = f.id { head += " (id \(f.id == nil ? 0 : id))" }
        if f.presence == .constant {
            head += ": constant \(kind) = \(f.constantValue ?? "")"
        } else {
            head += ": \(kind) at offset \(f.offset), \(f.encodedLength) byte\(f.encodedLength == 1 ? "" : "s")"
            if f.presence == .optional { head += ", optional (null \(f.nullValue ?? "?"))" }
            if case let .encoded(t) = f.type {
                // The schema's declared range (SBE minValue/maxValue); the codec does not enforce it.
                switch (t.minValue, t.maxValue) {
                case let (min?, max?): head += ", valid \(min) ... \(max)"
                case let (min?, nil): head += ", valid from \(min)"
                case let (nil, max?): head += ", valid up to \(max)"
                case (nil, nil): break
                }
            }
        }
        if f.versioned { head += ", since version \(f.sinceVersion)" }
        head += "."
        var lines = [head]
        if let d = f.description, !d.isEmpty { lines.append(d) }
        return lines
    }

    /// Condition under which a versioned field is present in the decoded data.
    func presentCondition(_ f: FieldSpec) -> String {
        if f.inBlock {
            return "sbeActingVersion >= \(f.sinceVersion) && sbeActingBlockLength >= \(f.offset + f.encodedLength)"
        }
        return "sbeActingVersion >= \(f.sinceVersion)"
    }

    static func stringLiteral(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    func enumCase(_ e: SBEEnumType, _ valueName: String) -> String {
        SwiftNames.member(valueName)
    }

    // MARK: Decoder

    func writeDecoder(_ f: FieldSpec, member: String, stem: String, into code: inout CodeBuffer) throws(SchemaError) {
        let off = "\(offsetPrefix)\(f.offset)"
        if f.presence == .constant {
            code.doc(docLines(f))
            switch f.type {
            case let .encoded(t):
                if t.primitiveType == .char {
                    code.line("public var \(member): String { \(Self.stringLiteral(f.constantValue ?? "")) }")
                } else {
                    code.line("public var \(member): \(t.primitiveType.swiftType) { \(t.primitiveType.literal(f.constantValue ?? "0")) }")
                }
            case let .enumeration(e):
                code.line("public var \(member): \(swiftType(f.type)) { .\(enumCase(e, f.constantValue ?? "")) }")
            default:
                throw SchemaError("constant field '\(f.name)' has an unsupported type")
            }
            code.line()
            return
        }
        code.line("/// Offset of `\(f.name)` from the start of the block.")
        code.line("public static let \(stem)Offset = \(f.offset)")
        code.line()
        switch f.type {
        case let .encoded(t) where t.length > 1 || t.length == 0:
            try writeArrayDecoder(f, t, member: member, stem: stem, into: &code)
        case let .encoded(t):
            let optional = f.presence == .optional
            let type = t.primitiveType.swiftType + (optional || f.versioned ? "?" : "")
            code.doc(docLines(f))
            code.line("@inlinable")
            try code.block("public var \(member): \(type)") { c throws(SchemaError) in
                if f.versioned { c.line("guard \(presentCondition(f)) else { return nil }") }
                if optional {
                    c.line("let value = \(load(t.primitiveType, off))")
                    c.line("return \(t.primitiveType.isNull("value", f.nullValue ?? t.primitiveType.defaultNullValue)) ? nil : value")
                } else {
                    c.line("return \(load(t.primitiveType, off))")
                }
            }
        case let .enumeration(e):
            let optional = f.presence == .optional
            let type = swiftType(f.type) + (optional || f.versioned ? "?" : "")
            code.doc(docLines(f))
            code.line("@inlinable")
            try code.block("public var \(member): \(type)") { c throws(SchemaError) in
                if f.versioned { c.line("guard \(presentCondition(f)) else { return nil }") }
                c.line("let raw = \(load(e.encodingType, off))")
                if optional {
                    c.line("if \(e.encodingType.isNull("raw", f.nullValue ?? e.nullValue)) { return nil }")
                }
                c.line("return \(swiftType(f.type))(rawValue: raw)")
            }
        case let .set(s):
            let type = swiftType(f.type) + (f.versioned ? "?" : "")
            code.doc(docLines(f))
            code.line("@inlinable")
            try code.block("public var \(member): \(type)") { c throws(SchemaError) in
                if f.versioned { c.line("guard \(presentCondition(f)) else { return nil }") }
                c.line("return \(swiftType(f.type))(rawValue: \(load(s.encodingType, off)))")
            }
        case .composite:
            let type = swiftType(f.type) + "Decoder" + (f.versioned ? "?" : "")
            code.doc(docLines(f))
            code.line("@inlinable")
            try code.block("public var \(member): \(type)") { c throws(SchemaError) in
                if f.versioned { c.line("guard \(presentCondition(f)) else { return nil }") }
                c.line("return \(swiftType(f.type))Decoder(unchecked: \(base), offset: \(off), actingVersion: sbeActingVersion)")
            }
        }
        code.line()
    }

    /// The `…Length` constant and the `member(at:)` element reader shared by array decoders and encoders;
    /// `versioned` adds the acting-version guard (decoders of fields newer than version 0).
    private func writeArrayElementGetter(
        _ f: FieldSpec, _ t: SBEEncodedType, member: String, stem: String, versioned: Bool, into code: inout CodeBuffer
    ) throws(SchemaError) {
        let p = t.primitiveType
        code.line("/// Number of elements of `\(f.name)`.")
        code.line("public static let \(stem)Length = \(t.length)")
        code.line()
        code.doc(docLines(f) + ["", "The element at `index` (0 ..< \(t.length)); an index out of range is a programming error."]
            + (versioned ? ["Reads the null value when the field is absent in the acting version."] : []))
        code.line("@inlinable")
        try code.block("public func \(member)(at index: Int) -> \(p.swiftType)") { c throws(SchemaError) in
            c.line("precondition(index >= 0 && index < \(t.length), \"index out of range\")")
            if versioned {
                c.line("guard \(presentCondition(f)) else { return \(p.literal(t.nullValue ?? p.defaultNullValue)) }")
            }
            c.line("return \(load(p, "\(offsetPrefix)\(f.offset) + index * \(p.size)"))")
        }
        code.line()
    }

    private func writeArrayDecoder(
        _ f: FieldSpec, _ t: SBEEncodedType, member: String, stem: String, into code: inout CodeBuffer
    ) throws(SchemaError) {
        let p = t.primitiveType
        let size = p.size
        let upperStem = SwiftNames.upperCamel(stem)
        try writeArrayElementGetter(f, t, member: member, stem: stem, versioned: f.versioned, into: &code)
        code.line("/// The raw bytes of `\(f.name)` (a view into the buffer, no copy; empty when absent).")
        code.line("@inlinable")
        try code.block("public var \(stem)Bytes: UnsafeRawBufferPointer") { c throws(SchemaError) in
            if f.versioned {
                c.line("guard \(presentCondition(f)) else { return UnsafeRawBufferPointer(start: nil, count: 0) }")
            }
            c.line("return UnsafeRawBufferPointer(start: \(base) + \(offsetPrefix)\(f.offset), count: \(t.length * size))")
        }
        code.line()
        if p == .char {
            code.line("/// `\(f.name)` as a string: the characters before the first NUL (allocates).")
            code.line("public var \(stem)String: String { SBEText.fixedString(\(stem)Bytes) }")
            code.line()
            code.line("/// Copies the bytes of `\(f.name)` into `destination`; returns the number of bytes copied.")
            code.line("@inlinable")
            try code.block("public func get\(upperStem)(into destination: UnsafeMutableRawBufferPointer) throws(SBEError) -> Int") { c throws(SchemaError) in
                c.line("try SBEVarData.copy(\(stem)Bytes, into: destination)")
            }
            code.line()
        }
    }

    // MARK: Encoder

    func writeEncoder(_ f: FieldSpec, member: String, stem: String, into code: inout CodeBuffer) throws(SchemaError) {
        guard f.presence != .constant else { return }
        let off = "\(offsetPrefix)\(f.offset)"
        code.line("/// Offset of `\(f.name)` from the start of the block.")
        code.line("public static let \(stem)Offset = \(f.offset)")
        code.line()
        switch f.type {
        case let .encoded(t) where t.length > 1 || t.length == 0:
            try writeArrayEncoder(f, t, member: member, stem: stem, into: &code)
        case let .encoded(t):
            let p = t.primitiveType
            let optional = f.presence == .optional
            let null = f.nullValue ?? p.defaultNullValue
            code.doc(docLines(f) + (optional ? ["", "`nil` is written as the null value."] : []))
            code.line("@inlinable")
            try code.block("public var \(member): \(p.swiftType)\(optional ? "?" : "")") { c throws(SchemaError) in
                if optional {
                    c.line("get { let value = \(load(p, off)); return \(p.isNull("value", null)) ? nil : value }")
                    c.line("nonmutating set { \(store(p, off, "newValue ?? \(p.literal(null))")) }")
                } else {
                    c.line("get { \(load(p, off)) }")
                    c.line("nonmutating set { \(store(p, off, "newValue")) }")
                }
            }
        case let .enumeration(e):
            let p = e.encodingType
            let optional = f.presence == .optional
            let null = f.nullValue ?? e.nullValue
            let type = swiftType(f.type)
            code.doc(docLines(f) + (optional ? ["", "`nil` is written as the null value."] : []))
            code.line("@inlinable")
            try code.block("public var \(member): \(type)\(optional ? "?" : "")") { c throws(SchemaError) in
                if optional {
                    c.line("get { let raw = \(load(p, off)); return \(p.isNull("raw", null)) ? nil : \(type)(rawValue: raw) }")
                    c.line("nonmutating set { \(store(p, off, "newValue?.rawValue ?? \(p.literal(null))")) }")
                } else {
                    c.line("get { \(type)(rawValue: \(load(p, off))) }")
                    c.line("nonmutating set { \(store(p, off, "newValue.rawValue")) }")
                }
            }
        case let .set(s):
            let type = swiftType(f.type)
            code.doc(docLines(f))
            code.line("@inlinable")
            try code.block("public var \(member): \(type)") { c throws(SchemaError) in
                c.line("get { \(type)(rawValue: \(load(s.encodingType, off))) }")
                c.line("nonmutating set { \(store(s.encodingType, off, "newValue.rawValue")) }")
            }
        case .composite:
            let type = swiftType(f.type) + "Encoder"
            code.doc(docLines(f))
            code.line("@inlinable")
            code.line("public var \(member): \(type) { \(type)(unchecked: \(base), offset: \(off)) }")
        }
        code.line()
    }

    private func writeArrayEncoder(
        _ f: FieldSpec, _ t: SBEEncodedType, member: String, stem: String, into code: inout CodeBuffer
    ) throws(SchemaError) {
        let p = t.primitiveType
        let size = p.size
        let upperStem = SwiftNames.upperCamel(stem)
        // Encoders write the current version: no acting-version guard.
        try writeArrayElementGetter(f, t, member: member, stem: stem, versioned: false, into: &code)
        code.line("/// Sets the element of `\(f.name)` at `index` (0 ..< \(t.length)).")
        code.line("@inlinable")
        try code.block("public func set\(upperStem)(at index: Int, _ value: \(p.swiftType))") { c throws(SchemaError) in
            c.line("precondition(index >= 0 && index < \(t.length), \"index out of range\")")
            c.line(store(p, "\(offsetPrefix)\(f.offset) + index * \(size)", "value"))
        }
        code.line()
        code.line("/// Sets `\(f.name)` from up to \(t.length) values, zero-filling the rest; more values throw.")
        code.line("@inlinable")
        try code.block("public func set\(upperStem)(_ values: some Collection<\(p.swiftType)>) throws(SBEError)") { c throws(SchemaError) in
            c.line("guard values.count <= \(t.length) else { throw SBEError.valueOutOfRange }")
            c.line("var index = 0")
            try c.block("for value in values") { c2 throws(SchemaError) in
                c2.line(store(p, "\(offsetPrefix)\(f.offset) + index * \(size)", "value"))
                c2.line("index += 1")
            }
            try c.block("while index < \(t.length)") { c2 throws(SchemaError) in
                c2.line(store(p, "\(offsetPrefix)\(f.offset) + index * \(size)", "0"))
                c2.line("index += 1")
            }
        }
        code.line()
        if p == .char || p == .uint8 {
            let ascii = p == .char && (t.characterEncoding == nil || t.characterEncoding?.uppercased().contains("ASCII") == true)
            code.line("/// Sets `\(f.name)` from raw bytes, NUL-padded; more than \(t.length) bytes throw.")
            code.line("@inlinable")
            try code.block("public func set\(upperStem)(bytes: UnsafeRawBufferPointer) throws(SBEError)") { c throws(SchemaError) in
                c.line("try SBEText.storeFixed(\(base), \(offsetPrefix)\(f.offset), length: \(t.length), bytes: bytes)")
            }
            code.line()
            if p == .char {
                code.line("/// Sets `\(f.name)` from a string\(ascii ? " (US-ASCII only)" : ""), NUL-padded; a longer string throws.")
                try code.block("public func set\(upperStem)(_ value: String) throws(SBEError)") { c throws(SchemaError) in
                    c.line("try SBEText.withBytes(of: value, asciiOnly: \(ascii)) { (bytes: UnsafeRawBufferPointer) throws(SBEError) in")
                    c.line("    try SBEText.storeFixed(\(base), \(offsetPrefix)\(f.offset), length: \(t.length), bytes: bytes)")
                    c.line("}")
                }
                code.line()
            }
        }
    }
}
