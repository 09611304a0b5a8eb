import SBE

/// Writes an `SBESchema` as a Swift literal, so generated code carries its own schema model (used by
/// generic tools such as `tp wire` that encode and decode any message by name).
struct SchemaModelWriter {
    private func str(_ s: String) -> String { SwiftFieldWriter.stringLiteral(s) }
    private func opt(_ s: String?) -> String { s.map(str) ?? "nil" }

    func schema(_ s: SBESchema, into code: inout CodeBuffer) {
        code.line("SBESchema(")
        code.line("    package: \(str(s.package)), id: \(s.id), version: \(s.version), semanticVersion: \(opt(s.semanticVersion)), description: \(opt(s.description)),")
        code.line("    header: SBEMessageHeader(")
        code.line("        type: \(composite(s.header.type)),")
        code.line("        blockLength: \(member(s.header.blockLength)),")
        code.line("        templateId: \(member(s.header.templateId)),")
        code.line("        schemaId: \(member(s.header.schemaId)),")
        code.line("        version: \(member(s.header.version))),")
        code.line("    types: [")
        for t in s.types { code.line("        \(type(t)),") }
        code.line("    ],")
        code.line("    messages: [")
        for m in s.messages {
            code.line("        SBEMessage(name: \(str(m.name)), id: \(m.id), block: \(block(m.block)), sinceVersion: \(m.sinceVersion), description: \(opt(m.description))),")
        }
        code.line("    ])")
    }

    func type(_ t: SBEType) -> String {
        switch t {
        case let .encoded(e):
            return ".encoded(SBEEncodedType(name: \(str(e.name)), primitiveType: .\(e.primitiveType.rawValue), length: \(e.length), presence: .\(e.presence.rawValue), nullValue: \(opt(e.nullValue)), minValue: \(opt(e.minValue)), maxValue: \(opt(e.maxValue)), constantValue: \(opt(e.constantValue)), characterEncoding: \(opt(e.characterEncoding)), sinceVersion: \(e.sinceVersion), description: \(opt(e.description))))"
        case let .enumeration(e):
            let values = e.values.map {
                "SBEEnumValue(name: \(str($0.name)), value: \($0.value), sinceVersion: \($0.sinceVersion), description: \(opt($0.description)))"
            }.joined(separator: ", ")
            return ".enumeration(SBEEnumType(name: \(str(e.name)), encodingType: .\(e.encodingType.rawValue), values: [\(values)], nullValue: \(str(e.nullValue)), sinceVersion: \(e.sinceVersion), description: \(opt(e.description))))"
        case let .set(s):
            let choices = s.choices.map {
                "SBESetChoice(name: \(str($0.name)), bit: \($0.bit), sinceVersion: \($0.sinceVersion), description: \(opt($0.description)))"
            }.joined(separator: ", ")
            return ".set(SBESetType(name: \(str(s.name)), encodingType: .\(s.encodingType.rawValue), choices: [\(choices)], sinceVersion: \(s.sinceVersion), description: \(opt(s.description))))"
        case let .composite(c):
            return ".composite(\(composite(c)))"
        }
    }

    func composite(_ c: SBECompositeType) -> String {
        let members = c.members.map(member).joined(separator: ", ")
        return "SBECompositeType(name: \(str(c.name)), members: [\(members)], size: \(c.size), sinceVersion: \(c.sinceVersion), description: \(opt(c.description)))"
    }

    func member(_ m: SBECompositeMember) -> String {
        "SBECompositeMember(name: \(str(m.name)), offset: \(m.offset), type: \(type(m.type)))"
    }

    func block(_ b: SBEBlock) -> String {
        let fields = b.fields.map { f in
            "SBEField(name: \(str(f.name)), id: \(f.id), type: \(type(f.type)), offset: \(f.offset), presence: .\(f.presence.rawValue), nullValue: \(opt(f.nullValue)), constantValue: \(opt(f.constantValue)), sinceVersion: \(f.sinceVersion), description: \(opt(f.description)))"
        }.joined(separator: ", ")
        let groups = b.groups.map { g in
            let d = g.dimension
            let dimension = "SBEGroupDimension(type: \(composite(d.type)), blockLengthType: .\(d.blockLengthType.rawValue), blockLengthOffset: \(d.blockLengthOffset), numInGroupType: .\(d.numInGroupType.rawValue), numInGroupOffset: \(d.numInGroupOffset), maxCount: \(d.maxCount))"
            return "SBEGroup(name: \(str(g.name)), id: \(g.id), dimension: \(dimension), block: \(block(g.block)), sinceVersion: \(g.sinceVersion), description: \(opt(g.description)))"
        }.joined(separator: ", ")
        let data = b.data.map { d in
            "SBEVarDataField(name: \(str(d.name)), id: \(d.id), type: \(composite(d.type)), lengthType: .\(d.lengthType), maxLength: \(d.maxLength), characterEncoding: \(opt(d.characterEncoding)), sinceVersion: \(d.sinceVersion), description: \(opt(d.description)))"
        }.joined(separator: ", ")
        return "SBEBlock(blockLength: \(b.blockLength), minimumBlockLength: \(b.minimumBlockLength), fields: [\(fields)], groups: [\(groups)], data: [\(data)])"
    }
}
