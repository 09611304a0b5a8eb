import AeronInteropSupport
import Testing

/// Sizes from empty to 64 KiB, around the 8-byte pattern prefix, the 32-byte frame alignment and the IPC MTU
/// (1408 bytes => 1376-byte max payload: 1377 and above are fragmented and reassembled).
let sizesUpTo64KiB = [0, 1, 7, 8, 9, 31, 32, 33, 100, 1000, 1375, 1376, 1377, 1408, 2800, 4097, 65_536]
/// Sizes that fit one frame, for tryClaim.
let singleFrameSizes = [0, 1, 7, 8, 9, 31, 32, 33, 100, 1000, 1375, 1376]

extension RealAeron {
    /// Real C publication -> real C subscription (with fragment assembler) on the real C driver: proves the peers,
    /// the pattern and the harness before any Swift code is involved.
    @Suite struct RealCPubSub {
        static func publishAndVerify(
            count: Int, sizes: [Int], exclusive: Bool = false, tryClaim: Bool = false, stream: Int32, termLength: Int = 1 << 20
        ) throws {
            var options = RealAeronMediaDriver.Options()
            options.termLength = termLength
            let driver = try RealAeronMediaDriver(options: options)
            let sub = try AeronPeerProcess.startSubscriber(
                directory: driver.path, stream: stream, count: count, sizes: sizes, timeoutSeconds: 100)
            let pub = try AeronPeerProcess.startPublisher(
                directory: driver.path, stream: stream, count: count, sizes: sizes, exclusive: exclusive, tryClaim: tryClaim,
                timeoutSeconds: 100)
            let pubRun = try pub.waitForSuccess(timeout: PeerTimeouts.run)
            let subRun = try sub.waitForSuccess(timeout: PeerTimeouts.run)
            #expect(pubRun.last("done")?.int("sent") == Int64(count))
            let done = try #require(subRun.last("done"))
            #expect(done.int("received") == Int64(count))
            #expect(done.int("errors") == 0)
            #expect(subRun.all("mismatch").isEmpty)
            let closed = try driver.stop()
            #expect(closed?.bool("dir_exists") == false)
        }

        @Test func concurrentPublication100kMessagesUpTo64KiB() throws {
            try Self.publishAndVerify(count: 100_000, sizes: sizesUpTo64KiB, stream: 1001)
        }

        @Test func exclusivePublication100kMessagesUpTo64KiB() throws {
            try Self.publishAndVerify(count: 100_000, sizes: sizesUpTo64KiB, exclusive: true, stream: 1002)
        }

        @Test(arguments: [false, true])
        func tryClaimSingleFrameMessages(exclusive: Bool) throws {
            try Self.publishAndVerify(count: 20_000, sizes: singleFrameSizes, exclusive: exclusive, tryClaim: true, stream: 1003)
        }

        @Test func subscriberPrintsTheFrameHeadersItSees() throws {
            var options = RealAeronMediaDriver.Options()
            options.termLength = 1 << 16
            let driver = try RealAeronMediaDriver(options: options)
            let sizes = "0,100,3000"
            let sub = try AeronPeerProcess("sub", directory: driver.path, arguments: [
                "--stream", "77", "--count", "6", "--sizes", sizes, "--print-headers", "6",
            ])
            try sub.waitForEvent("ready", timeout: PeerTimeouts.ready)
            try AeronPeerProcess.run("pub", directory: driver.path, arguments: ["--stream", "77", "--count", "6", "--sizes", sizes],
                                     timeout: PeerTimeouts.run)
            let headers = try sub.waitForSuccess(timeout: PeerTimeouts.run).all("header")
            try #require(headers.count == 6)
            var position: Int64 = 0
            for header in headers {
                #expect(header.int("stream_id") == 77)
                #expect(header.int("session_id") == headers[0].int("session_id"))
                #expect(header.int("type") == 1)  // HDR_TYPE_DATA
                #expect(header.int("flags") == 0xC0)  // BEGIN|END: the assembler presents a whole message
                #expect(header.int("frame_length") == header.int("length")! + 32)
                #expect(header.int("term_offset") == position)  // one term of 64 KiB: offset == position
                #expect(header.int("position_bits_to_shift") == 16)
                let next = try #require(header.int("position"))
                #expect(next > position)
                position = next
            }
            // 0 B -> 32, 100 B -> 160, 3000 B in three fragments (1408 + 1408 + 288) -> 3104.
            #expect(headers.prefix(3).map { $0.int("position")! } == [32, 192, 3296])
        }

        @Test func subscriberPrintsRawFragmentsBeforeReassembly() throws {
            let driver = try RealAeronMediaDriver()
            let sub = try AeronPeerProcess.startSubscriber(
                directory: driver.path, count: 2, sizes: [3000, 10], extraArguments: ["--print-fragments", "10"])
            try AeronPeerProcess.startPublisher(directory: driver.path, count: 2, sizes: [3000, 10])
                .waitForSuccess(timeout: PeerTimeouts.run)
            let fragments = try sub.waitForSuccess(timeout: PeerTimeouts.run).all("fragment")
            // 3000 B over a 1376 B max payload: BEGIN (0x80), middle (0), END (0x40); then 10 B unfragmented (0xC0).
            #expect(fragments.map { $0.int("flags")! } == [0x80, 0x00, 0x40, 0xC0])
            #expect(fragments.map { $0.int("length")! } == [1376, 1376, 248, 10])
            #expect(fragments.map { $0.int("term_offset")! } == [0, 1408, 2816, 3104])
        }

        @Test func subscriberSeesTheImageGoAfterThePublisherCloses() throws {
            let driver = try RealAeronMediaDriver()
            let sub = try AeronPeerProcess.startSubscriber(
                directory: driver.path, count: 10, extraArguments: ["--wait-image-gone", "60"])
            try AeronPeerProcess.startPublisher(directory: driver.path, count: 10).waitForSuccess(timeout: PeerTimeouts.run)
            let run = try sub.waitForSuccess(timeout: PeerTimeouts.run)
            #expect(run.last("image_gone") != nil)
        }

        @Test func oversizedMessagesAreRejectedWithTheCClientsLimits() throws {
            var options = RealAeronMediaDriver.Options()
            options.termLength = 1 << 16  // max message length = term length / 8
            let driver = try RealAeronMediaDriver(options: options)
            let sub = try AeronPeerProcess.startSubscriber(directory: driver.path, count: 1, timeoutSeconds: 60)
            defer { sub.kill() }
            let offer = try AeronPeerProcess.startPublisher(directory: driver.path, count: 1, sizes: [8193])
                .waitForExit(timeout: PeerTimeouts.run)
            #expect(offer.exit == PeerExit(status: 2, signaled: false))
            #expect(offer.stderr.contains("length=8193 > max_message_length=8192"))
            let claim = try AeronPeerProcess.startPublisher(directory: driver.path, count: 1, sizes: [1377], tryClaim: true)
                .waitForExit(timeout: PeerTimeouts.run)
            #expect(claim.exit == PeerExit(status: 2, signaled: false))
            #expect(claim.stderr.contains("length=1377 > max_payload_length=1376"))
        }

        @Test func subscriberReportsCorruptionAsMismatches() throws {
            // The subscriber expects other sizes than are sent: it must fail, proving verification can fail.
            let driver = try RealAeronMediaDriver()
            let sub = try AeronPeerProcess("sub", directory: driver.path, arguments: [
                "--count", "10", "--sizes", "33", "--timeout-s", "60",
            ])
            try sub.waitForEvent("ready", timeout: PeerTimeouts.ready)
            try AeronPeerProcess.run("pub", directory: driver.path, arguments: ["--count", "10", "--sizes", "32"],
                                     timeout: PeerTimeouts.run)
            let run = try sub.waitForExit(timeout: PeerTimeouts.run)
            #expect(run.exit == PeerExit(status: 1, signaled: false))
            #expect(run.last("done")?.int("errors") == 10)
            #expect(run.all("mismatch").first?.int("expected_length") == 33)
        }

        @Test func subscriberTimesOutWithoutAPublisher() throws {
            let driver = try RealAeronMediaDriver()
            let run = try AeronPeerProcess("sub", directory: driver.path, arguments: ["--count", "1", "--timeout-s", "0.5"])
                .waitForExit(timeout: PeerTimeouts.run)
            #expect(run.exit == PeerExit(status: 3, signaled: false))
            #expect(run.last("done")?.bool("timed_out") == true)
        }
    }
}
