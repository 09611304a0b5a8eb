import Foundation
import SBEGenerator

// sbe-swift: generate Swift SBE codecs from an XML schema.
//   sbe-swift <schema.xml> <output-dir> --name <SchemaName> [--source <text shown in file headers>] [--type-prefix <Prefix>] [--regenerate-hint <command>]

func usage() -> Never {
    FileHandle.standardError.write(Data("usage: sbe-swift <schema.xml> <output-dir> --name <SchemaName> [--source <description>] [--type-prefix <Prefix>] [--regenerate-hint <command>]\n".utf8))
    exit(2)
}

var positional: [String] = []
var schemaName: String?
var source: String?
var typePrefix = ""
var regenerateHint = "scripts/generate-codecs.sh"
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--name": schemaName = arguments.next()
    case "--source": source = arguments.next()
    case "--type-prefix": typePrefix = arguments.next() ?? ""
    case "--regenerate-hint": regenerateHint = arguments.next() ?? regenerateHint
    case "-h", "--help": usage()
    default: positional.append(argument)
    }
}
guard positional.count == 2, let schemaName else { usage() }
let schemaPath = positional[0]
let outputDirectory = URL(fileURLWithPath: positional[1], isDirectory: true)

do {
    let schema = try SchemaParser.parse(contentsOf: URL(fileURLWithPath: schemaPath))
    let generator = SBECodeGenerator(schemaName: schemaName, sourceDescription: source ?? schemaPath, typePrefix: typePrefix, regenerateHint: regenerateHint)
    let files = try generator.generate(schema)
    try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
    for file in files {
        try Data(file.contents.utf8).write(to: outputDirectory.appendingPathComponent(file.name))
    }
    print("sbe-swift: wrote \(files.count) files to \(outputDirectory.path)")
} catch {
    FileHandle.standardError.write(Data("sbe-swift: \(error)\n".utf8))
    exit(1)
}
