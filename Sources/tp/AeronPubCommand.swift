import ArgumentParser
import AeronClient
import AeronConcurrent
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `tp aeron pub`: publishes `--count` pattern messages (see ``AeronMessagePattern``), retrying back-pressure.
struct AeronPubCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pub", abstract: "Publish pattern messages (verifiable by `tp aeron sub` or a C subscriber).")

    @OptionGroup var aeron: AeronDirectoryOptions
    @OptionGroup var stream: AeronStreamOptions
    @Option(help: "Number of messages.") var count: Int = 1000
    @Option(help: "Message sizes, cycled (e.g. 0,32,4096).") var sizes: String = "32"
    @Flag(help: "Use an exclusive publication.") var exclusive = false
    @Flag(help: "Use tryClaim + commit (every size must fit one frame).") var tryClaim = false
    @Option(help: "Seconds to wait for a subscriber and for the whole run.") var timeoutS: Double = 60
    @Option(help: "Keep the publication open this many seconds after sending (lets subscribers drain).") var lingerS: Double = 0

    func validate() throws {
        // Bounded so the nanosecond and microsecond conversions below cannot trap.
        for (name, value) in [("--timeout-s", timeoutS), ("--linger-s", lingerS)] where !(0...86_400).contains(value) {
            throw ValidationError("\(name) must be between 0 and 86400 seconds, not \(value)")
        }
        guard count >= 0 else { throw ValidationError("--count must not be negative, not \(count)") }
    }

    func run() throws {
        let sizes = try parseSizes(self.sizes)
        let client = try Aeron.connect(aeron.context())
        defer { client.close() }
        let deadline = AeronClock.nanoTime() + Int64(timeoutS * 1e9)
        var scratch = [UInt8](repeating: 0, count: max(sizes.max() ?? 0, 1))
        var claim = BufferClaim()
        var sent = 0
        var lastPosition: Int64 = 0
        let offer: (UnsafeRawBufferPointer) -> PublicationResult
        let connected: () -> Bool
        if exclusive {
            let publication = try client.addExclusivePublication(channel: stream.channel, streamId: stream.stream)
            connected = { publication.isConnected }
            offer = { message in
                guard tryClaim else { return publication.offer(message) }
                let result = publication.tryClaim(length: message.count, into: &claim)
                if result.position != nil { claim.payload.copyMemory(from: message); claim.commit() }
                return result
            }
        } else {
            let publication = try client.addPublication(channel: stream.channel, streamId: stream.stream)
            connected = { publication.isConnected }
            offer = { message in
                guard tryClaim else { return publication.offer(message) }
                let result = publication.tryClaim(length: message.count, into: &claim)
                if result.position != nil { claim.payload.copyMemory(from: message); claim.commit() }
                return result
            }
        }
        while !connected() {
            guard AeronClock.nanoTime() < deadline else { throw ExitCode(3) }
            usleep(1000)
        }
        print("connected channel=\(stream.channel) stream=\(stream.stream) exclusive=\(exclusive)")
        fflush(stdout)
        while sent < count {
            let size = sizes[sent % sizes.count]
            let result = scratch.withUnsafeMutableBytes { raw -> PublicationResult in
                let message = UnsafeMutableRawBufferPointer(rebasing: raw[0..<size])
                AeronMessagePattern.fill(message, index: UInt64(sent))
                return offer(UnsafeRawBufferPointer(message))
            }
            switch result {
            case .position(let p):
                sent += 1
                lastPosition = p
            case .closed, .maxPositionExceeded, .messageTooLong:
                fputs("pub: offer failed: \(result)\n", stderr)
                throw ExitCode(2)
            default:
                guard AeronClock.nanoTime() < deadline else {
                    fputs("pub: timed out after \(sent) messages (\(result))\n", stderr)
                    throw ExitCode(3)
                }
                sched_yield()
            }
        }
        print("done sent=\(sent) position=\(lastPosition)")
        fflush(stdout)
        if lingerS > 0 { ThreadPark.sleep(nanoseconds: Int(lingerS * 1e9)) }
    }
}
