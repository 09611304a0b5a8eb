import Foundation
import SBE

/// Reads an SBE XML message schema into the resolved model `SBESchema`, rejecting invalid schemas with
/// a `SchemaError` that names the problem and its line.
public enum SchemaParser {
    /// Parses and resolves the schema file at `url` (read errors become a ``SchemaError``).
    public static func parse(contentsOf url: URL) throws(SchemaError) -> SBESchema {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SchemaError("cannot read \(url.path): \(error.localizedDescription)")
        }
        return try parse(data)
    }

    /// Parses and resolves a schema given as XML text.
    public static func parse(_ xml: String) throws(SchemaError) -> SBESchema {
        try parse(Data(xml.utf8))
    }

    /// Parses and resolves a schema given as XML bytes (UTF-8 or as declared in the XML prolog).
    public static func parse(_ data: Data) throws(SchemaError) -> SBESchema {
        let root = try XMLElementTreeBuilder.parse(data)
        guard root.name == "messageSchema" else {
            throw SchemaError("root element is <\(root.name)>, expected <messageSchema>", line: root.line)
        }
        guard let package = root.attribute("package"), !package.isEmpty else {
            throw SchemaError("messageSchema has no package", line: root.line)
        }
        guard let idText = root.attribute("id"), let id = Int(idText), id >= 0, id <= Int(UInt16.max) else {
            throw SchemaError("messageSchema has no valid id", line: root.line)
        }
        let versionText = root.attribute("version") ?? "0"
        guard let version = Int(versionText), version >= 0 else {
            throw SchemaError("messageSchema has invalid version '\(versionText)'", line: root.line)
        }
        let byteOrder = root.attribute("byteOrder") ?? "littleEndian"
        guard byteOrder == "littleEndian" else {
            throw SchemaError("byteOrder '\(byteOrder)' is not supported (littleEndian only)", line: root.line)
        }
        var types = try TypeResolver(
            typesSections: root.children.filter { $0.name == "types" }, schemaVersion: version)
        let headerName = root.attribute("headerType") ?? "messageHeader"
        let header = try messageHeader(try types.resolve(name: headerName, line: root.line), name: headerName)
        let namedTypes = try types.allTypes()
        var layout = MessageLayout(types: types, schemaVersion: version)
        var messages: [SBEMessage] = []
        for element in root.children {
            switch element.name {
            case "types":
                continue
            case "message":
                let message = try layout.message(element)
                if messages.contains(where: { $0.name == message.name }) {
                    throw SchemaError("duplicate message name '\(message.name)'", line: element.line)
                }
                if messages.contains(where: { $0.id == message.id }) {
                    throw SchemaError("duplicate message id \(message.id)", line: element.line)
                }
                messages.append(message)
            default:
                throw SchemaError("unexpected element <\(element.name)> in messageSchema", line: element.line)
            }
        }
        return SBESchema(
            package: package, id: id, version: version, semanticVersion: root.attribute("semanticVersion"),
            description: root.attribute("description"), header: header, types: namedTypes, messages: messages)
    }

    private static func messageHeader(_ type: SBEType, name: String) throws(SchemaError) -> SBEMessageHeader {
        guard case let .composite(composite) = type else {
            throw SchemaError("header type '\(name)' is not a composite")
        }
        func member(_ memberName: String) throws(SchemaError) -> SBECompositeMember {
            guard let m = composite.member(memberName), case let .encoded(t) = m.type, t.length == 1,
                  [.uint8, .uint16, .uint32].contains(t.primitiveType) else {
                throw SchemaError("header type '\(name)' needs an unsigned integer member '\(memberName)'")
            }
            return m
        }
        return SBEMessageHeader(
            type: composite, blockLength: try member("blockLength"), templateId: try member("templateId"),
            schemaId: try member("schemaId"), version: try member("version"))
    }
}
