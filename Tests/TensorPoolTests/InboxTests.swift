import Testing
import SBE
import TensorPoolCodecs
import MallocCounter
@testable import TensorPool

/// A reusable message buffer for building wire messages in tests.
final class MessageBuffer {
    let capacity = 4096
    let pointer: UnsafeMutableRawPointer
    var length = 0

    init() {
        pointer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: capacity)
    }
    deinit { pointer.deallocate() }

    var raw: UnsafeRawPointer { UnsafeRawPointer(pointer) }

    func hello(_ hint: ConsumerHint) throws {
        let e = try ConsumerHelloEncoder(wrapAndApplyHeader: pointer, offset: 0, capacity: capacity)
        hint.encode(into: e)
        length = e.encodedLength
    }
    func qos(_ report: QosConsumerReport) throws {
        let e = try QosConsumerEncoder(wrapAndApplyHeader: pointer, offset: 0, capacity: capacity)
        report.encode(into: e)
        length = e.encodedLength
    }
    func announce(_ a: AnnounceSummary) throws {
        var e = try ShmPoolAnnounceEncoder(wrapAndApplyHeader: pointer, offset: 0, capacity: capacity)
        length = try a.encode(into: &e)
    }
    func config(_ c: ConsumerConfigCommand) throws {
        var e = try ConsumerConfigEncoder(wrapAndApplyHeader: pointer, offset: 0, capacity: capacity)
        length = try c.encode(into: &e)
    }
    func descriptor(stream: UInt32 = 1, epoch: UInt64, seq: UInt64, nslots: UInt64 = 8) throws {
        let e = try FrameDescriptorEncoder(wrapAndApplyHeader: pointer, offset: 0, capacity: capacity)
        e.streamId = stream; e.epoch = epoch; e.seq = seq; e.headerIndex = UInt32(seq & (nslots - 1)); e.timestampNs = nil; e.metaVersion = nil
        length = e.encodedLength
    }
    func qosProducer(stream: UInt32 = 1, producer: UInt32 = 1, epoch: UInt64, seq: UInt64) throws {
        let e = try QosProducerEncoder(wrapAndApplyHeader: pointer, offset: 0, capacity: capacity)
        e.streamId = stream; e.producerId = producer; e.epoch = epoch; e.currentSeq = seq; e.watermark = nil
        length = e.encodedLength
    }
    func heartbeat(stream: UInt32 = 1, producer: UInt32 = 1, epoch: UInt64) throws {
        let e = try HeartbeatEncoder(wrapAndApplyHeader: pointer, offset: 0, capacity: capacity)
        e.streamId = stream; e.producerId = producer; e.epoch = epoch; e.timestampNs = 0
        length = e.encodedLength
    }
    func progress(_ p: ProgressEmission, epoch: UInt64) throws {
        let e = try FrameProgressEncoder(wrapAndApplyHeader: pointer, offset: 0, capacity: capacity)
        p.encode(into: e, streamId: 1, epoch: epoch)
        length = e.encodedLength
    }
}

private let s: UInt64 = 1_000_000_000

@Suite struct SupervisorInboxTests {
    @Test func routesMessagesToRegistry() throws {
        let inbox = SupervisorInbox(registry: SupervisorRegistry())
        let m = MessageBuffer()
        try m.heartbeat(epoch: 4)
        inbox.handle(m.raw, length: m.length, sessionId: 1, nowNs: 0)
        try m.qosProducer(epoch: 4, seq: 99)
        inbox.handle(m.raw, length: m.length, sessionId: 1, nowNs: 0)
        try m.hello(ConsumerHint(streamId: 1, consumerId: 5, mode: .latest))
        inbox.handle(m.raw, length: m.length, sessionId: 2, nowNs: 0)
        try m.qos(QosConsumerReport(streamId: 1, consumerId: 5, epoch: 4, lastSeqSeen: 98, dropsGap: 1, dropsLate: 2, mode: .latest))
        inbox.handle(m.raw, length: m.length, sessionId: 2, nowNs: 0)
        try m.qos(QosConsumerReport(streamId: 1, consumerId: 5, epoch: 4, lastSeqSeen: 3, dropsGap: 0, dropsLate: 0, mode: .stream))
        inbox.handle(m.raw, length: m.length, sessionId: 3, nowNs: 1)            // same id, other session: restart...
        try m.qos(QosConsumerReport(streamId: 1, consumerId: 5, epoch: 4, lastSeqSeen: 99, dropsGap: 1, dropsLate: 2, mode: .latest))
        inbox.handle(m.raw, length: m.length, sessionId: 2, nowNs: 2)            // ...until the old session speaks again
        try m.descriptor(epoch: 4, seq: 1)
        inbox.handle(m.raw, length: m.length, sessionId: 1, nowNs: 0)            // not for the supervisor
        #expect(inbox.counters.applied == 6)
        #expect(inbox.counters.ignored == 1)
        let status = inbox.registry.status(nowNs: 2)
        #expect(status.producers.first?.currentSeq == 99)
        #expect(status.consumers.first?.lastSeqSeen == 3)
        #expect(status.consumers.first?.colliding == true)
    }

    @Test func malformedAndForeignMessagesAreCountedNotTrusted() throws {
        let inbox = SupervisorInbox(registry: SupervisorRegistry())
        let m = MessageBuffer()
        try m.qos(QosConsumerReport(streamId: 1, consumerId: 5, epoch: 4, lastSeqSeen: 98, dropsGap: 1, dropsLate: 2, mode: .latest))
        inbox.handle(m.raw, length: m.length - 1, sessionId: 1, nowNs: 0)        // truncated
        inbox.handle(m.raw, length: 3, sessionId: 1, nowNs: 0)                   // shorter than a header
        m.pointer.storeBytes(of: UInt8(7), toByteOffset: 8 + 40, as: UInt8.self) // mode = 7
        inbox.handle(m.raw, length: m.length, sessionId: 1, nowNs: 0)
        m.pointer.storeBytes(of: UInt16(901).littleEndian, toByteOffset: 4, as: UInt16.self)
        inbox.handle(m.raw, length: m.length, sessionId: 1, nowNs: 0)            // other schema
        #expect(inbox.counters.malformed == 2)
        #expect(inbox.counters.foreignSchema == 2)
        #expect(inbox.counters.lastError == .unrecognizedEnum(field: "QosConsumer.mode", raw: 7))
        #expect(inbox.registry.consumers.isEmpty)
    }
}

@Suite struct ProducerInboxTests {
    @Test func helloRegistersAndChangesPolicy() throws {
        let inbox = ProducerInbox(registry: ProducerConsumerRegistry(streamId: 1, cadenceNs: s, expiryMultiple: 3))
        let m = MessageBuffer()
        try m.hello(ConsumerHint(streamId: 1, consumerId: 5, supportsProgress: true, progressIntervalUs: 100))
        inbox.handle(m.raw, length: m.length, nowNs: 0)
        #expect(inbox.takePolicyChanged())
        #expect(!inbox.takePolicyChanged())
        #expect(inbox.registry.progressWanted)
        try m.hello(ConsumerHint(streamId: 2, consumerId: 6))
        inbox.handle(m.raw, length: m.length, nowNs: 0)
        try m.qos(QosConsumerReport(streamId: 1, consumerId: 5, epoch: 1, lastSeqSeen: 1, dropsGap: 0, dropsLate: 0, mode: .stream))
        inbox.handle(m.raw, length: m.length, nowNs: 2 * s)
        inbox.registry.expire(nowNs: 4 * s)
        #expect(inbox.registry.consumerIds == [5])
        #expect(inbox.counters.applied == 2 && inbox.counters.ignored == 1)
        inbox.handle(m.raw, length: 10, nowNs: 0)
        #expect(inbox.counters.malformed == 1)
    }
}

@Suite struct ConsumerInboxTests {
    static let announce = AnnounceSummary(streamId: 1, producerId: 1, epoch: 4, layoutVersion: 1, headerRegionUri: "shm:file?path=/dev/shm/h",
                                          headerNslots: 8, pools: [.init(poolId: 1, nslots: 8, strideBytes: 4096, regionUri: "shm:file?path=/dev/shm/p")])

    static func mappedCoordinator(_ m: MessageBuffer, settings: ConsumerModeSettings = ConsumerModeSettings()) throws -> ConsumerCoordinator {
        var c = ConsumerCoordinator(consumerId: 42, mappingParameters: .init(streamId: 1), settings: settings)
        try m.announce(announce)
        #expect(c.handle(m.raw, length: m.length, nowNs: 0) == .actions([.map(announce)]))
        _ = c.mapSucceeded(epoch: 4, nowNs: 0)
        return c
    }

    @Test func descriptorFlowAndRegression() throws {
        let m = MessageBuffer()
        var c = try Self.mappedCoordinator(m)
        try m.descriptor(epoch: 4, seq: 3)
        let event = c.handle(m.raw, length: m.length, nowNs: 1)
        #expect(event == .read(FrameDescriptorValue(epoch: 4, seq: 3, headerIndex: 3)))
        try m.descriptor(stream: 2, epoch: 4, seq: 4)
        #expect(c.handle(m.raw, length: m.length, nowNs: 1) == .none)
        try m.descriptor(epoch: 4, seq: 1)
        #expect(c.handle(m.raw, length: m.length, nowNs: 1) == .actions([.dropInFlight, .unmap(.seqRegression)]))
        #expect(c.inboxCounters.applied == 3)   // announce, 2 descriptors of stream 1
        #expect(c.inboxCounters.ignored == 1)
    }

    @Test func configAndQosProducer() throws {
        let m = MessageBuffer()
        var c = try Self.mappedCoordinator(m, settings: ConsumerModeSettings(maxOutstandingSeqGap: 2))
        try m.config(ConsumerConfigCommand(streamId: 1, consumerId: 42, mode: .latest))
        #expect(c.handle(m.raw, length: m.length, nowNs: 1) == .none)
        #expect(c.admission.settings.mode == .latest)
        try m.config(ConsumerConfigCommand(streamId: 1, consumerId: 43, mode: .stream))
        _ = c.handle(m.raw, length: m.length, nowNs: 1)
        #expect(c.admission.settings.mode == .latest)
        try m.qosProducer(epoch: 4, seq: 100)
        _ = c.handle(m.raw, length: m.length, nowNs: 1)
        try m.descriptor(epoch: 4, seq: 3)
        #expect(c.handle(m.raw, length: m.length, nowNs: 1) == .none)
        #expect(c.admission.counters.resync == 1)
    }

    @Test func progressOnlyWhenFollowedAndWanted() throws {
        let m = MessageBuffer()
        var c = try Self.mappedCoordinator(m, settings: ConsumerModeSettings(mode: .decimated, decimation: 4))
        try m.descriptor(epoch: 4, seq: 0)
        if case .read(let d) = c.handle(m.raw, length: m.length, nowNs: 1) {
            c.recordRead(d, outcome: .accepted, nowNs: 1)
        }
        try m.progress(ProgressEmission(frameId: 2, headerIndex: 2, payloadBytesFilled: 64, rowsFilled: nil, state: .progress), epoch: 4)
        #expect(c.handle(m.raw, length: m.length, nowNs: 2, followProgress: true) == .none)    // decimated away
        #expect(c.handle(m.raw, length: m.length, nowNs: 2) == .none)                           // not followed: ignored
        try m.progress(ProgressEmission(frameId: 4, headerIndex: 4, payloadBytesFilled: 64, rowsFilled: 2, state: .started), epoch: 4)
        #expect(c.handle(m.raw, length: m.length, nowNs: 2, followProgress: true)
                == .progress(FrameProgressObservation(epoch: 4, frameId: 4, headerIndex: 4, payloadBytesFilled: 64, rowsFilled: 2, state: .started)))
    }

    @Test func descriptorPathThroughInboxAllocatesNothing() throws {
        let m = MessageBuffer()
        var c = try Self.mappedCoordinator(m)
        var delivered = 0
        func run(_ from: Int, _ count: Int) throws {
            for i in from..<(from + count) {
                let seq = UInt64(i)
                try m.descriptor(epoch: 4, seq: seq)
                if case .read(let d) = c.handle(m.raw, length: m.length, nowNs: seq) {
                    c.recordRead(d, outcome: .accepted, nowNs: seq)
                    delivered += 1
                }
            }
        }
        try run(0, 100)
        let before = malloc_counter_thread_allocations()
        try run(100, 20_000)
        let allocations = malloc_counter_thread_allocations() - before
        #expect(allocations == 0)
        #expect(delivered == 20_100)
    }
}
