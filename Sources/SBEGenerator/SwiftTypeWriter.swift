import SBE

/// Writes the Swift source of enums, sets and composite flyweights.
struct SwiftTypeWriter {
    let names: SwiftTypeNames
    let fields: SwiftFieldWriter
    let schemaTypeName: String

    static let optionSetMembers: Set<String> = [
        "rawValue", "contains", "insert", "remove", "update", "union", "intersection", "subtract",
        "isEmpty", "isSubset", "isSuperset", "isDisjoint", "formUnion", "formIntersection", "init", "allZeros",
    ]

    func unknownCaseName(_ e: SBEEnumType) -> String {
        let cases = Set(e.values.map { SwiftNames.memberStem($0.name) })
        return cases.contains("unrecognized") ? "sbeUnrecognized" : "unrecognized"
    }

    func writeEnum(_ e: SBEEnumType, into code: inout CodeBuffer) throws(SchemaError) {
        let name = names.swiftName(e.name)
        let raw = e.encodingType.swiftType
        let unknown = unknownCaseName(e)
        var seen: Set<String> = []
        for v in e.values where !seen.insert(SwiftNames.member(v.name)).inserted {
            throw SchemaError("enum '\(e.name)': two values map to the Swift case '\(SwiftNames.member(v.name))'")
        }
        code.doc(["`\(e.name)` enum, encoded as \(e.encodingType.rawValue) (null value \(e.nullValue))."]
            + (e.description.map { ["", $0] } ?? [])
            + ["", "A value this schema does not define decodes as `.\(unknown)(raw)`, never a trap."])
        try code.block("public enum \(name): Hashable, Sendable") { c throws(SchemaError) in
            for v in e.values {
                var line = "`\(v.name)` = \(v.value)"
                if e.encodingType == .char, let scalar = Unicode.Scalar(UInt32(v.value)) { line += " ('\(Character(scalar))')" }
                if v.sinceVersion > 0 { line += ", since version \(v.sinceVersion)" }
                c.doc([line + "."] + (v.description.map { [$0] } ?? []))
                c.line("case \(SwiftNames.member(v.name))")
            }
            c.line("/// A value this schema version does not define.")
            c.line("case \(unknown)(\(raw))")
            c.line()
            c.line("/// Maps a wire value to its case; values the schema does not define become `.\(unknown)`.")
            c.line("@inlinable")
            try c.block("public init(rawValue: \(raw))") { c2 throws(SchemaError) in
                try c2.switchBlock("switch rawValue") { c3 throws(SchemaError) in
                    for v in e.values { c3.line("case \(v.value): self = .\(SwiftNames.member(v.name))") }
                    c3.line("default: self = .\(unknown)(rawValue)")
                }
            }
            c.line()
            c.line("/// The wire value.")
            c.line("@inlinable")
            try c.block("public var rawValue: \(raw)") { c2 throws(SchemaError) in
                try c2.switchBlock("switch self") { c3 throws(SchemaError) in
                    for v in e.values { c3.line("case .\(SwiftNames.member(v.name)): return \(v.value)") }
                    c3.line("case let .\(unknown)(value): return value")
                }
            }
            c.line()
            c.line("/// The schema name of the value, or nil when the schema does not define it.")
            try c.block("public var schemaName: String?") { c2 throws(SchemaError) in
                try c2.switchBlock("switch self") { c3 throws(SchemaError) in
                    for v in e.values { c3.line("case .\(SwiftNames.member(v.name)): return \(SwiftFieldWriter.stringLiteral(v.name))") }
                    c3.line("case .\(unknown): return nil")
                }
            }
        }
    }

    func writeSet(_ s: SBESetType, into code: inout CodeBuffer) throws(SchemaError) {
        let name = names.swiftName(s.name)
        let raw = s.encodingType.swiftType
        code.doc(["`\(s.name)` bit set, encoded as \(s.encodingType.rawValue)."] + (s.description.map { ["", $0] } ?? []))
        try code.block("public struct \(name): OptionSet, Hashable, Sendable") { c throws(SchemaError) in
            c.line("/// The \(s.encodingType.rawValue) on the wire; bits this schema does not name are kept, not dropped.")
            c.line("public var rawValue: \(raw)")
            c.line()
            c.line("/// The set whose wire value is `rawValue` (undefined bits included).")
            c.line("@inlinable")
            c.line("public init(rawValue: \(raw)) { self.rawValue = rawValue }")
            for choice in s.choices {
                var stem = SwiftNames.memberStem(choice.name)
                if Self.optionSetMembers.contains(stem) { stem += "Choice" }
                let member = SwiftNames.keywords.contains(stem) ? "`\(stem)`" : stem
                c.line()
                c.doc(["`\(choice.name)`: bit \(choice.bit)" + (choice.sinceVersion > 0 ? ", since version \(choice.sinceVersion)." : ".")]
                    + (choice.description.map { [$0] } ?? []))
                c.line("public static let \(member) = \(name)(rawValue: 1 << \(choice.bit))")
            }
        }
    }

    /// Member names of a composite flyweight, checked for collisions with each other and the API.
    func memberNames(_ c: SBECompositeType) throws(SchemaError) -> [(FieldSpec, String, String)] {
        var result: [(FieldSpec, String, String)] = []
        var used: Set<String> = ["encodedLength", "sbeBuffer", "sbeOffset", "sbeActingVersion"]
        for m in c.members {
            if case let .encoded(t) = m.type, t.length == 0 { continue }
            let spec = FieldSpec(member: m)
            var stem = SwiftNames.memberStem(m.name)
            if used.contains(stem) { stem += "Field" }
            for derived in [stem, stem + "Offset", stem + "Length", stem + "Bytes", stem + "String"] {
                guard used.insert(derived).inserted else {
                    throw SchemaError("composite '\(c.name)': member '\(m.name)' collides with another generated name '\(derived)'")
                }
            }
            let member = SwiftNames.keywords.contains(stem) ? "`\(stem)`" : stem
            result.append((spec, member, stem))
        }
        return result
    }

    func writeComposite(_ c: SBECompositeType, into code: inout CodeBuffer) throws(SchemaError) {
        let name = names.swiftName(c.name)
        let members = try memberNames(c)
        let summary = "`\(c.name)` composite, \(c.size) bytes" + (c.description.map { ": \($0)" } ?? ".")
        code.doc(["Reads a \(summary)", "", "A flyweight over the caller's memory: no copy, no allocation."])
        try code.block("public struct \(name)Decoder") { b throws(SchemaError) in
            b.line("/// Encoded size in bytes.")
            b.line("public static let encodedLength = \(c.size)")
            b.line()
            b.line("/// Start of the wrapped memory (not owned: it must outlive the flyweight).")
            b.line("public let sbeBuffer: UnsafeRawPointer")
            b.line("/// Offset of the composite from `sbeBuffer`.")
            b.line("public let sbeOffset: Int")
            b.line("/// Schema version the data was written with; newer fields read as nil.")
            b.line("public let sbeActingVersion: Int")
            b.line()
            b.line("/// Wraps without a bounds check: the caller has checked `offset + encodedLength` fits.")
            b.line("@inlinable")
            try b.block("public init(unchecked buffer: UnsafeRawPointer, offset: Int, actingVersion: Int)") { i throws(SchemaError) in
                i.line("sbeBuffer = buffer")
                i.line("sbeOffset = offset")
                i.line("sbeActingVersion = actingVersion")
            }
            b.line()
            b.line("/// Wraps `capacity` bytes at `buffer`, reading this composite at `offset`.")
            b.line("@inlinable")
            try b.block("public init(wrap buffer: UnsafeRawPointer, offset: Int, capacity: Int, actingVersion: Int = Int(\(schemaTypeName).version)) throws(SBEError)") { i throws(SchemaError) in
                i.line("try SBEBounds.check(offset: offset, length: \(c.size), capacity: capacity)")
                i.line("self.init(unchecked: buffer, offset: offset, actingVersion: actingVersion)")
            }
            b.line()
            for (spec, member, stem) in members {
                try fields.writeDecoder(spec, member: member, stem: stem, into: &b)
            }
        }
        code.line()
        code.doc(["Writes a \(summary)", "", "A flyweight over the caller's memory: no copy, no allocation."])
        try code.block("public struct \(name)Encoder") { b throws(SchemaError) in
            b.line("/// Encoded size in bytes.")
            b.line("public static let encodedLength = \(c.size)")
            b.line()
            b.line("/// Start of the wrapped memory (not owned: it must outlive the flyweight).")
            b.line("public let sbeBuffer: UnsafeMutableRawPointer")
            b.line("/// Offset of the composite from `sbeBuffer`.")
            b.line("public let sbeOffset: Int")
            b.line()
            b.line("/// Wraps without a bounds check: the caller has checked `offset + encodedLength` fits.")
            b.line("@inlinable")
            try b.block("public init(unchecked buffer: UnsafeMutableRawPointer, offset: Int)") { i throws(SchemaError) in
                i.line("sbeBuffer = buffer")
                i.line("sbeOffset = offset")
            }
            b.line()
            b.line("/// Wraps `capacity` bytes at `buffer`, writing this composite at `offset`.")
            b.line("@inlinable")
            try b.block("public init(wrap buffer: UnsafeMutableRawPointer, offset: Int, capacity: Int) throws(SBEError)") { i throws(SchemaError) in
                i.line("try SBEBounds.check(offset: offset, length: \(c.size), capacity: capacity)")
                i.line("self.init(unchecked: buffer, offset: offset)")
            }
            b.line()
            for (spec, member, stem) in members {
                try fields.writeEncoder(spec, member: member, stem: stem, into: &b)
            }
        }
    }
}
