import Testing
import Foundation
import AeronClient
import AeronInteropSupport

/// Two Swift clients in two processes on one stream: this test process publishes, `tp aeron sub` (a second
/// process) receives and verifies the pattern, through the real C media driver.
@Suite(.serialized) struct TwoProcessTests {
    func runTpSub(driver: RealAeronMediaDriver, channel: String, count: Int, sizes: [Int], exclusive: Bool) throws {
        let tp = try BuiltProducts.executable(named: "tp")
        let child = Process()
        child.executableURL = tp
        child.arguments = ["aeron", "sub", "--dir", driver.path, "--channel", channel, "--stream", "2002", "--count", "\(count)",
                           "--sizes", sizes.map(String.init).joined(separator: ","), "--timeout-s", "60"]
        let output = Pipe()
        child.standardOutput = output
        child.standardError = output
        try child.run()
        defer { if child.isRunning { child.terminate() } }

        let aeron = try Aeron.connect(ClientTestSupport.context(driver.path))
        defer { aeron.close() }
        var scratch = [UInt8](repeating: 0, count: sizes.max()!)
        var sent = 0
        let deadline = Date().addingTimeInterval(60)
        func send(_ offer: (UnsafeRawBufferPointer) -> PublicationResult) {
            while sent < count && Date() < deadline {
                let size = sizes[sent % sizes.count]
                let result = scratch.withUnsafeMutableBytes { raw -> PublicationResult in
                    let m = UnsafeMutableRawBufferPointer(rebasing: raw[0..<size])
                    MessagePattern.fill(m, index: UInt64(sent))
                    return offer(UnsafeRawBufferPointer(m))
                }
                if result.position != nil { sent += 1 }
            }
        }
        if exclusive {
            let p = try aeron.addExclusivePublication(channel: channel, streamId: 2002)
            send { p.offer($0) }
        } else {
            let p = try aeron.addPublication(channel: channel, streamId: 2002)
            send { p.offer($0) }
        }
        #expect(sent == count)
        let exitDeadline = Date().addingTimeInterval(60)
        while child.isRunning && Date() < exitDeadline { usleep(10_000) }
        if child.isRunning { child.terminate(); Issue.record("tp aeron sub did not finish") }
        child.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(child.terminationStatus == 0, "tp aeron sub: \(text)")
        #expect(text.contains("done received=\(count) errors=0"), "\(text)")
    }

    @Test func swiftPublisherToTpSubOverIpc() throws {
        let driver = try RealAeronMediaDriver()
        try runTpSub(driver: driver, channel: "aeron:ipc", count: 20_000, sizes: [0, 32, 1377, 65_536], exclusive: false)
    }

    @Test func swiftExclusivePublisherToTpSubOverUdp() throws {
        let driver = try RealAeronMediaDriver()
        let port = Int.random(in: 20_000...40_000)
        try runTpSub(driver: driver, channel: "aeron:udp?endpoint=localhost:\(port)", count: 5_000, sizes: [0, 32, 1377, 20_000], exclusive: true)
    }
}
