import ArgumentParser
import SharedMemory
import AeronClient
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `tp aeron throughput`: a publisher thread and a subscriber thread in this process on one stream (or, with
/// `--role pub|sub`, one of them, facing a peer process such as the C client); prints messages per second each second
/// and the median (first second dropped, like the C anchor).
struct AeronThroughputCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "throughput", abstract: "Publisher + subscriber threads, msgs/s.")

    enum PublicationKind: String, ExpressibleByArgument, Sendable { case exclusive, concurrent, claim }

    @OptionGroup var aeron: AeronDirectoryOptions
    @OptionGroup var stream: AeronStreamOptions
    @Option(help: "Message length.") var length: Int = 32
    @Option(help: "Seconds to run.") var secs: Int = 5
    @Option(help: "exclusive | concurrent | claim (tryClaim on an exclusive publication).") var pub: PublicationKind = .exclusive
    @Option(help: "Instead of the two-thread run: offer one message and poll it back, this many times, on one thread (a fixed amount of work per message, to count instructions with callgrind).")
    var sameThreadMessages: Int = 0
    @Option(help: "Instead of the two-thread run: poll the (empty) subscription this many times on one thread.")
    var emptyPolls: Int = 0
    @Option(help: "both: publisher and subscriber threads in this process; pub or sub: only that side, for a peer in another process (e.g. the C client), which prints its own rate.")
    var role: Role = .both
    @Option(help: "Pin the publisher thread to this CPU (the C harness's pin=1 puts it on 0). Unpinned, a 2-CPU machine shares the CPUs among publisher, subscriber and the driver's conductor as the scheduler likes, and the rate swings up to 2x between runs.")
    var pinPublisher: Int32?
    @Option(help: "Pin the subscriber thread to this CPU (the C harness's pin=1 puts it on 1).")
    var pinSubscriber: Int32?

    /// Which side(s) of the stream this process runs.
    enum Role: String, ExpressibleByArgument, Sendable { case both, pub, sub }

    /// What the three threads share, one cache line per word: the publisher reads `running` on every iteration,
    /// and a subscriber store into the same line (`received` after every poll) made each of those reads a
    /// cross-core miss. The C harness keeps the subscriber's counts in a padded struct of their own.
    final class Shared: @unchecked Sendable {
        private static let line = 64
        private let memory: UnsafeMutableRawPointer
        private let words: AtomicBuffer

        init() {
            memory = .allocate(byteCount: 5 * Self.line, alignment: Self.line)
            memory.initializeMemory(as: UInt8.self, repeating: 0, count: 5 * Self.line)
            words = AtomicBuffer(base: memory, capacity: 5 * Self.line)
            words.setInt64Release(1, at: 0)
        }

        deinit { memory.deallocate() }

        var isRunning: Bool { words.int64Relaxed(at: 0) != 0 }
        func stop() { words.setInt64Release(0, at: 0) }
        var sent: Int {
            get { Int(words.int64Relaxed(at: Self.line)) }
            set { words.setInt64Relaxed(Int64(newValue), at: Self.line) }
        }
        var received: Int {
            get { Int(words.int64Relaxed(at: 2 * Self.line)) }
            set { words.setInt64Relaxed(Int64(newValue), at: 2 * Self.line) }
        }
        var bytes: Int {
            get { Int(words.int64Relaxed(at: 3 * Self.line)) }
            set { words.setInt64Relaxed(Int64(newValue), at: 3 * Self.line) }
        }
        /// Offers or claims refused (back pressure, admin action...), written by the publisher when it stops.
        var refused: Int {
            get { Int(words.int64Relaxed(at: 4 * Self.line)) }
            set { words.setInt64Relaxed(Int64(newValue), at: 4 * Self.line) }
        }
    }

    func validate() throws {
        try CPUOption.validate(pinPublisher, flag: "--pin-publisher")
        try CPUOption.validate(pinSubscriber, flag: "--pin-subscriber")
    }

    func run() throws {
        let client = try Aeron.connect(aeron.context())
        defer { client.close() }
        if sameThreadMessages > 0 || emptyPolls > 0 {
            let retries = try sameThread(client)
            print("result kind=same_thread pub=\(pub.rawValue) length=\(length) messages=\(sameThreadMessages) empty_polls=\(emptyPolls) offer_retries_or_fragments=\(retries)")
            return
        }
        let subscription = role == .pub ? nil : try client.addSubscription(channel: stream.channel, streamId: stream.stream)
        let shared = Shared()
        let length = self.length
        var publisher: AeronBenchThread?
        let subscribed = { subscription.map { $0.imageCount > 0 } ?? true }
        // A peer in another process may start later than this one.
        let connectTimeoutS: Int64 = role == .both ? 10 : 60
        switch (role, pub) {
        case (.sub, _):
            try waitConnected(timeoutS: connectTimeoutS) { subscribed() }
        case (_, .exclusive), (_, .claim):
            let publication = try client.addExclusivePublication(channel: stream.channel, streamId: stream.stream)
            try waitConnected(timeoutS: connectTimeoutS) { publication.isConnected && subscribed() }
            publisher = Self.startExclusive(publication, claim: pub == .claim, length: length, cpu: pinPublisher, shared: shared)
        case (_, .concurrent):
            let publication = try client.addPublication(channel: stream.channel, streamId: stream.stream)
            try waitConnected(timeoutS: connectTimeoutS) { publication.isConnected && subscribed() }
            publisher = Self.startConcurrent(publication, length: length, cpu: pinPublisher, shared: shared)
        }
        let subscriber = subscription.map { Self.startSubscriber($0, cpu: pinSubscriber, shared: shared) }
        var perSecond: [Int] = []
        var last = 0
        for second in 1...max(secs, 1) {
            usleep(1_000_000)
            // A publisher alone counts what it sent (in steps of 1024 messages); otherwise what was received.
            let now = role == .pub ? shared.sent : shared.received
            perSecond.append(now - last)
            print("second \(second): \(now - last) msgs/s")
            fflush(stdout)
            last = now
        }
        shared.stop()
        let publisherCPU = publisher?.join() ?? -1
        let subscriberCPU = subscriber?.join() ?? -1
        let measured = perSecond.count > 1 ? Array(perSecond.dropFirst()) : perSecond
        let median = measured.sorted()[measured.count / 2]
        print("result kind=throughput role=\(role.rawValue) pub=\(pub.rawValue) length=\(length) secs=\(secs) msgs_per_s_median=\(median) sent=\(shared.sent) received=\(shared.received) refused=\(shared.refused) publisher_cpu=\(publisherCPU) subscriber_cpu=\(subscriberCPU)")
    }

    func waitConnected(timeoutS: Int64 = 10, _ condition: () -> Bool) throws {
        let deadline = AeronClock.nanoTime() + timeoutS * 1_000_000_000
        while !condition() {
            guard AeronClock.nanoTime() < deadline else { throw ValidationError("no peer connected within \(timeoutS) s") }
            usleep(1000)
        }
    }

    /// The publisher loops mirror the C harness's `tp_publisher` (`aeron_ipc_bench.c`): one offer (or claim) per
    /// iteration, the running flag read every iteration, the count stamped into the message's first 8 bytes (into
    /// the claimed payload, without copying the rest, for `claim`), progress published every 1024 messages.
    nonisolated static func startExclusive(_ publication: ExclusivePublication, claim useClaim: Bool, length: Int, cpu: Int32?,
                                           shared: Shared) -> AeronBenchThread {
        AeronBenchThread.start(pinnedTo: cpu) {
            let message = UnsafeMutableRawBufferPointer.allocate(byteCount: max(length, 8), alignment: 8)
            defer { message.deallocate() }
            message.initializeMemory(as: UInt8.self, repeating: 0xAB)
            let payload = UnsafeRawBufferPointer(rebasing: message[0..<length])
            let stamp = length >= 8
            // One loop per kind (the choice is fixed for the run): a shared loop with a per-iteration branch
            // compiled to one body holding both paths' live values, with spills on each.
            shared.sent = useClaim ? claimLoop(publication, length: length, stamp: stamp, shared: shared)
                : offerLoop(publication, message: message, payload: payload, stamp: stamp, shared: shared)
        }
    }

    @inline(never)
    nonisolated static func claimLoop(_ publication: ExclusivePublication, length: Int, stamp: Bool, shared: Shared) -> Int {
        var claim = BufferClaim()
        var sent = 0
        var refused = 0
        while shared.isRunning {
            if publication.tryClaim(length: length, into: &claim).position != nil {
                if stamp { claim.payload.storeBytes(of: sent, as: Int.self) }
                claim.commit()
                sent += 1
                if sent & 1023 == 0 { shared.sent = sent }
            } else {
                refused &+= 1
            }
        }
        shared.refused = refused
        return sent
    }

    @inline(never)
    nonisolated static func offerLoop(_ publication: ExclusivePublication, message: UnsafeMutableRawBufferPointer,
                                      payload: UnsafeRawBufferPointer, stamp: Bool, shared: Shared) -> Int {
        var sent = 0
        var refused = 0
        while shared.isRunning {
            if stamp { message.storeBytes(of: sent, as: Int.self) }
            if publication.offer(payload).position != nil {
                sent += 1
                if sent & 1023 == 0 { shared.sent = sent }
            } else {
                refused &+= 1
            }
        }
        shared.refused = refused
        return sent
    }

    nonisolated static func startConcurrent(_ publication: Publication, length: Int, cpu: Int32?, shared: Shared) -> AeronBenchThread {
        AeronBenchThread.start(pinnedTo: cpu) {
            let message = UnsafeMutableRawBufferPointer.allocate(byteCount: max(length, 8), alignment: 8)
            defer { message.deallocate() }
            message.initializeMemory(as: UInt8.self, repeating: 0xAB)
            let payload = UnsafeRawBufferPointer(rebasing: message[0..<length])
            let stamp = length >= 8
            var sent = 0
            var refused = 0
            while shared.isRunning {
                if stamp { message.storeBytes(of: sent, as: Int.self) }
                if publication.offer(payload).position != nil {
                    sent += 1
                    if sent & 1023 == 0 { shared.sent = sent }
                } else {
                    refused &+= 1
                }
            }
            shared.refused = refused
            shared.sent = sent
        }
    }

    /// The subscriber loop: poll with a fragment limit of 256, the handler counting messages and bytes (the C
    /// harness's `tp_handler`).
    nonisolated static func startSubscriber(_ subscription: Subscription, cpu: Int32?, shared: Shared) -> AeronBenchThread {
        AeronBenchThread.start(pinnedTo: cpu) {
            var received = 0
            var bytes = 0
            while shared.isRunning {
                let fragments = subscription.poll(fragmentLimit: 256) { payload, _ in
                    received += 1
                    bytes &+= payload.count
                }
                if fragments > 0 { shared.received = received }
            }
            shared.bytes = bytes
        }
    }

    /// Runs `--same-thread-messages` or `--empty-polls` on this thread, on its own publication and subscription
    /// (the subscription has the publication's image, so an empty poll looks at one image, as in the C harness).
    func sameThread(_ client: Aeron) throws -> Int {
        let message = UnsafeMutableRawBufferPointer.allocate(byteCount: max(length, 8), alignment: 8)
        defer { message.deallocate() }
        message.initializeMemory(as: UInt8.self, repeating: 0xAB)
        let payload = UnsafeRawBufferPointer(rebasing: message[0..<length])
        let subscription = try client.addSubscription(channel: stream.channel, streamId: stream.stream)
        switch pub {
        case .exclusive, .claim:
            let publication = try client.addExclusivePublication(channel: stream.channel, streamId: stream.stream)
            try waitConnected { publication.isConnected && subscription.imageCount > 0 }
            if emptyPolls > 0 { return Self.pollEmpty(subscription, polls: emptyPolls) }
            return Self.offerAndPollExclusive(publication, subscription, payload, claim: pub == .claim, messages: sameThreadMessages)
        case .concurrent:
            let publication = try client.addPublication(channel: stream.channel, streamId: stream.stream)
            try waitConnected { publication.isConnected && subscription.imageCount > 0 }
            if emptyPolls > 0 { return Self.pollEmpty(subscription, polls: emptyPolls) }
            return Self.offerAndPollConcurrent(publication, subscription, payload, messages: sameThreadMessages)
        }
    }

    /// `polls` polls of an empty subscription (fragment limit 10, as the ping/pong loops).
    @inline(never)
    static func pollEmpty(_ subscription: Subscription, polls: Int) -> Int {
        var fragments = 0
        for _ in 0..<polls { fragments &+= subscription.poll(fragmentLimit: 10) { _, _ in } }
        return fragments
    }

    /// Offer one message, poll until it is back, `messages` times; returns the offers that had to be retried.
    @inline(never)
    static func offerAndPollExclusive(_ publication: ExclusivePublication, _ subscription: Subscription, _ payload: UnsafeRawBufferPointer,
                                      claim useClaim: Bool, messages: Int) -> Int {
        var retries = 0
        var claim = BufferClaim()
        for _ in 0..<messages {
            if useClaim {
                while publication.tryClaim(length: payload.count, into: &claim).position == nil { retries += 1 }
                claim.payload.copyMemory(from: payload)
                claim.commit()
            } else {
                while publication.offer(payload).position == nil { retries += 1 }
            }
            while subscription.poll(fragmentLimit: 10, { _, _ in }) == 0 {}
        }
        return retries
    }

    @inline(never)
    static func offerAndPollConcurrent(_ publication: Publication, _ subscription: Subscription, _ payload: UnsafeRawBufferPointer, messages: Int) -> Int {
        var retries = 0
        for _ in 0..<messages {
            while publication.offer(payload).position == nil { retries += 1 }
            while subscription.poll(fragmentLimit: 10, { _, _ in }) == 0 {}
        }
        return retries
    }
}
