import Foundation
import Synchronization
import Testing
import AeronInteropSupport
@testable import AeronDriver

/// The Swift client (`tp aeron pub` / `tp aeron sub`, branch aeron-client) on one side, a real C 1.53 client on the
/// other, both on the Swift driver.
@Suite(.serialized)
struct SwiftClientOnSwiftDriverTests {
    static let sizes = "0,1,31,32,33,1376,1377,4097,65536"

    /// Runs `tp aeron <arguments>` to completion (bounded) and returns its exit status and output.
    static func tpAeron(_ arguments: [String], timeout: Double = 120) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = try BuiltProducts.executable(named: "tp")
        process.arguments = ["aeron"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        var output = Data()
        let deadline = Date().addingTimeInterval(timeout)
        let handle = pipe.fileHandleForReading
        while process.isRunning && Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { usleep(10_000) } else { output.append(chunk) }
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        output.append(handle.readDataToEndOfFile())
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test(arguments: [false, true])
    func swiftPublicationToRealCSubscription(exclusive: Bool) throws {
        let driver = try RealCClientsOnSwiftDriverTests.launchDriver()
        defer { driver.close() }
        let sub = try AeronPeerProcess("sub", directory: driver.aeronDirectory, arguments: [
            "--stream", "31", "--count", "20000", "--sizes", Self.sizes, "--timeout-s", "100",
        ])
        try sub.waitForEvent("ready", timeout: 30)
        let pub = try Self.tpAeron(["pub", "--dir", driver.aeronDirectory, "--stream", "31", "--count", "20000", "--sizes", Self.sizes]
                                   + (exclusive ? ["--exclusive"] : []))
        #expect(pub.status == 0, "\(pub.output)")
        let run = try sub.waitForSuccess(timeout: 120)
        #expect(run.last("done")?.int("received") == 20000)
        #expect(run.last("done")?.int("errors") == 0)
    }

    @Test func realCPublicationToSwiftSubscription() throws {
        let driver = try RealCClientsOnSwiftDriverTests.launchDriver()
        defer { driver.close() }
        let result = Mutex<(Int32, String)?>(nil)
        let dir = driver.aeronDirectory
        let thread = Thread {
            let r = try? Self.tpAeron(["sub", "--dir", dir, "--stream", "32", "--count", "20000", "--sizes", Self.sizes, "--timeout-s", "100"])
            result.withLock { $0 = r.map { ($0.status, $0.output) } ?? (-1, "tp aeron sub could not start") }
        }
        thread.start()
        // The Swift subscriber registers first; the C publisher waits until it is connected.
        let pub = try AeronPeerProcess("pub", directory: dir, arguments: [
            "--stream", "32", "--count", "20000", "--sizes", Self.sizes, "--timeout-s", "100",
        ])
        _ = try pub.waitForSuccess(timeout: 120)
        let deadline = Date().addingTimeInterval(120)
        while result.withLock({ $0 == nil }) && Date() < deadline { usleep(20_000) }
        let (status, output) = try #require(result.withLock { $0 })
        #expect(status == 0, "\(output)")
        #expect(output.contains("done received=20000 errors=0"), "\(output)")
    }
}
