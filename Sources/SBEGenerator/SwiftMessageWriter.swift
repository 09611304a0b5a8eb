import SBE

/// Writes message encoders/decoders and their nested repeating-group flyweights.
///
/// Groups and var data follow SBE order: each block keeps a cursor (`sbeCursor`, index of the next group
/// or data element) and a position. Decoders skip elements the caller does not read; encoders write empty
/// groups/data for elements the caller skips. Going backwards throws `SBEError.accessOutOfOrder`.
struct SwiftMessageWriter {
    let schema: SBESchema
    let names: SwiftTypeNames
    let fields: SwiftFieldWriter
    let schemaTypeName: String
    let typePrefix: String

    private var header: SBEMessageHeader { schema.header }
    private var headerType: String { names.swiftName(header.type.name) }

    private func headerMember(_ m: SBECompositeMember) -> String { SwiftNames.member(m.name) }
    private func headerSwiftType(_ m: SBECompositeMember) -> String {
        if case let .encoded(t) = m.type { return t.primitiveType.swiftType }
        return "UInt16"
    }

    /// Swift name of a group flyweight pair stem (`FuelFigures`), suffixed when it would hide a composite.
    func groupTypeStem(_ entry: BlockNames.Entry) -> String {
        let taken = Set(names.order.map { names.swiftName($0) })
        return taken.contains(entry.upperStem) ? entry.upperStem + "Group" : entry.upperStem
    }

    // MARK: Messages

    /// The stored properties locating a message flyweight's memory, the same in decoders and encoders.
    private func writeWrappedMemory(pointerType: String, into b: inout CodeBuffer) {
        b.line("/// Start of the wrapped memory (not owned: it must outlive the flyweight).")
        b.line("public let sbeBuffer: \(pointerType)")
        b.line("/// Bytes readable/writable from `sbeBuffer`; nothing past it is ever touched.")
        b.line("public let sbeCapacity: Int")
        b.line("/// Offset of the message header, or of the root block when wrapped without a header.")
        b.line("public let sbeStartOffset: Int")
        b.line("/// Offset of the root block.")
        b.line("public let sbeOffset: Int")
    }

    func writeMessage(_ message: SBEMessage, into code: inout CodeBuffer) throws(SchemaError) {
        let stem = typePrefix + SwiftNames.upperCamel(message.name)
        let blockNames = try BlockNames(block: message.block, owner: "message '\(message.name)'")
        let hasCursor = !message.block.groups.isEmpty || !message.block.data.isEmpty
        let summary = "`\(message.name)` messages (template id \(message.id), block length \(message.block.blockLength))"
        let descriptionLines = message.description.map { ["", $0] } ?? []

        // Decoder
        code.doc(["Reads \(summary)."] + descriptionLines + [
            "",
            "A flyweight over the caller's memory: no copy, no allocation. Fields newer than the acting version",
            "read as nil; a block longer than this schema's (a newer sender) is skipped by its block length.",
        ])
        try code.block("public struct \(stem)Decoder") { b throws(SchemaError) in
            writeMessageStatics(message, into: &b)
            writeWrappedMemory(pointerType: "UnsafeRawPointer", into: &b)
            b.line("/// Block length the data was written with (from the header or the group dimension).")
            b.line("public let sbeActingBlockLength: Int")
            b.line("/// Schema version the data was written with; newer fields read as nil.")
            b.line("public let sbeActingVersion: Int")
            if hasCursor {
                b.line("@usableFromInline var sbePosition: Int")
                b.line("@usableFromInline var sbeCursor: Int")
            }
            b.line()
            b.line("@usableFromInline")
            try b.block("init(sbeBuffer buffer: UnsafeRawPointer, capacity: Int, startOffset: Int, offset: Int, actingBlockLength: Int, actingVersion: Int)") { i throws(SchemaError) in
                i.line("sbeBuffer = buffer")
                i.line("sbeCapacity = capacity")
                i.line("sbeStartOffset = startOffset")
                i.line("sbeOffset = offset")
                i.line("sbeActingBlockLength = actingBlockLength")
                i.line("sbeActingVersion = actingVersion")
                if hasCursor {
                    i.line("sbePosition = offset + actingBlockLength")
                    i.line("sbeCursor = 0")
                }
            }
            b.line()
            b.doc([
                "Wraps a root block at `offset` without a message header (`capacity` bytes are readable at `buffer`).",
                "Throws when the block is shorter than `minimumBlockLength` or does not fit.",
            ])
            b.line("@inlinable")
            try b.block("public init(wrap buffer: UnsafeRawPointer, offset: Int, capacity: Int, actingBlockLength: Int = Int(blockLength), actingVersion: Int = Int(schemaVersion)) throws(SBEError)") { i throws(SchemaError) in
                i.line("guard actingBlockLength >= Self.minimumBlockLength else {")
                i.line("    throw SBEError.blockLengthTooSmall(minimum: Self.minimumBlockLength, actual: actingBlockLength)")
                i.line("}")
                i.line("try SBEBounds.check(offset: offset, length: actingBlockLength, capacity: capacity)")
                i.line("self.init(sbeBuffer: buffer, capacity: capacity, startOffset: offset, offset: offset, actingBlockLength: actingBlockLength, actingVersion: actingVersion)")
            }
            b.line()
            b.doc([
                "Wraps a message that starts with its `\(header.type.name)` at `offset`, checking schema id and template id.",
                "The header's block length and version become the acting block length and version.",
            ])
            b.line("@inlinable")
            try b.block("public init(wrapAndCheckHeader buffer: UnsafeRawPointer, offset: Int, capacity: Int) throws(SBEError)") { i throws(SchemaError) in
                i.line("try SBEBounds.check(offset: offset, length: \(headerType)Decoder.encodedLength, capacity: capacity)")
                i.line("let header = \(headerType)Decoder(unchecked: buffer, offset: offset, actingVersion: Int(Self.schemaVersion))")
                i.line("guard header.\(headerMember(header.schemaId)) == Self.schemaId else {")
                i.line("    throw SBEError.wrongSchemaId(expected: Int(Self.schemaId), actual: Int(header.\(headerMember(header.schemaId))))")
                i.line("}")
                i.line("guard header.\(headerMember(header.templateId)) == Self.templateId else {")
                i.line("    throw SBEError.wrongTemplateId(expected: Int(Self.templateId), actual: Int(header.\(headerMember(header.templateId))))")
                i.line("}")
                i.line("let actingBlockLength = Int(header.\(headerMember(header.blockLength)))")
                i.line("guard actingBlockLength >= Self.minimumBlockLength else {")
                i.line("    throw SBEError.blockLengthTooSmall(minimum: Self.minimumBlockLength, actual: actingBlockLength)")
                i.line("}")
                i.line("let blockOffset = offset + \(headerType)Decoder.encodedLength")
                i.line("try SBEBounds.check(offset: blockOffset, length: actingBlockLength, capacity: capacity)")
                i.line("self.init(sbeBuffer: buffer, capacity: capacity, startOffset: offset, offset: blockOffset, actingBlockLength: actingBlockLength, actingVersion: Int(header.\(headerMember(header.version))))")
            }
            b.line()
            b.line("/// Wraps a root block in `buffer` at `offset`, without a message header.")
            b.line("@inlinable")
            try b.block("public init(wrap buffer: UnsafeRawBufferPointer, offset: Int = 0) throws(SBEError)") { i throws(SchemaError) in
                i.line("guard let base = buffer.baseAddress else { throw SBEError.bufferTooShort(required: offset + Self.minimumBlockLength, capacity: 0) }")
                i.line("try self.init(wrap: base, offset: offset, capacity: buffer.count)")
            }
            b.line()
            b.line("/// Wraps a message with its header in `buffer` at `offset`, checking schema id and template id.")
            b.line("@inlinable")
            try b.block("public init(wrapAndCheckHeader buffer: UnsafeRawBufferPointer, offset: Int = 0) throws(SBEError)") { i throws(SchemaError) in
                i.line("guard let base = buffer.baseAddress else { throw SBEError.bufferTooShort(required: offset + \(headerType)Decoder.encodedLength, capacity: 0) }")
                i.line("try self.init(wrapAndCheckHeader: base, offset: offset, capacity: buffer.count)")
            }
            b.line()
            b.line("/// Total bytes of the message from `sbeStartOffset` (header included when wrapped with one),")
            b.line("/// skipping groups and data not read yet.")
            b.line("@inlinable")
            if hasCursor {
                try b.block("public mutating func encodedLength() throws(SBEError) -> Int") { i throws(SchemaError) in
                    i.line("try sbeAdvance(to: \(message.block.groups.count + message.block.data.count))")
                    i.line("return sbePosition - sbeStartOffset")
                }
            } else {
                try b.block("public func encodedLength() throws(SBEError) -> Int") { i throws(SchemaError) in
                    i.line("sbeOffset + sbeActingBlockLength - sbeStartOffset")
                }
            }
            b.line()
            try writeBlockDecoderMembers(message.block, blockNames, inGroup: false, into: &b)
        }
        code.line()

        // Encoder
        code.doc(["Writes \(summary)."] + descriptionLines + [
            "",
            "A flyweight over the caller's memory: no copy, no allocation. Fixed fields are properties; groups",
            "and var data are written in schema order (skipped ones are written empty).",
        ])
        try code.block("public struct \(stem)Encoder") { b throws(SchemaError) in
            writeMessageStatics(message, into: &b)
            writeWrappedMemory(pointerType: "UnsafeMutableRawPointer", into: &b)
            b.line("@usableFromInline var sbePosition: Int")
            if hasCursor {
                b.line("@usableFromInline var sbeCursor: Int")
                b.line("@usableFromInline var sbeGroupOpen: Bool")
            }
            b.line()
            b.line("@usableFromInline")
            try b.block("init(sbeBuffer buffer: UnsafeMutableRawPointer, capacity: Int, startOffset: Int, offset: Int)") { i throws(SchemaError) in
                i.line("sbeBuffer = buffer")
                i.line("sbeCapacity = capacity")
                i.line("sbeStartOffset = startOffset")
                i.line("sbeOffset = offset")
                i.line("sbePosition = offset + \(message.block.blockLength)")
                if hasCursor {
                    i.line("sbeCursor = 0")
                    i.line("sbeGroupOpen = false")
                }
            }
            b.line()
            b.line("/// Wraps `capacity` bytes at `buffer` and writes the root block at `offset`, without a header.")
            b.line("@inlinable")
            try b.block("public init(wrap buffer: UnsafeMutableRawPointer, offset: Int, capacity: Int) throws(SBEError)") { i throws(SchemaError) in
                i.line("try SBEBounds.check(offset: offset, length: \(message.block.blockLength), capacity: capacity)")
                i.line("self.init(sbeBuffer: buffer, capacity: capacity, startOffset: offset, offset: offset)")
            }
            b.line()
            b.line("/// Writes the `\(header.type.name)` at `offset` (block length, template id, schema id, version), then wraps the root block after it.")
            b.line("@inlinable")
            try b.block("public init(wrapAndApplyHeader buffer: UnsafeMutableRawPointer, offset: Int, capacity: Int) throws(SBEError)") { i throws(SchemaError) in
                i.line("try SBEBounds.check(offset: offset, length: \(headerType)Encoder.encodedLength + \(message.block.blockLength), capacity: capacity)")
                i.line("let header = \(headerType)Encoder(unchecked: buffer, offset: offset)")
                i.line("header.\(headerMember(header.blockLength)) = Self.blockLength")
                i.line("header.\(headerMember(header.templateId)) = Self.templateId")
                i.line("header.\(headerMember(header.schemaId)) = Self.schemaId")
                i.line("header.\(headerMember(header.version)) = Self.schemaVersion")
                i.line("self.init(sbeBuffer: buffer, capacity: capacity, startOffset: offset, offset: offset + \(headerType)Encoder.encodedLength)")
            }
            b.line()
            b.line("/// Wraps `buffer` and writes the root block at `offset`, without a header.")
            b.line("@inlinable")
            try b.block("public init(wrap buffer: UnsafeMutableRawBufferPointer, offset: Int = 0) throws(SBEError)") { i throws(SchemaError) in
                i.line("guard let base = buffer.baseAddress else { throw SBEError.bufferTooShort(required: offset + \(message.block.blockLength), capacity: 0) }")
                i.line("try self.init(wrap: base, offset: offset, capacity: buffer.count)")
            }
            b.line()
            b.line("/// Writes the header into `buffer` at `offset`, then wraps the root block after it.")
            b.line("@inlinable")
            try b.block("public init(wrapAndApplyHeader buffer: UnsafeMutableRawBufferPointer, offset: Int = 0) throws(SBEError)") { i throws(SchemaError) in
                i.line("guard let base = buffer.baseAddress else { throw SBEError.bufferTooShort(required: offset + \(headerType)Encoder.encodedLength + \(message.block.blockLength), capacity: 0) }")
                i.line("try self.init(wrapAndApplyHeader: base, offset: offset, capacity: buffer.count)")
            }
            b.line()
            b.line("/// Bytes written so far from `sbeStartOffset` (header included when applied).")
            b.line("@inlinable")
            b.line("public var encodedLength: Int { sbePosition - sbeStartOffset }")
            b.line()
            b.line("/// Writes the groups and data not written yet as empty and returns `encodedLength`.")
            b.line("@inlinable @discardableResult")
            if hasCursor {
                try b.block("public mutating func finish() throws(SBEError) -> Int") { i throws(SchemaError) in
                    i.line("try sbeAdvance(to: \(message.block.groups.count + message.block.data.count))")
                    i.line("return encodedLength")
                }
            } else {
                b.line("public func finish() throws(SBEError) -> Int { encodedLength }")
            }
            b.line()
            try writeBlockEncoderMembers(message.block, blockNames, inGroup: false, into: &b)
        }
    }

    private func writeMessageStatics(_ message: SBEMessage, into b: inout CodeBuffer) {
        b.line("/// Template id of `\(message.name)`.")
        b.line("public static let templateId: \(headerSwiftType(header.templateId)) = \(message.id)")
        b.line("/// Id of the schema this codec was generated from.")
        b.line("public static let schemaId: \(headerSwiftType(header.schemaId)) = \(schema.id)")
        b.line("/// Version of the schema this codec was generated from.")
        b.line("public static let schemaVersion: \(headerSwiftType(header.version)) = \(schema.version)")
        b.line("/// Root block length written by this codec.")
        b.line("public static let blockLength: \(headerSwiftType(header.blockLength)) = \(message.block.blockLength)")
        b.line("/// Root block bytes the version-0 fields need; a shorter acting block length is rejected.")
        b.line("public static let minimumBlockLength = \(message.block.minimumBlockLength)")
        b.line()
    }

    // MARK: Block members shared by messages and group entries

    private func cursorEnd(_ block: SBEBlock) -> Int { block.groups.count + block.data.count }

    private func writeBlockDecoderMembers(_ block: SBEBlock, _ blockNames: BlockNames, inGroup: Bool, into b: inout CodeBuffer) throws(SchemaError) {
        let fields = inGroup ? self.fields.forGroupEntries() : self.fields
        for (field, entry) in zip(block.fields, blockNames.fields) {
            try fields.writeDecoder(FieldSpec(field: field), member: entry.member, stem: entry.stem, into: &b)
        }
        for (k, (group, entry)) in zip(block.groups, blockNames.groups).enumerated() {
            let type = groupTypeStem(entry) + "Decoder"
            b.doc(["The `\(group.name)` repeating group (id \(group.id))" + (group.sinceVersion > 0 ? ", since version \(group.sinceVersion)" : "") + "."]
                + (group.description.map { [$0] } ?? [])
                + ["", "Iterate with `while try group.next() { ... }`. Groups and data before it that were not read are skipped."])
            b.line("@inlinable")
            try b.block("public mutating func \(entry.member)() throws(SBEError) -> \(type)") { i throws(SchemaError) in
                i.line("try sbeAdvance(to: \(k))")
                if group.sinceVersion > 0 {
                    i.line("guard sbeActingVersion >= \(group.sinceVersion) else {")
                    i.line("    sbeCursor = \(k + 1)")
                    i.line("    return \(type)(sbeEmpty: sbeBuffer, capacity: sbeCapacity, actingVersion: sbeActingVersion)")
                    i.line("}")
                }
                i.line("let group = try \(type)(sbeBuffer: sbeBuffer, capacity: sbeCapacity, headerOffset: sbePosition, actingVersion: sbeActingVersion)")
                i.line("var walker = group")
                i.line("sbePosition = try walker.sbeSkipAll()")
                i.line("sbeCursor = \(k + 1)")
                i.line("return group")
            }
            b.line()
        }
        for (j, (data, entry)) in zip(block.data, blockNames.data).enumerated() {
            let k = block.groups.count + j
            b.doc(["`\(data.name)` (id \(data.id)): variable-length \(data.characterEncoding.map { "\($0) text" } ?? "bytes") with a \(data.lengthType) length, at most \(data.maxLength) bytes"
                    + (data.sinceVersion > 0 ? ", since version \(data.sinceVersion)" : "") + "."]
                + (data.description.map { [$0] } ?? [])
                + ["", "Returns a view into the buffer (no copy), valid while the buffer is. Empty when absent."])
            b.line("@inlinable")
            try b.block("public mutating func \(entry.member)() throws(SBEError) -> UnsafeRawBufferPointer") { i throws(SchemaError) in
                i.line("try sbeAdvance(to: \(k))")
                if data.sinceVersion > 0 {
                    i.line("guard sbeActingVersion >= \(data.sinceVersion) else {")
                    i.line("    sbeCursor = \(k + 1)")
                    i.line("    return UnsafeRawBufferPointer(start: nil, count: 0)")
                    i.line("}")
                }
                i.line("let bytes = try SBEVarData.read(sbeBuffer, capacity: sbeCapacity, position: &sbePosition, lengthType: .\(data.lengthType), maxLength: \(data.maxLength))")
                i.line("sbeCursor = \(k + 1)")
                i.line("return bytes")
            }
            b.line()
            b.line("/// `\(data.name)` decoded as a String (allocates; not for hot paths).")
            b.line("public mutating func \(entry.stem)String() throws(SBEError) -> String { SBEText.string(try \(entry.member)()) }")
            b.line()
            b.line("/// Copies `\(data.name)` into `destination` (no allocation); returns the number of bytes copied.")
            b.line("@inlinable")
            try b.block("public mutating func get\(entry.upperStem)(into destination: UnsafeMutableRawBufferPointer) throws(SBEError) -> Int") { i throws(SchemaError) in
                i.line("try SBEVarData.copy(try \(entry.member)(), into: destination)")
            }
            b.line()
        }
        try writeAdvance(
            block, blockNames, doc: "skipping the groups and data before it",
            guardCondition: "sbeCursor <= target",
            groupStep: { "_ = try \($0.member)()" }, dataStep: { "_ = try \($0.member)()" }, into: &b)
        for (group, entry) in zip(block.groups, blockNames.groups) {
            try writeGroupDecoder(group, typeName: groupTypeStem(entry) + "Decoder", into: &b)
            b.line()
        }
    }

    /// `sbeAdvance(to:)` of a decoder or an encoder block: steps the cursor over the groups and var data before
    /// `target` (SBE order), each with `groupStep`/`dataStep`; nothing when the block has neither.
    private func writeAdvance(
        _ block: SBEBlock, _ blockNames: BlockNames, doc: String, guardCondition: String,
        groupStep: (BlockNames.Entry) -> String, dataStep: (BlockNames.Entry) -> String, into b: inout CodeBuffer
    ) throws(SchemaError) {
        guard cursorEnd(block) > 0 else { return }
        b.line("/// Moves the cursor to element `target`, \(doc).")
        b.line("@inlinable")
        try b.block("mutating func sbeAdvance(to target: Int) throws(SBEError)") { i throws(SchemaError) in
            i.line("guard \(guardCondition) else { throw SBEError.accessOutOfOrder }")
            try i.block("while sbeCursor < target") { w throws(SchemaError) in
                try w.switchBlock("switch sbeCursor") { s throws(SchemaError) in
                    let steps = blockNames.groups.map(groupStep) + blockNames.data.map(dataStep)
                    for (k, step) in steps.enumerated() { s.line("case \(k): \(step)") }
                    s.line("default: throw SBEError.accessOutOfOrder")
                }
            }
        }
        b.line()
    }

    private func writeBlockEncoderMembers(_ block: SBEBlock, _ blockNames: BlockNames, inGroup: Bool, into b: inout CodeBuffer) throws(SchemaError) {
        let fields = inGroup ? self.fields.forGroupEntries() : self.fields
        for (field, entry) in zip(block.fields, blockNames.fields) {
            try fields.writeEncoder(FieldSpec(field: field), member: entry.member, stem: entry.stem, into: &b)
        }
        for (k, (group, entry)) in zip(block.groups, blockNames.groups).enumerated() {
            let type = groupTypeStem(entry) + "Encoder"
            b.doc(["Starts the `\(group.name)` repeating group (id \(group.id)) with `count` entries.",
                   "",
                   "Call `next()` on the returned group before filling each entry, then hand it back with",
                   "`end\(entry.upperStem)(_:)`. Throws when `count` exceeds \(group.dimension.maxCount) or the buffer is full."])
            b.line("@inlinable")
            try b.block("public mutating func \(entry.stem)Count(_ count: Int) throws(SBEError) -> \(type)") { i throws(SchemaError) in
                i.line("try sbeAdvance(to: \(k))")
                i.line("let group = try \(type)(sbeBuffer: sbeBuffer, capacity: sbeCapacity, headerOffset: sbePosition, count: count)")
                i.line("sbeGroupOpen = true")
                i.line("return group")
            }
            b.line()
            b.line("/// Closes the `\(group.name)` group: every announced entry must have been started with `next()`.")
            b.line("@inlinable")
            try b.block("public mutating func end\(entry.upperStem)(_ group: \(type)) throws(SBEError)") { i throws(SchemaError) in
                i.line("guard sbeGroupOpen, sbeCursor == \(k) else { throw SBEError.accessOutOfOrder }")
                i.line("var group = group")
                i.line("sbePosition = try group.sbeClose()")
                i.line("sbeGroupOpen = false")
                i.line("sbeCursor = \(k + 1)")
            }
            b.line()
        }
        for (j, (data, entry)) in zip(block.data, blockNames.data).enumerated() {
            let k = block.groups.count + j
            let ascii = data.characterEncoding?.uppercased().contains("ASCII") == true
            b.doc(["Writes `\(data.name)` (id \(data.id)): variable-length \(data.characterEncoding.map { "\($0) text" } ?? "bytes") with a \(data.lengthType) length, at most \(data.maxLength) bytes."]
                + (data.description.map { [$0] } ?? []))
            b.line("@inlinable")
            try b.block("public mutating func \(entry.member)(_ bytes: UnsafeRawBufferPointer) throws(SBEError)") { i throws(SchemaError) in
                i.line("try sbeAdvance(to: \(k))")
                i.line("try SBEVarData.write(sbeBuffer, capacity: sbeCapacity, position: &sbePosition, bytes: bytes, lengthType: .\(data.lengthType), maxLength: \(data.maxLength))")
                i.line("sbeCursor = \(k + 1)")
            }
            b.line()
            b.line("/// Writes `\(data.name)` from a byte array.")
            b.line("@inlinable")
            try b.block("public mutating func \(entry.member)(_ bytes: [UInt8]) throws(SBEError)") { i throws(SchemaError) in
                i.line("try SBEText.withBytes(of: bytes) { (raw: UnsafeRawBufferPointer) throws(SBEError) in")
                i.line("    try self.\(entry.member)(raw)")
                i.line("}")
            }
            b.line()
            b.line("/// Writes `\(data.name)` from a string\(ascii ? " (US-ASCII only: other characters throw)" : " (its UTF-8 bytes)").")
            try b.block("public mutating func \(entry.member)(_ value: String) throws(SBEError)") { i throws(SchemaError) in
                i.line("try SBEText.withBytes(of: value, asciiOnly: \(ascii)) { (bytes: UnsafeRawBufferPointer) throws(SBEError) in")
                i.line("    try self.\(entry.member)(bytes)")
                i.line("}")
            }
            b.line()
        }
        try writeAdvance(
            block, blockNames, doc: "writing skipped groups and data as empty",
            guardCondition: "!sbeGroupOpen, sbeCursor <= target",
            groupStep: { "let group = try \($0.stem)Count(0); try end\($0.upperStem)(group)" },
            dataStep: { "try \($0.member)(UnsafeRawBufferPointer(start: nil, count: 0))" }, into: &b)
        for (group, entry) in zip(block.groups, blockNames.groups) {
            try writeGroupEncoder(group, typeName: groupTypeStem(entry) + "Encoder", into: &b)
            b.line()
        }
    }

    // MARK: Groups

    private func dimensionLoad(_ type: SBEPrimitiveType, _ offset: String) -> String {
        "SBEWire.load\(type.swiftType)(buffer, \(offset))"
    }

    private func writeGroupDecoder(_ group: SBEGroup, typeName: String, into code: inout CodeBuffer) throws(SchemaError) {
        let block = group.block
        guard block.blockLength <= SBEEmptyBlock.size else {
            throw SchemaError("group '\(group.name)': block length \(block.blockLength) exceeds \(SBEEmptyBlock.size)")
        }
        let dim = group.dimension
        let blockNames = try BlockNames(block: block, owner: "group '\(group.name)'")
        let end = cursorEnd(block)
        code.doc(["Reads entries of the `\(group.name)` group (id \(group.id), block length \(block.blockLength), dimension `\(dim.type.name)`)."]
            + (group.description.map { ["", $0] } ?? []))
        try code.block("public struct \(typeName)") { b throws(SchemaError) in
            b.line("/// Entry block length written by this schema version.")
            b.line("public static let blockLength: \(dim.blockLengthType.swiftType) = \(block.blockLength)")
            b.line("/// Entry bytes the version-0 fields need; a shorter acting block length is rejected.")
            b.line("public static let minimumBlockLength = \(block.minimumBlockLength)")
            b.line()
            b.line("/// Start of the wrapped memory (not owned: it must outlive the flyweight).")
            b.line("public let sbeBuffer: UnsafeRawPointer")
            b.line("/// Bytes readable/writable from `sbeBuffer`; nothing past it is ever touched.")
            b.line("public let sbeCapacity: Int")
            b.line("/// Schema version the data was written with; newer fields read as nil.")
            b.line("public let sbeActingVersion: Int")
            b.line("/// Block length the data was written with (from the header or the group dimension).")
            b.line("public let sbeActingBlockLength: Int")
            b.line("/// Number of entries announced by the dimension header.")
            b.line("public let count: Int")
            b.line("@usableFromInline var sbeIndex: Int")
            b.line("/// Offset of the current entry's block.")
            b.line("@usableFromInline var sbeOffset: Int")
            b.line("/// The current entry's block; zeroed memory before the first entry, so fields read before")
            b.line("/// `next()` (or of an empty group) read zeros, never past the buffer.")
            b.line("@usableFromInline var sbeBlock: UnsafeRawPointer")
            b.line("@usableFromInline var sbePosition: Int")
            if end > 0 { b.line("@usableFromInline var sbeCursor: Int") }
            b.line()
            b.line("@inlinable")
            try b.block("init(sbeBuffer buffer: UnsafeRawPointer, capacity: Int, headerOffset: Int, actingVersion: Int) throws(SBEError)") { i throws(SchemaError) in
                i.line("try SBEBounds.check(offset: headerOffset, length: \(dim.type.size), capacity: capacity)")
                i.line("let blockLength = Int(\(dimensionLoad(dim.blockLengthType, "headerOffset + \(dim.blockLengthOffset)")))")
                i.line("guard blockLength >= Self.minimumBlockLength else {")
                i.line("    throw SBEError.blockLengthTooSmall(minimum: Self.minimumBlockLength, actual: blockLength)")
                i.line("}")
                i.line("sbeBuffer = buffer")
                i.line("sbeCapacity = capacity")
                i.line("sbeActingVersion = actingVersion")
                i.line("sbeActingBlockLength = blockLength")
                i.line("let count = Int(\(dimensionLoad(dim.numInGroupType, "headerOffset + \(dim.numInGroupOffset)")))")
                if dim.maxCount < (dim.numInGroupType == .uint8 ? 255 : dim.numInGroupType == .uint16 ? 65535 : Int(UInt32.max)) {
                    i.line("guard count <= \(dim.maxCount) else { throw SBEError.groupCountOutOfRange(count: count, maximum: \(dim.maxCount)) }")
                }
                i.line("self.count = count")
                i.line("sbeIndex = -1")
                i.line("sbePosition = headerOffset + \(dim.type.size)")
                i.line("sbeOffset = sbePosition")
                i.line("sbeBlock = SBEEmptyBlock.readable")
                if end > 0 { i.line("sbeCursor = \(end)") }
            }
            b.line()
            b.line("/// An empty group, for a group newer than the acting version.")
            b.line("@inlinable")
            try b.block("init(sbeEmpty buffer: UnsafeRawPointer, capacity: Int, actingVersion: Int)") { i throws(SchemaError) in
                i.line("sbeBuffer = buffer")
                i.line("sbeCapacity = capacity")
                i.line("sbeActingVersion = actingVersion")
                i.line("sbeActingBlockLength = \(block.blockLength)")
                i.line("count = 0")
                i.line("sbeIndex = -1")
                i.line("sbePosition = 0")
                i.line("sbeOffset = 0")
                i.line("sbeBlock = SBEEmptyBlock.readable")
                if end > 0 { i.line("sbeCursor = \(end)") }
            }
            b.line()
            b.line("/// Index of the current entry (-1 before the first `next()`).")
            b.line("@inlinable public var index: Int { sbeIndex }")
            b.line()
            b.line("/// Whether another entry follows the current one.")
            b.line("@inlinable public var hasNext: Bool { sbeIndex + 1 < count }")
            b.line()
            b.line("/// Moves to the next entry; returns false after the last one. Unread groups and data of the")
            b.line("/// current entry are skipped. Throws when the entry does not fit the buffer.")
            b.line("@inlinable")
            try b.block("public mutating func next() throws(SBEError) -> Bool") { i throws(SchemaError) in
                if end > 0 { i.line("if sbeIndex >= 0 { try sbeAdvance(to: \(end)) }") }
                i.line("guard sbeIndex + 1 < count else { return false }")
                i.line("try SBEBounds.check(offset: sbePosition, length: sbeActingBlockLength, capacity: sbeCapacity)")
                i.line("sbeIndex += 1")
                i.line("sbeOffset = sbePosition")
                i.line("sbeBlock = UnsafeRawPointer(sbeBuffer + sbeOffset)")
                i.line("sbePosition = sbeOffset + sbeActingBlockLength")
                if end > 0 { i.line("sbeCursor = 0") }
                i.line("return true")
            }
            b.line()
            b.line("/// Skips the remaining entries and returns the offset just past the group.")
            b.line("@inlinable")
            try b.block("mutating func sbeSkipAll() throws(SBEError) -> Int") { i throws(SchemaError) in
                if end > 0 {
                    i.line("while try next() {}")
                    i.line("return sbePosition")
                } else {
                    i.line("let remaining = count - (sbeIndex + 1)")
                    i.line("let (bytes, overflow) = remaining.multipliedReportingOverflow(by: sbeActingBlockLength)")
                    i.line("guard !overflow else { throw SBEError.bufferTooShort(required: Int.max, capacity: sbeCapacity) }")
                    i.line("try SBEBounds.check(offset: sbePosition, length: bytes, capacity: sbeCapacity)")
                    i.line("sbeIndex = count - 1")
                    i.line("sbePosition += bytes")
                    i.line("return sbePosition")
                }
            }
            b.line()
            try writeBlockDecoderMembers(block, blockNames, inGroup: true, into: &b)
        }
    }

    private func writeGroupEncoder(_ group: SBEGroup, typeName: String, into code: inout CodeBuffer) throws(SchemaError) {
        let block = group.block
        let dim = group.dimension
        let blockNames = try BlockNames(block: block, owner: "group '\(group.name)'")
        let end = cursorEnd(block)
        code.doc(["Writes entries of the `\(group.name)` group (id \(group.id), block length \(block.blockLength), dimension `\(dim.type.name)`)."]
            + (group.description.map { ["", $0] } ?? []))
        try code.block("public struct \(typeName)") { b throws(SchemaError) in
            b.line("/// Entry block length written by this codec.")
            b.line("public static let blockLength: \(dim.blockLengthType.swiftType) = \(block.blockLength)")
            b.line()
            b.line("/// Start of the wrapped memory (not owned: it must outlive the flyweight).")
            b.line("public let sbeBuffer: UnsafeMutableRawPointer")
            b.line("/// Bytes readable/writable from `sbeBuffer`; nothing past it is ever touched.")
            b.line("public let sbeCapacity: Int")
            b.line("/// Number of entries announced in the dimension header.")
            b.line("public let count: Int")
            b.line("@usableFromInline var sbeIndex: Int")
            b.line("/// Offset of the current entry's block.")
            b.line("@usableFromInline var sbeOffset: Int")
            b.line("/// The current entry's block; scratch memory before the first `next()`, so fields set too")
            b.line("/// early are discarded instead of written outside the buffer.")
            b.line("@usableFromInline var sbeBlock: UnsafeMutableRawPointer")
            b.line("@usableFromInline var sbePosition: Int")
            if end > 0 {
                b.line("@usableFromInline var sbeCursor: Int")
                b.line("@usableFromInline var sbeGroupOpen: Bool")
            }
            b.line()
            b.line("@inlinable")
            try b.block("init(sbeBuffer buffer: UnsafeMutableRawPointer, capacity: Int, headerOffset: Int, count: Int) throws(SBEError)") { i throws(SchemaError) in
                i.line("guard count >= 0, count <= \(dim.maxCount) else { throw SBEError.groupCountOutOfRange(count: count, maximum: \(dim.maxCount)) }")
                i.line("// The fixed part of every entry must fit now: a bad count fails before anything is written.")
                i.line("try SBEBounds.check(offset: headerOffset, length: \(dim.type.size) + count * \(block.blockLength), capacity: capacity)")
                i.line("SBEWire.store\(dim.blockLengthType.swiftType)(buffer, headerOffset + \(dim.blockLengthOffset), Self.blockLength)")
                i.line("SBEWire.store\(dim.numInGroupType.swiftType)(buffer, headerOffset + \(dim.numInGroupOffset), \(dim.numInGroupType.swiftType)(truncatingIfNeeded: count))")
                i.line("sbeBuffer = buffer")
                i.line("sbeCapacity = capacity")
                i.line("self.count = count")
                i.line("sbeIndex = -1")
                i.line("sbePosition = headerOffset + \(dim.type.size)")
                i.line("sbeOffset = sbePosition")
                i.line("sbeBlock = SBEEmptyBlock.scratch")
                if end > 0 {
                    i.line("sbeCursor = \(end)")
                    i.line("sbeGroupOpen = false")
                }
            }
            b.line()
            b.line("/// Index of the current entry (-1 before the first `next()`).")
            b.line("@inlinable public var index: Int { sbeIndex }")
            b.line()
            b.line("/// Starts the next entry (call before setting its fields). Throws after `count` entries or")
            b.line("/// when the buffer is full. Groups and data of the previous entry not written are written empty.")
            b.line("@inlinable")
            try b.block("public mutating func next() throws(SBEError)") { i throws(SchemaError) in
                if end > 0 { i.line("if sbeIndex >= 0 { try sbeAdvance(to: \(end)) }") }
                i.line("guard sbeIndex + 1 < count else { throw SBEError.groupEntryOverflow(count: count) }")
                i.line("try SBEBounds.check(offset: sbePosition, length: \(block.blockLength), capacity: sbeCapacity)")
                i.line("sbeIndex += 1")
                i.line("sbeOffset = sbePosition")
                i.line("sbeBlock = sbeBuffer + sbeOffset")
                i.line("sbePosition = sbeOffset + \(block.blockLength)")
                if end > 0 { i.line("sbeCursor = 0") }
            }
            b.line()
            b.line("/// Completes the last entry and returns the offset just past the group.")
            b.line("@inlinable")
            try b.block("mutating func sbeClose() throws(SBEError) -> Int") { i throws(SchemaError) in
                if end > 0 { i.line("if sbeIndex >= 0 { try sbeAdvance(to: \(end)) }") }
                i.line("guard sbeIndex + 1 == count else { throw SBEError.groupIncomplete(written: sbeIndex + 1, count: count) }")
                i.line("return sbePosition")
            }
            b.line()
            try writeBlockEncoderMembers(block, blockNames, inGroup: true, into: &b)
        }
    }
}
