import ArgumentParser
import Foundation
import TensorPool

/// `tp config check|show`: validate a tensor-pool TOML configuration and print the effective values.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Validate a tensor-pool configuration file and show the effective configuration.",
        discussion: """
        Sections: [producer], [consumer], [supervisor], [driver]. Environment overrides use \
        TP_<SECTION>_<KEY>, e.g. TP_PRODUCER_HEADER_NSLOTS=128 or TP_PRODUCER_PAYLOAD_POOLS=1:1048576,2:4194304.
        """,
        subcommands: [Check.self, Show.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Exit 0 if the file (plus TP_* environment) is valid, else print the error and exit 1.")

        @Argument(help: "TOML configuration file.")
        var path: String

        func run() throws {
            let config = try ConfigCommand.load(path)
            print("ok: \(path) (sections: \(config.presentSections.sorted().joined(separator: ", ")))")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the effective configuration (defaults when no file is given) as TOML.")

        @Argument(help: "TOML configuration file (optional).")
        var path: String?

        func run() throws {
            let config = try path.map(ConfigCommand.load)
                ?? TensorPoolConfiguration.parse(toml: "", environment: ProcessInfo.processInfo.environment)
            print(config.tomlText, terminator: "")
        }
    }

    static func load(_ path: String) throws -> TensorPoolConfiguration {
        do {
            return try TensorPoolConfiguration.load(path: path, environment: ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}
