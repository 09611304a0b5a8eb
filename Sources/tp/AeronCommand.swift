import ArgumentParser
import Foundation
import AeronClient

/// `tp aeron …`: Aeron tools like Aeron's samples (AeronStat, ErrorStat, pub/sub, ping/pong, throughput), working
/// against any Aeron driver (the real C/Java media driver or the embedded one).
struct AeronCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aeron",
        abstract: "Aeron tools: counters, error log, pub/sub, ping/pong, throughput.",
        subcommands: [
            AeronStatCommand.self, AeronErrorsCommand.self, AeronPubCommand.self, AeronSubCommand.self,
            AeronPingCommand.self, AeronPongCommand.self, AeronThroughputCommand.self,
        ]
    )
}

/// Options every `tp aeron` tool shares.
struct AeronDirectoryOptions: ParsableArguments {
    @Option(name: .customLong("dir"), help: "Aeron directory (default: AERON_DIR, else /dev/shm/aeron-$USER on Linux).")
    var directory: String = AeronDirectory.defaultPath()

    @Option(name: .customLong("driver-timeout-ms"), help: "How long to wait for the driver / how stale its heartbeat may be.")
    var driverTimeoutMs: Int64 = 10_000

    func context(invoker: Bool = false) -> AeronContext {
        var context = AeronContext(directory: directory)
        context.driverTimeoutMs = driverTimeoutMs
        context.useConductorAgentInvoker = invoker
        context.clientName = "tp aeron"
        return context
    }
}

/// Channel and stream of a pub/sub tool.
struct AeronStreamOptions: ParsableArguments {
    @Option(help: "Channel URI.") var channel: String = "aeron:ipc"
    @Option(help: "Stream id.") var stream: Int32 = 1001
}

/// Parses `"32,64,1024"` into sizes (non-negative).
func parseSizes(_ text: String) throws -> [Int] {
    let sizes = text.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 0 }) else { throw ValidationError("sizes must be a comma-separated list of non-negative integers: \(text)") }
    return sizes
}
