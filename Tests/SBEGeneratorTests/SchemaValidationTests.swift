import SBE
import SBEGenerator
import Testing

/// Invalid schemas are rejected with an error that says what is wrong.
@Suite struct SchemaValidationTests {
    static func schema(types: String = "", messages: String, version: Int = 0) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <sbe:messageSchema xmlns:sbe="http://fixprotocol.io/2016/sbe" package="t" id="5" version="\(version)">
          <types>
            <composite name="messageHeader">
              <type name="blockLength" primitiveType="uint16"/>
              <type name="templateId" primitiveType="uint16"/>
              <type name="schemaId" primitiveType="uint16"/>
              <type name="version" primitiveType="uint16"/>
            </composite>
            <composite name="groupSizeEncoding">
              <type name="blockLength" primitiveType="uint16"/>
              <type name="numInGroup" primitiveType="uint16"/>
            </composite>
            <composite name="varData8">
              <type name="length" primitiveType="uint8"/>
              <type name="varData" primitiveType="uint8" length="0"/>
            </composite>
            \(types)
          </types>
          \(messages)
        </sbe:messageSchema>
        """
    }

    static func error(_ xml: String) -> String? {
        do {
            let schema = try SchemaParser.parse(xml)
            _ = try SBECodeGenerator(schemaName: "T", sourceDescription: "test").generate(schema)
            return nil
        } catch {
            return error.description
        }
    }

    static let cases: [(String, String, String)] = [
        ("unknown type", schema(messages: #"<sbe:message name="M" id="1"><field name="a" id="1" type="nope"/></sbe:message>"#), "unknown type 'nope'"),
        ("duplicate type", schema(types: #"<type name="X" primitiveType="uint8"/><enum name="X" encodingType="uint8"><validValue name="A">1</validValue></enum>"#, messages: ""), "duplicate type name 'X'"),
        ("duplicate field", schema(messages: #"<sbe:message name="M" id="1"><field name="a" id="1" type="uint8"/><field name="a" id="2" type="uint8"/></sbe:message>"#), "duplicate name 'a'"),
        ("duplicate field id", schema(messages: #"<sbe:message name="M" id="1"><field name="a" id="1" type="uint8"/><field name="b" id="1" type="uint8"/></sbe:message>"#), "duplicate id 1"),
        ("duplicate message name", schema(messages: #"<sbe:message name="M" id="1"/><sbe:message name="M" id="2"/>"#), "duplicate message name 'M'"),
        ("duplicate message id", schema(messages: #"<sbe:message name="M" id="1"/><sbe:message name="N" id="1"/>"#), "duplicate message id 1"),
        ("field after group", schema(messages: #"<sbe:message name="M" id="1"><group name="g" id="1"><field name="x" id="1" type="uint8"/></group><field name="a" id="2" type="uint8"/></sbe:message>"#), "follows a group or data"),
        ("group after data", schema(messages: #"<sbe:message name="M" id="1"><data name="d" id="1" type="varData8"/><group name="g" id="2"/></sbe:message>"#), "follows data"),
        ("bad null value", schema(messages: #"<sbe:message name="M" id="1"><field name="a" id="1" type="uint8" presence="optional" nullValue="256"/></sbe:message>"#), "does not fit uint8"),
        ("unknown primitive", schema(types: #"<type name="X" primitiveType="uint128"/>"#, messages: ""), "unknown primitiveType 'uint128'"),
        ("constant without value", schema(types: #"<type name="X" primitiveType="uint8" presence="constant"/>"#, messages: ""), "has no value"),
        ("bad valueRef", schema(types: #"<enum name="E" encodingType="uint8"><validValue name="A">1</validValue></enum>"#, messages: #"<sbe:message name="M" id="1"><field name="a" id="1" type="E" presence="constant" valueRef="E.Z"/></sbe:message>"#), "valueRef 'E.Z'"),
        ("duplicate enum value", schema(types: #"<enum name="E" encodingType="uint8"><validValue name="A">1</validValue><validValue name="B">1</validValue></enum>"#, messages: ""), "duplicate value 1"),
        ("set bit out of range", schema(types: #"<set name="S" encodingType="uint8"><choice name="a">8</choice></set>"#, messages: ""), "invalid bit '8'"),
        ("sinceVersion too new", schema(messages: #"<sbe:message name="M" id="1"><field name="a" id="1" type="uint8" sinceVersion="2"/></sbe:message>"#, version: 1), "sinceVersion"),
        ("self-referencing composite", schema(types: #"<composite name="C"><ref name="c" type="C"/></composite>"#, messages: ""), "refers to itself"),
        ("block length too small", schema(messages: #"<sbe:message name="M" id="1" blockLength="1"><field name="a" id="1" type="uint32"/></sbe:message>"#), "smaller than its fields"),
        ("bad data type", schema(messages: #"<sbe:message name="M" id="1"><data name="d" id="1" type="uint8"/></sbe:message>"#), "is not a composite"),
        ("malformed XML", "<sbe:messageSchema package='t' id='1'><types>", "malformed XML"),
        ("wrong root", "<types/>", "expected <messageSchema>"),
        ("big endian", #"<messageSchema package="t" id="1" byteOrder="bigEndian"/>"#, "not supported"),
        ("missing header", #"<messageSchema package="t" id="1"><types/></messageSchema>"#, "unknown type 'messageHeader'"),
        ("Swift name clash", schema(types: #"<type name="x" primitiveType="uint8"/><composite name="Engine"><type name="a" primitiveType="uint8"/></composite><composite name="engine"><type name="b" primitiveType="uint8"/></composite>"#, messages: ""), "same Swift name"),
    ]

    @Test(arguments: 0..<cases.count)
    func invalidSchemaIsRejected(index: Int) {
        let (name, xml, expected) = Self.cases[index]
        let message = Self.error(xml)
        #expect(message?.contains(expected) == true, "\(name): got \(message ?? "no error")")
    }

    @Test func validSchemaWithPrimitiveTypeReferencesIsAccepted() throws {
        let xml = Self.schema(messages: #"<sbe:message name="M" id="1"><field name="a" id="1" type="uint32"/><field name="b" id="2" type="double" presence="optional"/></sbe:message>"#)
        let schema = try SchemaParser.parse(xml)
        #expect(schema.messages[0].block.blockLength == 12)
        #expect(schema.messages[0].block.fields[1].nullValue == "NaN")
    }

    @Test func explicitOffsetsAndBlockLengthsAreHonoured() throws {
        let xml = Self.schema(
            types: #"<composite name="Padded"><type name="a" primitiveType="uint8"/><type name="b" primitiveType="uint32" offset="4"/></composite>"#,
            messages: #"<sbe:message name="M" id="1" blockLength="40"><field name="x" id="1" type="uint8"/><field name="y" id="2" type="Padded" offset="8"/><field name="z" id="3" type="uint16" sinceVersion="0"/><group name="g" id="4" blockLength="12"><field name="q" id="1" type="uint32" offset="4"/></group></sbe:message>"#)
        let schema = try SchemaParser.parse(xml)
        let block = schema.messages[0].block
        #expect(block.blockLength == 40)
        #expect(block.fields.map(\.offset) == [0, 8, 16])
        #expect(block.minimumBlockLength == 18)
        guard case let .composite(padded) = block.fields[1].type else { Issue.record("not a composite"); return }
        #expect(padded.size == 8 && padded.members.map(\.offset) == [0, 4])
        #expect(block.groups[0].block.blockLength == 12 && block.groups[0].block.fields[0].offset == 4)
        #expect(block.groups[0].dimension.maxCount == 65535)
    }

    @Test func tensorPoolSchemaLayoutMatchesTheSpecification() throws {
        let url = CarSchemaFiles.testsDirectory.appendingPathComponent("../../schemas/tensor-pool.xml").standardized
        let schema = try SchemaParser.parse(contentsOf: url)
        #expect(schema.id == 900 && schema.version == 1)
        let superblock = try #require(schema.message(named: "ShmRegionSuperblock"))
        #expect(superblock.block.blockLength == 64)
        #expect(superblock.block.fields.map(\.offset) == [0, 8, 12, 20, 24, 26, 28, 32, 36, 40, 48, 56])
        let slot = try #require(schema.message(named: "TensorSlotHeader256"))
        #expect(slot.block.blockLength == 256)
        #expect(slot.block.fields.map(\.offset) == [0, 8, 16, 24, 28, 32, 36, 40, 42, 44, 46, 47, 48, 80, 112])
    }
}

@Suite struct SwiftNamesTests {
    @Test func generatedNamesFollowSwiftConventions() throws {
        let xml = SchemaValidationTests.schema(
            types: #"<enum name="Bool" encodingType="uint8"><validValue name="FALSE">0</validValue><validValue name="TRUE">1</validValue><validValue name="INVALID_PARAMS">2</validValue><validValue name="UNRECOGNIZED">3</validValue></enum>"#,
            messages: #"<sbe:message name="shm_pool" id="1"><field name="default" id="1" type="Bool"/><field name="count" id="2" type="uint8"/></sbe:message>"#)
        let files = try SBECodeGenerator(schemaName: "T", sourceDescription: "test").generate(try SchemaParser.parse(xml))
        let enumFile = try #require(files.first { $0.name == "BoolEnum.swift" }).contents
        #expect(enumFile.contains("public enum BoolEnum: Hashable, Sendable"), "a type named Bool would shadow Swift.Bool")
        #expect(enumFile.contains("case `false`"))
        #expect(enumFile.contains("case invalidParams"))
        #expect(enumFile.contains("case sbeUnrecognized(UInt8)"), "the unknown-value case must not clash with a schema value")
        let message = try #require(files.first { $0.name == "ShmPool.swift" }).contents
        #expect(message.contains("public var `default`: BoolEnum"))
        #expect(message.contains("public var countField: UInt8"), "a field named count must not hide the group API")
    }
}
