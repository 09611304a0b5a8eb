import ArgumentParser
import Foundation
import TensorPool

/// `tp clean`: removes SHM region files left by dead producers; never touches a live one.
struct CleanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Remove tensor-pool region files whose producer is dead (pid gone AND activity stale).",
        discussion: "Regions whose pid is alive or whose activity timestamp is fresh are kept and reported. Symbolic links, non-region and short files are skipped, never followed. One line per examined path, then a summary.")

    @Option(help: "SHM root directory (default: configured producer.shm_root_dir, /dev/shm/tensorpool-$USER).")
    var root: String?

    @Flag(help: "Report what would be removed without removing anything.")
    var dryRun = false

    @Option(help: "Activity older than this many milliseconds is stale.")
    var staleAfterMs: UInt64 = 10_000

    @Option(help: "TOML configuration file (for producer.shm_root_dir).")
    var config: String?

    func run() throws {
        let environment = ProcessInfoEnvironment.current
        let loaded = try config.map { try TensorPoolConfiguration.load(path: $0, environment: environment) }
            ?? TensorPoolConfiguration.parse(toml: "", environment: environment)
        let cleaner = SupervisorRegionCleaner(root: root ?? loaded.producer.shmRootDir,
                                              staleAfterNs: staleAfterMs &* 1_000_000, dryRun: dryRun)
        let entries: [SupervisorRegionCleaner.Entry]
        do { entries = try cleaner.run() } catch {
            FileHandle.standardError.write(Data("tp clean: \(error)\n".utf8))
            throw ExitCode(1)
        }
        for entry in entries { print("tp clean: \(entry)") }
        func count(_ action: SupervisorRegionCleaner.Action) -> Int { entries.filter { $0.action == action }.count }
        print("tp clean: summary root=\(cleaner.root) removed=\(count(.removed)) would_remove=\(count(.wouldRemove)) kept=\(count(.kept)) skipped=\(count(.skipped)) failed=\(count(.failed)) dry_run=\(dryRun)")
        if count(.failed) > 0 { throw ExitCode(1) }
    }
}
