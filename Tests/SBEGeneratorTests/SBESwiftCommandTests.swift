import AeronInteropSupport
import Foundation
import SBEGenerator
import Testing

/// The `sbe-swift` executable: same output as the library, clear errors, non-zero exits.
@Suite struct SBESwiftCommandTests {
    static func executable() throws -> URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidates: [URL] = []
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent("sbe-swift"))
            directory = directory.deletingLastPathComponent()
        }
        candidates.append(CarSchemaFiles.testsDirectory.appendingPathComponent("../../.build/debug/sbe-swift").standardized)
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "sbe-swift not built; looked in \(candidates.map(\.path))"])
        }
        return found
    }

    /// Runs `sbe-swift` to completion (bounded, see ``BoundedProcessRun``).
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let run = try BoundedProcessRun.run(executable(), arguments, timeout: 60)
        return (run.signalled ? -run.status : run.status, run.stdout, run.stderr)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sbe-swift-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func writesTheSameFilesAsTheLibrary() throws {
        let out = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try Self.run([CarSchemaFiles.v0.path, out.path, "--name", "CarV0", "--type-prefix", "V0",
                                   "--source", "Tests/SBEGeneratorTests/Resources/car-v0.xml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("wrote 18 files"))
        let schema = try SchemaParser.parse(contentsOf: CarSchemaFiles.v0)
        let files = try SBECodeGenerator(schemaName: "CarV0", sourceDescription: "Tests/SBEGeneratorTests/Resources/car-v0.xml", typePrefix: "V0").generate(schema)
        for file in files {
            let written = try String(contentsOf: out.appendingPathComponent(file.name), encoding: .utf8)
            #expect(written == file.contents, "\(file.name)")
        }
    }

    @Test func invalidSchemaFailsWithTheReason() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let schema = directory.appendingPathComponent("bad.xml")
        try Data(SchemaValidationTests.schema(messages: #"<sbe:message name="M" id="1"><field name="a" id="1" type="Missing"/></sbe:message>"#).utf8).write(to: schema)
        let result = try Self.run([schema.path, directory.appendingPathComponent("out").path, "--name", "Bad"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("unknown type 'Missing'"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out").path), "nothing written on error")

        let missing = try Self.run([directory.appendingPathComponent("nope.xml").path, directory.path, "--name", "X"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("cannot read"))

        let usage = try Self.run(["only-one-argument"])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("usage: sbe-swift"))
    }
}
