import Foundation
import SharedMemory
import AeronConcurrent
@testable import AeronClient

/// A hand-built Aeron directory that looks like a live driver (valid CnC, fresh heartbeat) but has no driver:
/// tests inject responses themselves to exercise the client's parsing and hot paths deterministically.
final class FakeDriverDirectory {
    let path: String
    let cnc: CncFile

    init() throws {
        path = "/dev/shm/tp-fake-aeron-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        var layout = CncFileDescriptor.Layout.defaults
        layout.toDriverBufferLength = 64 * 1024 + RingBufferDescriptor.trailerLength
        layout.toClientsBufferLength = 64 * 1024 + CncFileDescriptor.toClientsTrailerLength
        layout.countersValuesBufferLength = 128 * 128
        layout.countersMetadataBufferLength = 4 * 128 * 128
        layout.errorLogBufferLength = 64 * 1024
        cnc = try CncFile.create(path: path + "/cnc.dat", layout: layout, startTimestampMs: AeronClock.epochMillis(), pid: Int64(getpid()))
        try ManyToOneRingBuffer(buffer: cnc.toDriverBuffer).setConsumerHeartbeatTime(AeronClock.epochMillis())
        cnc.publishVersion()
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    var ring: ManyToOneRingBuffer { try! ManyToOneRingBuffer(buffer: cnc.toDriverBuffer) }

    /// An invoker-mode client on this directory.
    func connect() throws -> Aeron {
        var context = AeronContext(directory: path)
        context.useConductorAgentInvoker = true
        context.driverTimeoutMs = 60_000
        return try Aeron.connect(context)
    }

    /// Creates a log buffer file as a driver would for an IPC publication.
    func createLog(name: String, termLength: Int = 64 * 1024, sessionId: Int32 = 77, streamId: Int32 = 1001) throws -> String {
        let logPath = path + "/" + name + ".logbuffer"
        let log = try LogBuffers(creating: logPath, termLength: termLength)
        log.initialiseMetadata(correlationId: 1, initialTermId: 5, mtu: 1408, sessionId: sessionId, streamId: streamId, isConnected: true)
        return logPath
    }

    /// Encodes `message` into a scratch buffer and feeds it to the client as a broadcast response.
    func inject<M: ControlMessage>(_ aeron: Aeron, _ typeId: Int32, _ message: M, truncateTo: Int? = nil) {
        let length = message.encodedLength
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: max(length, 8), alignment: 8)
        defer { scratch.deallocate() }
        let buffer = AtomicBuffer(base: scratch, capacity: max(length, 8))
        message.encode(into: buffer, at: 0)
        aeron.conductor.injectResponse(typeId: typeId, AtomicBuffer(base: scratch, capacity: truncateTo ?? length), length: truncateTo ?? length)
    }

    func setCounter(_ id: Int32, _ value: Int64) {
        cnc.countersValuesBuffer.setInt64Release(value, at: CounterDescriptor.valueRecordOffset(id))
    }
}
