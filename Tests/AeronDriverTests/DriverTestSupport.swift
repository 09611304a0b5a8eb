import Foundation
import Testing
import SharedMemory
import AeronConcurrent
@testable import AeronDriver

/// A fresh, unique Aeron directory name under /dev/shm for one test.
func uniqueAeronDirectory(_ tag: String = #function) -> String {
    let clean = tag.filter { $0.isLetter || $0.isNumber }
    return "/dev/shm/adrv-test-\(clean.prefix(24))-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
}

/// Polls `condition` every 0.5 ms until true or `timeoutS` passes (for clients whose conductor runs on its own
/// thread); the last evaluation is the result.
func awaitCondition(timeoutS: Double = 20, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeoutS)
    while Date() < deadline {
        if condition() { return true }
        usleep(500)
    }
    return condition()
}

/// Small buffers and short timers so driver tests are quick.
func testContext(_ directory: String = uniqueAeronDirectory()) -> MediaDriverContext {
    var context = MediaDriverContext()
    context.aeronDirectory = directory
    context.setCountersValuesBufferLength(1 << 20)
    context.ipcTermLength = 64 * 1024
    context.timerIntervalNs = 20_000_000
    context.initialSessionId = 5000
    context.deleteDirectoryOnShutdown = true
    return context
}

/// A decoded broadcast response.
struct Response {
    let typeId: Int32
    let body: [UInt8]

    func decode<M: ControlMessage>(_ type: M.Type) throws -> M {
        try body.withUnsafeBytes { raw in
            let buffer = AtomicBuffer(base: UnsafeMutableRawPointer(mutating: raw.baseAddress!), capacity: raw.count)
            return try M(decoding: buffer, at: 0, length: raw.count)
        }
    }
}

/// Plays an Aeron client against a driver in invoker mode: writes commands with the shared flyweights into the
/// to-driver ring buffer and reads the broadcast responses, driving the duty cycle itself.
final class ProtocolClient {
    let cnc: CncFile
    let toDriver: ManyToOneRingBuffer
    let receiver: CopyBroadcastReceiver
    let clientId: Int64

    init(directory: String) throws {
        cnc = try CncFile.open(path: directory + "/cnc.dat")
        toDriver = try ManyToOneRingBuffer(buffer: cnc.toDriverBuffer)
        receiver = try CopyBroadcastReceiver(buffer: cnc.toClientsBuffer, scratchLength: 16384)
        clientId = toDriver.nextCorrelationId()
    }

    func nextCorrelationId() -> Int64 { toDriver.nextCorrelationId() }

    func send<M: ControlMessage>(_ typeId: Int32, _ message: M) throws {
        let index = try toDriver.tryClaim(messageTypeId: typeId, length: message.encodedLength)
        try #require(index >= 0)
        message.encode(into: toDriver.buffer, at: index)
        toDriver.commit(index: index)
    }

    func sendRaw(_ typeId: Int32, _ bytes: [UInt8]) throws {
        let ok = try bytes.withUnsafeBytes { try toDriver.write(messageTypeId: typeId, from: $0) }
        try #require(ok)
    }

    /// Runs duty cycles until `count` responses arrived (or `cycles` ran) and returns what was received.
    func pump(_ driver: MediaDriver, count: Int = .max, cycles: Int = 200) throws -> [Response] {
        var responses: [Response] = []
        for _ in 0..<cycles {
            driver.doWork()
            while let (typeId, length) = try receiver.copyNext() {
                responses.append(Response(typeId: typeId, body: Array(receiver.scratchBuffer.bytes(at: 0, count: length))))
            }
            if responses.count >= count { break }
        }
        return responses
    }

    /// Pumps until a response satisfies `predicate` or `timeout` passes (real time, for timer-driven events).
    func pumpUntil(_ driver: MediaDriver, timeout: Duration = .seconds(10), _ predicate: ([Response]) -> Bool) throws -> [Response] {
        var responses: [Response] = []
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            responses += try pump(driver, cycles: 1)
            if predicate(responses) { return responses }
            usleep(1000)
        }
        return responses
    }

    func addPublication(_ channel: String, stream: Int32, exclusive: Bool = false) throws -> Int64 {
        let correlationId = nextCorrelationId()
        try send(exclusive ? ControlCommandTypeId.addExclusivePublication : ControlCommandTypeId.addPublication,
                 PublicationMessage(clientId: clientId, correlationId: correlationId, streamId: stream, channel: channel))
        return correlationId
    }

    func addSubscription(_ channel: String, stream: Int32) throws -> Int64 {
        let correlationId = nextCorrelationId()
        try send(ControlCommandTypeId.addSubscription,
                 SubscriptionMessage(clientId: clientId, correlationId: correlationId, registrationCorrelationId: -1, streamId: stream, channel: channel))
        return correlationId
    }

    /// Release-writes the heartbeat counter value (what real clients do every 500 ms).
    func heartbeat(counterId: Int32) {
        cnc.countersValuesBuffer.setInt64Release(Int64(Date().timeIntervalSince1970 * 1000), at: Int(counterId) * 128)
    }
}

extension Array where Element == Response {
    func ofType(_ typeId: Int32) -> [Response] { filter { $0.typeId == typeId } }
}

/// Each thread of process `pid` as (name, `Cpus_allowed_list`) from /proc: where the scheduler may run it.
func threadCPUMasks(pid: Int32) -> [(name: String, cpus: String)] {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
    return tasks.compactMap { tid in
        guard let comm = try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/comm", encoding: .utf8),
              let status = try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else { return nil }
        return (comm.trimmingCharacters(in: .whitespacesAndNewlines),
                line.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces))
    }
}
