import ArgumentParser
import AeronClient
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `tp aeron sub`: receives `--count` messages, reassembling fragments, and verifies each against the pattern.
/// Exit status 0 when all arrived intact, 1 on a mismatch, 3 on timeout.
struct AeronSubCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sub", abstract: "Receive and verify pattern messages.")

    @OptionGroup var aeron: AeronDirectoryOptions
    @OptionGroup var stream: AeronStreamOptions
    @Option(help: "Number of messages to receive.") var count: Int = 1000
    @Option(help: "Expected sizes, cycled (default: any size; content is still checked).") var sizes: String?
    @Option(help: "Seconds before giving up.") var timeoutS: Double = 60

    func run() throws {
        let expectedSizes = try sizes.map(parseSizes)
        let client = try Aeron.connect(aeron.context())
        defer { client.close() }
        let subscription = try client.addSubscription(channel: stream.channel, streamId: stream.stream)
        print("ready channel=\(stream.channel) stream=\(stream.stream)")
        fflush(stdout)
        let assembler = FragmentAssembler()
        var received = 0
        var errors = 0
        let deadline = AeronClock.nanoTime() + Int64(timeoutS * 1e9)
        while received < count {
            let fragments = subscription.poll(fragmentLimit: 256) { payload, header in
                assembler.onFragment(payload, header) { message, _ in
                    let index = UInt64(received)
                    var bad = AeronMessagePattern.firstMismatch(message, index: index)
                    if let expectedSizes, message.count != expectedSizes[received % expectedSizes.count] { bad = bad ?? -1 }
                    if let bad {
                        errors += 1
                        if errors <= 10 { print("mismatch index=\(index) length=\(message.count) first_bad_offset=\(bad)") }
                    }
                    received += 1
                }
            }
            if fragments == 0 {
                if AeronClock.nanoTime() > deadline { break }
                if client.isClosed { break }
                sched_yield()
            }
        }
        let timedOut = received < count
        print("done received=\(received) errors=\(errors) timed_out=\(timedOut)")
        fflush(stdout)
        if errors > 0 { throw ExitCode(1) }
        if timedOut { throw ExitCode(3) }
    }
}
