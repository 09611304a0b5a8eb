import Foundation
import Synchronization
import AeronClient
import AeronDriver
import AeronInteropSupport
import SBE
import TensorPoolCodecs
@testable import TensorPool
#if canImport(Glibc)
import Glibc
#endif

/// A `tp` child process whose stdout/stderr lines are collected; killed on `stop()` or deinit.
final class TPChild: @unchecked Sendable {
    let process = Process()
    private let output = Mutex<[String]>([])
    private let pending = Mutex<String>("")

    init(_ arguments: [String]) throws {
        process.executableURL = try BuiltProducts.executable(named: "tp")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.pending.withLock { text in
                text += String(decoding: data, as: UTF8.self)
                while let newline = text.firstIndex(of: "\n") {
                    let line = String(text[..<newline])
                    text = String(text[text.index(after: newline)...])
                    self.output.withLock { $0.append(line) }
                }
            }
        }
        try process.run()
    }

    deinit { stop() }

    var lines: [String] { output.withLock { $0 } }

    /// Waits (bounded) until a line satisfies `predicate`.
    func waitForLine(timeout: Double = 30, _ predicate: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = lines.first(where: predicate) { return line }
            if !process.isRunning { return lines.first(where: predicate) }
            usleep(10_000)
        }
        return nil
    }

    /// Waits for exit (bounded); kills on timeout. Returns the exit status, nil on timeout.
    @discardableResult
    func waitForExit(timeout: Double = 60) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { stop(); return nil }
        usleep(50_000)  // let the reader drain the last lines
        return process.terminationStatus
    }

    func terminate() { if process.isRunning { process.terminate() } }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// An embedded Swift driver in a unique directory for one test.
func launchEmbeddedDriver(_ tag: String = #function) throws -> MediaDriver {
    let clean = tag.filter { $0.isLetter || $0.isNumber }
    var context = MediaDriverContext()
    context.aeronDirectory = "/dev/shm/tp-sys-\(clean.prefix(24))-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    context.ipcTermLength = 64 * 1024
    context.timerIntervalNs = 20_000_000
    context.deleteDirectoryOnShutdown = true
    return try MediaDriver.launch(context)
}

func connectClient(_ directory: String) throws -> Aeron {
    var context = AeronContext(directory: directory)
    context.driverTimeoutMs = 5_000
    return try Aeron.connect(context)
}

func eventuallyTrue(timeoutS: Double = 30, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeoutS)
    while Date() < deadline {
        if try condition() { return true }
        usleep(2000)
    }
    return try condition()
}

/// Decodes `ConsumerConfig` messages as a consumer would.
struct ReceivedConsumerConfigs: ControlMessageHandler {
    var received: [ConsumerConfigCommand] = []
    mutating func onConsumerConfig(_ message: ConsumerConfigDecoder, nowNs: UInt64) throws(SBEError) {
        var decoder = message
        let uri = SBEText.string(try decoder.payloadFallbackUri())
        received.append(ConsumerConfigCommand(
            streamId: decoder.streamId, consumerId: decoder.consumerId, useShm: decoder.useShm == .true,
            mode: ConsumerMode(rawValue: decoder.mode.rawValue) ?? .stream, decimation: decoder.decimation,
            payloadFallbackUri: uri.isEmpty ? nil : uri))
    }
}

func endpoint(_ directory: String) -> AeronEndpointConfiguration { AeronEndpointConfiguration(aeronDir: directory) }

/// A unique empty directory under /dev/shm.
func makeTemporaryDirectory(_ tag: String = #function) throws -> String {
    let clean = tag.filter { $0.isLetter || $0.isNumber }
    let path = "/dev/shm/tp-sysroot-\(clean.prefix(24))-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    return path
}
