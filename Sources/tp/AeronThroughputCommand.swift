import ArgumentParser
import Synchronization
import AeronClient
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `tp aeron throughput`: a publisher thread and a subscriber thread in this process on one stream; prints
/// messages per second each second and the median (first second dropped, like the C anchor).
struct AeronThroughputCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "throughput", abstract: "Publisher + subscriber threads, msgs/s.")

    enum PublicationKind: String, ExpressibleByArgument, Sendable { case exclusive, concurrent, claim }

    @OptionGroup var aeron: AeronDirectoryOptions
    @OptionGroup var stream: AeronStreamOptions
    @Option(help: "Message length.") var length: Int = 32
    @Option(help: "Seconds to run.") var secs: Int = 5
    @Option(help: "exclusive | concurrent | claim (tryClaim on an exclusive publication).") var pub: PublicationKind = .exclusive

    final class Shared: @unchecked Sendable {
        let running = Atomic<Bool>(true)
        let sent = Atomic<Int>(0)
        let received = Atomic<Int>(0)
    }

    func run() throws {
        let client = try Aeron.connect(aeron.context())
        defer { client.close() }
        let subscription = try client.addSubscription(channel: stream.channel, streamId: stream.stream)
        let shared = Shared()
        let length = self.length
        let publisher: AeronBenchThread
        switch pub {
        case .exclusive, .claim:
            let publication = try client.addExclusivePublication(channel: stream.channel, streamId: stream.stream)
            try waitConnected { publication.isConnected && subscription.imageCount > 0 }
            publisher = Self.startExclusive(publication, claim: pub == .claim, length: length, shared: shared)
        case .concurrent:
            let publication = try client.addPublication(channel: stream.channel, streamId: stream.stream)
            try waitConnected { publication.isConnected && subscription.imageCount > 0 }
            publisher = Self.startConcurrent(publication, length: length, shared: shared)
        }
        let subscriber = Self.startSubscriber(subscription, shared: shared)
        var perSecond: [Int] = []
        var last = 0
        for second in 1...max(secs, 1) {
            usleep(1_000_000)
            let now = shared.received.load(ordering: .relaxed)
            perSecond.append(now - last)
            print("second \(second): \(now - last) msgs/s")
            fflush(stdout)
            last = now
        }
        shared.running.store(false, ordering: .releasing)
        publisher.join()
        subscriber.join()
        let measured = perSecond.count > 1 ? Array(perSecond.dropFirst()) : perSecond
        let median = measured.sorted()[measured.count / 2]
        print("result kind=throughput pub=\(pub.rawValue) length=\(length) secs=\(secs) msgs_per_s_median=\(median) sent=\(shared.sent.load(ordering: .relaxed)) received=\(shared.received.load(ordering: .relaxed))")
    }

    func waitConnected(_ condition: () -> Bool) throws {
        let deadline = AeronClock.nanoTime() + 10_000_000_000
        while !condition() {
            guard AeronClock.nanoTime() < deadline else { throw ValidationError("publication did not connect within 10 s") }
            usleep(1000)
        }
    }

    nonisolated static func startExclusive(_ publication: ExclusivePublication, claim useClaim: Bool, length: Int, shared: Shared) -> AeronBenchThread {
        AeronBenchThread.start {
            let message = UnsafeMutableRawBufferPointer.allocate(byteCount: max(length, 8), alignment: 8)
            defer { message.deallocate() }
            message.initializeMemory(as: UInt8.self, repeating: 7)
            let payload = UnsafeRawBufferPointer(rebasing: message[0..<length])
            var claim = BufferClaim()
            var sent = 0
            while shared.running.load(ordering: .relaxed) {
                for _ in 0..<256 {
                    if useClaim {
                        if publication.tryClaim(length: length, into: &claim).position != nil {
                            claim.payload.copyMemory(from: payload)
                            claim.commit()
                            sent += 1
                        }
                    } else if publication.offer(payload).position != nil {
                        sent += 1
                    }
                }
                shared.sent.store(sent, ordering: .relaxed)
            }
        }
    }

    nonisolated static func startConcurrent(_ publication: Publication, length: Int, shared: Shared) -> AeronBenchThread {
        AeronBenchThread.start {
            let message = UnsafeMutableRawBufferPointer.allocate(byteCount: max(length, 8), alignment: 8)
            defer { message.deallocate() }
            message.initializeMemory(as: UInt8.self, repeating: 7)
            let payload = UnsafeRawBufferPointer(rebasing: message[0..<length])
            var sent = 0
            while shared.running.load(ordering: .relaxed) {
                for _ in 0..<256 where publication.offer(payload).position != nil { sent += 1 }
                shared.sent.store(sent, ordering: .relaxed)
            }
        }
    }

    nonisolated static func startSubscriber(_ subscription: Subscription, shared: Shared) -> AeronBenchThread {
        AeronBenchThread.start {
            var received = 0
            while shared.running.load(ordering: .relaxed) {
                received += subscription.poll(fragmentLimit: 256) { _, _ in }
                shared.received.store(received, ordering: .relaxed)
            }
        }
    }
}
