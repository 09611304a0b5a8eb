import ArgumentParser
import AeronClient
import AeronConcurrent
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Ping/pong channels shared by both tools (the interop harness uses the same streams).
struct AeronPingPongOptions: ParsableArguments {
    @Option(help: "Channel pings are sent on.") var pingChannel: String = "aeron:ipc"
    @Option(help: "Stream pings are sent on.") var pingStream: Int32 = 1002
    @Option(help: "Channel pongs come back on.") var pongChannel: String = "aeron:ipc"
    @Option(help: "Stream pongs come back on.") var pongStream: Int32 = 1003
}

/// `tp aeron pong`: echoes every ping back on the pong stream (busy-spinning).
struct AeronPongCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pong", abstract: "Echo pings back (pair with `tp aeron ping` or a C ping).")

    @OptionGroup var aeron: AeronDirectoryOptions
    @OptionGroup var streams: AeronPingPongOptions
    @Option(help: "Messages to echo before exiting (0 = until killed).") var count: Int = 0
    @Option(help: "Exit after this many seconds without a ping (0 = never).") var idleTimeoutS: Double = 0

    func run() throws {
        let client = try Aeron.connect(aeron.context())
        defer { client.close() }
        let subscription = try client.addSubscription(channel: streams.pingChannel, streamId: streams.pingStream)
        let publication = try client.addExclusivePublication(channel: streams.pongChannel, streamId: streams.pongStream)
        print("ready")
        fflush(stdout)
        let echoed = Self.echo(subscription, publication, client: client, count: count,
                               idleTimeoutNs: idleTimeoutS > 0 ? Int64(idleTimeoutS * 1e9) : 0)
        print("done echoed=\(echoed)")
    }

    /// The echo loop, with options copied to locals: option property wrappers and the client's close check are
    /// far too slow for a spin loop, so the close check runs only every 4096 idle polls.
    static func echo(_ subscription: Subscription, _ publication: ExclusivePublication, client: Aeron, count: Int, idleTimeoutNs: Int64) -> Int {
        var echoed = 0
        var idlePolls = 0
        var lastActivity = AeronClock.nanoTime()
        while count == 0 || echoed < count {
            let n = subscription.poll(fragmentLimit: 16) { payload, _ in
                while publication.offer(payload).position == nil {
                    if publication.isClosed { return }
                }
                echoed += 1
            }
            if n > 0 {
                idlePolls = 0
                if idleTimeoutNs > 0 { lastActivity = AeronClock.nanoTime() }
                continue
            }
            idlePolls &+= 1
            if idlePolls & 4095 == 0 {
                if client.isClosed || publication.isClosed { break }
                if idleTimeoutNs > 0 && AeronClock.nanoTime() - lastActivity > idleTimeoutNs { break }
            }
        }
        return echoed
    }
}

/// `tp aeron ping`: measures round-trip time through a pong (Swift or C), busy-spinning, and prints percentiles.
struct AeronPingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ping", abstract: "Measure round-trip latency against a pong.")

    @OptionGroup var aeron: AeronDirectoryOptions
    @OptionGroup var streams: AeronPingPongOptions
    @Option(help: "Measured round trips.") var count: Int = 100_000
    @Option(help: "Warm-up round trips (not measured).") var warmup: Int = 10_000
    @Option(help: "Message length (≥ 8).") var length: Int = 32
    @Option(help: "Seconds to wait for the pong to connect.") var connectTimeoutS: Double = 10

    func run() throws {
        guard length >= 8 else { throw ValidationError("length must be at least 8") }
        let client = try Aeron.connect(aeron.context())
        defer { client.close() }
        let publication = try client.addExclusivePublication(channel: streams.pingChannel, streamId: streams.pingStream)
        let subscription = try client.addSubscription(channel: streams.pongChannel, streamId: streams.pongStream)
        let deadline = AeronClock.nanoTime() + Int64(connectTimeoutS * 1e9)
        while !(publication.isConnected && subscription.imageCount > 0) {
            guard AeronClock.nanoTime() < deadline else {
                fputs("ping: no pong connected within \(connectTimeoutS) s\n", stderr)
                throw ExitCode(3)
            }
            usleep(1000)
        }
        print("connected")
        let message = UnsafeMutableRawBufferPointer.allocate(byteCount: length, alignment: 8)
        defer { message.deallocate() }
        message.initializeMemory(as: UInt8.self, repeating: 0)
        let (samples, stale) = Self.measure(publication, subscription, message: message, warmup: warmup, count: count)
        let sorted = samples.sorted()
        func percentile(_ p: Double) -> Int64 { sorted[min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))] }
        let mean = sorted.reduce(0, +) / Int64(max(sorted.count, 1))
        print("result kind=pingpong length=\(length) count=\(count) stale_replies=\(stale) rtt_ns min=\(sorted.first ?? 0) p50=\(percentile(50)) p90=\(percentile(90)) p99=\(percentile(99)) p99.9=\(percentile(99.9)) p99.99=\(percentile(99.99)) max=\(sorted.last ?? 0) mean=\(mean)")
    }

    /// Warm-up then measured round trips; only the reply carrying this ping's stamp counts.
    static func measure(_ publication: ExclusivePublication, _ subscription: Subscription, message: UnsafeMutableRawBufferPointer,
                        warmup: Int, count: Int) -> (samples: [Int64], stale: Int) {
        var samples = [Int64](repeating: 0, count: count)
        var stale = 0
        for i in 0..<(warmup + count) {
            let sent = AeronClock.nanoTime()
            message.storeBytes(of: sent, as: Int64.self)
            while publication.offer(UnsafeRawBufferPointer(message)).position == nil {}
            var received = false
            var staleHere = 0
            while !received {
                _ = subscription.poll(fragmentLimit: 1) { payload, _ in
                    if payload.count >= 8, payload.loadUnaligned(as: Int64.self) == sent { received = true } else { staleHere += 1 }
                }
            }
            let rtt = AeronClock.nanoTime() - sent
            stale += staleHere
            if i >= warmup { samples[i - warmup] = rtt }
        }
        return (samples, stale)
    }
}
