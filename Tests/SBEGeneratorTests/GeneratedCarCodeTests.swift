import Foundation
import SBE
import SBEGenerator
import Testing

/// Locations of the test schemas and the checked-in code generated from them.
enum CarSchemaFiles {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let v1 = testsDirectory.appendingPathComponent("Resources/car-v1.xml")
    static let v0 = testsDirectory.appendingPathComponent("Resources/car-v0.xml")
    static let hint = "SBE_REGENERATE=1 swift test --filter GeneratedCarCodeTests"

    static func generate(v1 isV1: Bool) throws -> [GeneratedFile] {
        let url = isV1 ? v1 : v0
        let schema = try SchemaParser.parse(contentsOf: url)
        let generator = SBECodeGenerator(
            schemaName: isV1 ? "Car" : "CarV0",
            sourceDescription: "Tests/SBEGeneratorTests/Resources/\(url.lastPathComponent)",
            typePrefix: isV1 ? "" : "V0", regenerateHint: hint)
        return try generator.generate(schema)
    }

    static func directory(v1 isV1: Bool) -> URL {
        testsDirectory.appendingPathComponent(isV1 ? "Generated/CarV1" : "Generated/CarV0")
    }
}

/// The Car codecs compiled into this test target must be exactly what the generator produces now.
@Suite struct GeneratedCarCodeTests {
    @Test(arguments: [true, false])
    func checkedInCodeMatchesGenerator(v1: Bool) throws {
        let files = try CarSchemaFiles.generate(v1: v1)
        let directory = CarSchemaFiles.directory(v1: v1)
        if ProcessInfo.processInfo.environment["SBE_REGENERATE"] == "1" {
            try? FileManager.default.removeItem(at: directory)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for file in files {
                try Data(file.contents.utf8).write(to: directory.appendingPathComponent(file.name))
            }
        }
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".swift") }
        #expect(Set(onDisk) == Set(files.map(\.name)), "file set differs: run \(CarSchemaFiles.hint)")
        for file in files {
            let committed = try String(contentsOf: directory.appendingPathComponent(file.name), encoding: .utf8)
            #expect(committed == file.contents, "\(file.name) is stale: run \(CarSchemaFiles.hint)")
        }
    }

    @Test func generationIsDeterministic() throws {
        let first = try CarSchemaFiles.generate(v1: true)
        let second = try CarSchemaFiles.generate(v1: true)
        #expect(first == second)
    }
}
