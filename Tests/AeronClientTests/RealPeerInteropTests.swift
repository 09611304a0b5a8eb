import Testing
import AeronClient
import AeronInteropSupport
#if canImport(Glibc)
import Glibc
#endif

/// Swift client ↔ real C 1.53 client (publisher/subscriber processes) through the real C media driver.
@Suite(.serialized) struct RealPeerInteropTests {
    static let sizes = [0, 1, 31, 32, 1376, 1377, 4096, 20_000, 65_536]

    /// Swift publication → real C subscription (fragment assembler, pattern verified by the C side).
    func swiftToC(exclusive: Bool, count: Int, sizes: [Int], channel: String = "aeron:ipc") throws {
        let driver = try RealAeronMediaDriver()
        let sub = try AeronPeerProcess("sub", directory: driver.path,
                                       arguments: ["--channel", channel, "--count", "\(count)", "--sizes", sizes.map(String.init).joined(separator: ","), "--timeout-s", "60"])
        _ = try sub.waitForEvent("ready", timeout: 30)
        let aeron = try Aeron.connect(ClientTestSupport.context(driver.path))
        defer { aeron.close() }
        var scratch = [UInt8](repeating: 0, count: sizes.max()!)
        var sent = 0
        let deadline = AeronClock.nanoTime() + 60_000_000_000
        func send(_ offer: (UnsafeRawBufferPointer) -> PublicationResult) {
            while sent < count && AeronClock.nanoTime() < deadline {
                let size = sizes[sent % sizes.count]
                let result = scratch.withUnsafeMutableBytes { raw -> PublicationResult in
                    let message = UnsafeMutableRawBufferPointer(rebasing: raw[0..<size])
                    MessagePattern.fill(message, index: UInt64(sent))
                    return offer(UnsafeRawBufferPointer(message))
                }
                if result.position != nil { sent += 1 } else { sched_yield() }
            }
        }
        if exclusive {
            let publication = try aeron.addExclusivePublication(channel: channel, streamId: 1001)
            send { publication.offer($0) }
        } else {
            let publication = try aeron.addPublication(channel: channel, streamId: 1001)
            send { publication.offer($0) }
        }
        #expect(sent == count)
        let run = try sub.waitForExit(timeout: 90)
        let done = run.last("done")
        #expect(run.exit.succeeded, "C subscriber: \(run.exit) \(run.stderr)")
        #expect(done?.int("received") == Int64(count))
        #expect(done?.int("errors") == 0)
    }

    /// Real C publication → Swift subscription.
    func cToSwift(exclusive: Bool, tryClaim: Bool = false, count: Int, sizes: [Int], channel: String = "aeron:ipc") throws {
        let driver = try RealAeronMediaDriver()
        let aeron = try Aeron.connect(ClientTestSupport.context(driver.path))
        defer { aeron.close() }
        let subscription = try aeron.addSubscription(channel: channel, streamId: 1001)
        var arguments = ["--channel", channel, "--count", "\(count)", "--sizes", sizes.map(String.init).joined(separator: ","), "--timeout-s", "60"]
        if exclusive { arguments.append("--exclusive") }
        if tryClaim { arguments.append("--try-claim") }
        let pub = try AeronPeerProcess("pub", directory: driver.path, arguments: arguments)
        let assembler = FragmentAssembler()
        var received = 0
        var mismatches = 0
        var sessions = Set<Int32>()
        let deadline = AeronClock.nanoTime() + 60_000_000_000
        while received < count && AeronClock.nanoTime() < deadline {
            let n = subscription.poll(fragmentLimit: 256) { payload, header in
                assembler.onFragment(payload, header) { message, header in
                    if !MessagePattern.matches(message, index: UInt64(received), expectedSize: sizes[received % sizes.count]) { mismatches += 1 }
                    sessions.insert(header.sessionId)
                    received += 1
                }
            }
            if n == 0 { sched_yield() }
        }
        let run = try pub.waitForExit(timeout: 30)
        #expect(run.exit.succeeded, "C publisher: \(run.exit) \(run.stderr)")
        #expect(received == count)
        #expect(mismatches == 0)
        #expect(sessions.count == 1)
    }

    @Test func swiftConcurrentToC() throws { try swiftToC(exclusive: false, count: 3_000, sizes: Self.sizes) }
    @Test func swiftExclusiveToC() throws { try swiftToC(exclusive: true, count: 3_000, sizes: Self.sizes) }
    @Test func cConcurrentToSwift() throws { try cToSwift(exclusive: false, count: 3_000, sizes: Self.sizes) }
    @Test func cExclusiveTryClaimToSwift() throws { try cToSwift(exclusive: true, tryClaim: true, count: 3_000, sizes: [0, 32, 1376]) }

    /// 64 KiB terms: thousands of term rotations and end-of-term padding frames, in both directions.
    @Test func termRotationAndPaddingBothDirections() throws {
        let channel = "aeron:ipc?term-length=64k"
        let sizes = [0, 100, 1377, 3000, 8192]
        try swiftToC(exclusive: false, count: 20_000, sizes: sizes, channel: channel)
        try swiftToC(exclusive: true, count: 20_000, sizes: sizes, channel: channel)
        try cToSwift(exclusive: false, count: 20_000, sizes: sizes, channel: channel)
        try cToSwift(exclusive: true, count: 20_000, sizes: sizes, channel: channel)
    }

    @Test func oneMillionSmallMessagesSwiftToC() throws { try swiftToC(exclusive: true, count: 1_000_000, sizes: [32, 8, 64]) }
    @Test func oneMillionSmallMessagesCToSwift() throws { try cToSwift(exclusive: false, count: 1_000_000, sizes: [32, 8, 64]) }
}
