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

/// What `tp aeron pong` does after an empty poll (see ``ShortSpinIdleStrategy`` for why it matters).
enum PongIdle: String, ExpressibleByArgument, CaseIterable {
    case shortSpin = "short-spin"
    case spin
    case noop
}

/// `tp aeron pong`: echoes every ping back on the pong stream (busy-spinning).
struct AeronPongCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pong", abstract: "Echo pings back (pair with `tp aeron ping` or a C ping).")

    @OptionGroup var aeron: AeronDirectoryOptions
    @OptionGroup var streams: AeronPingPongOptions
    @Option(help: "Messages to echo before exiting (0 = until killed).") var count: Int = 0
    @Option(help: "Exit after this many seconds without a ping (0 = never).") var idleTimeoutS: Double = 0
    @Flag(help: "Time each echo (forward latency from the ping's stamp, echo cycles) and print percentiles at the end.")
    var timing = false

    @Option(help: "What the echo loop does after an empty poll: short-spin (a call to a loop of --spin-iterations nop turns, ~3 ns), spin (one pause, Aeron's busy-spin), noop.")
    var idle: PongIdle = .shortSpin
    @Option(help: "Turns of the short-spin loop (two a cycle on this project's CPU).") var spinIterations: Int32 = 16

    func validate() throws {
        guard spinIterations >= 0 else { throw ValidationError("--spin-iterations must be 0 or more") }
    }

    func run() throws {
        let client = try Aeron.connect(aeron.context())
        defer { client.close() }
        let subscription = try client.addSubscription(channel: streams.pingChannel, streamId: streams.pingStream)
        let publication = try client.addExclusivePublication(channel: streams.pongChannel, streamId: streams.pongStream)
        print("ready")
        fflush(stdout)
        switch idle {
        case .shortSpin: echoAndReport(subscription, publication, client: client, idle: ShortSpinIdleStrategy(iterations: spinIterations))
        case .spin: echoAndReport(subscription, publication, client: client, idle: BusySpinIdleStrategy())
        case .noop: echoAndReport(subscription, publication, client: client, idle: NoOpIdleStrategy())
        }
    }

    /// Echoes with the chosen idle strategy, timed or not, and prints the tool's closing lines.
    func echoAndReport<Idle: IdleStrategy>(_ subscription: Subscription, _ publication: ExclusivePublication, client: Aeron, idle: Idle) {
        let idleTimeoutNs = idleTimeoutS > 0 ? Int64(idleTimeoutS * 1e9) : 0
        if timing {
            var probe = PongTiming(capacity: count > 0 ? count : 1 << 20)
            let echoed = Self.echo(subscription, publication, client: client, count: count, idleTimeoutNs: idleTimeoutNs, idle: idle, probe: &probe)
            print("done echoed=\(echoed)")
            if let line = probe.reportAndRelease() { print(line) }
        } else {
            var probe = UntimedPong()
            let echoed = Self.echo(subscription, publication, client: client, count: count, idleTimeoutNs: idleTimeoutNs, idle: idle, probe: &probe)
            print("done echoed=\(echoed)")
        }
    }

    /// Fragments one poll may deliver, on both sides: the C harness's ping/pong (`aeron_ipc_bench.c`, `frag=10`).
    static let fragmentLimit = 10
    /// A ping stamp that asks the pong to stop (the C harness's ping sends it at the end).
    static let stopStamp: Int64 = -1

    /// The echo loop, busy-polling with `idle` after every empty poll, with options copied to locals: option
    /// property wrappers and the client's close check are far too slow for a spin loop, so the close check runs only
    /// every 4096 idle polls.
    ///
    /// Why the loop waits at all: a reader that re-loads the frame-length line too soon takes it back from the ping
    /// while the ping's stores are still landing (session 3: Swift + Swift p50 117 ns with a bare spin against C + C's
    /// 110, 110 with a `pause`). Why not the `pause` any more: in the slow placement where C + C runs at ~420 ns, a
    /// pong that pauses (~24 ns) after each empty poll lands at ~570 ns in every run, and so does the C pong given
    /// the same pause; a wait of ~3 ns (``ShortSpinIdleStrategy``, the default) puts ours in the C pong's band in
    /// most runs (session 9 in the client's README). The ping's own wait loop stays bare, like the C ping's.
    static func echo<Probe: PongProbe, Idle: IdleStrategy>(_ subscription: Subscription, _ publication: ExclusivePublication, client: Aeron,
                                                           count: Int, idleTimeoutNs: Int64, idle: Idle, probe: inout Probe) -> Int {
        var echoed = 0
        var stop = false
        var idlePolls = 0
        var lastActivity = AeronClock.nanoTime()
        var idle = idle
        while !stop && (count == 0 || echoed < count) {
            let n = subscription.poll(fragmentLimit: fragmentLimit) { payload, _ in
                probe.messageArrived(payload)
                if payload.count >= 8 && payload.loadUnaligned(as: Int64.self) == stopStamp { stop = true }
                while publication.offer(payload).position == nil {
                    if publication.isClosed { stop = true; return }
                }
                probe.echoed()
                echoed += 1
            }
            if n > 0 {
                idlePolls = 0
                if idleTimeoutNs > 0 { lastActivity = AeronClock.nanoTime() }
                continue
            }
            idle.idle()
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

    /// Warm-up then measured round trips, the C harness's way (`ping_run` in `aeron_ipc_bench.c`): stamp, offer
    /// (retrying), busy-poll with a fragment limit of 10 until one more reply arrived, stamp again; the handler only
    /// keeps the reply's stamp and counts it. A reply whose stamp is not this ping's is counted as stale afterwards,
    /// outside the timed loop. Unlike the C ping it does not end with a stop stamp: a pong started with `--count`
    /// has already exited, and the stamp left in the log would stop the next pong joining the same stream.
    static func measure(_ publication: ExclusivePublication, _ subscription: Subscription, message: UnsafeMutableRawBufferPointer,
                        warmup: Int, count: Int) -> (samples: [Int64], stale: Int) {
        let samples = UnsafeMutableBufferPointer<Int64>.allocate(capacity: max(count, 1))
        defer { samples.deallocate() }
        samples.initialize(repeating: 0)
        var stale = 0
        var received = 0
        var lastStamp: Int64 = 0
        let payload = UnsafeRawBufferPointer(message)
        for i in 0..<(warmup + count) {
            let sent = AeronClock.nanoTime()
            message.storeBytes(of: sent, as: Int64.self)
            while publication.offer(payload).position == nil {}
            while received <= i {
                _ = subscription.poll(fragmentLimit: AeronPongCommand.fragmentLimit) { reply, _ in
                    lastStamp = reply.count >= 8 ? reply.loadUnaligned(as: Int64.self) : 0
                    received += 1
                }
            }
            let rtt = AeronClock.nanoTime() - sent
            if lastStamp != sent { stale += 1 }
            if i >= warmup { samples[i - warmup] = rtt }
        }
        return (Array(samples), stale)
    }
}
