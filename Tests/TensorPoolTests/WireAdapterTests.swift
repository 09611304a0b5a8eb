import Testing
import SBE
import TensorPoolCodecs
import MallocCounter
@testable import TensorPool

/// Encodes with the generated codecs, decodes back through the adapters.
@Suite struct WireAdapterTests {
    static func withBuffer<R>(_ body: (UnsafeMutableRawPointer, Int) throws -> R) rethrows -> R {
        let capacity = 4096
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: capacity)
        return try body(buffer, capacity)
    }

    @Test(arguments: [
        ConsumerHint(streamId: 1, consumerId: 2),
        ConsumerHint(streamId: 7, consumerId: 99, supportsShm: false, supportsProgress: true, mode: .decimated, maxRateHz: 30,
                     expectedLayoutVersion: 3, progressIntervalUs: 100, progressBytesDelta: 4096, progressRowsDelta: 8),
    ])
    func consumerHelloRoundTrip(_ hint: ConsumerHint) throws {
        try Self.withBuffer { buffer, capacity in
            let e = try ConsumerHelloEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
            hint.encode(into: e)
            let d = try ConsumerHelloDecoder(wrapAndCheckHeader: UnsafeRawPointer(buffer), offset: 0, capacity: e.encodedLength)
            #expect(try ConsumerHint(d) == hint)
        }
    }

    @Test func unknownModeRejected() throws {
        try Self.withBuffer { buffer, capacity in
            let e = try ConsumerHelloEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
            ConsumerHint(streamId: 1, consumerId: 2).encode(into: e)
            e.mode = .unrecognized(9)
            let d = try ConsumerHelloDecoder(wrapAndCheckHeader: UnsafeRawPointer(buffer), offset: 0, capacity: e.encodedLength)
            #expect(throws: WireDecodingError.unrecognizedEnum(field: "ConsumerHello.mode", raw: 9)) { try ConsumerHint(d) }
            e.mode = .stream
            e.supportsShm = .unrecognized(2)
            #expect(throws: WireDecodingError.unrecognizedEnum(field: "ConsumerHello.supportsShm", raw: 2)) { try ConsumerHint(d) }
        }
    }

    @Test func qosConsumerRoundTrip() throws {
        let report = QosConsumerReport(streamId: 3, consumerId: 4, epoch: 1 << 60, lastSeqSeen: 12345, dropsGap: 6, dropsLate: 7, mode: .latest)
        try Self.withBuffer { buffer, capacity in
            let e = try QosConsumerEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
            report.encode(into: e)
            let d = try QosConsumerDecoder(wrapAndCheckHeader: UnsafeRawPointer(buffer), offset: 0, capacity: e.encodedLength)
            #expect(try QosConsumerReport(d) == report)
        }
    }

    @Test(arguments: [
        ConsumerConfigCommand(streamId: 1, consumerId: 2, mode: .latest),
        ConsumerConfigCommand(streamId: 1, consumerId: 2, useShm: false, mode: .decimated, decimation: 5, payloadFallbackUri: "aeron:udp?endpoint=h:1"),
    ])
    func consumerConfigRoundTrip(_ command: ConsumerConfigCommand) throws {
        try Self.withBuffer { buffer, capacity in
            var e = try ConsumerConfigEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
            let length = try command.encode(into: &e)
            var d = try ConsumerConfigDecoder(wrapAndCheckHeader: UnsafeRawPointer(buffer), offset: 0, capacity: length)
            #expect(try ConsumerConfigCommand(&d) == command)
        }
    }

    @Test func truncatedConsumerConfigIsAnSbeError() throws {
        try Self.withBuffer { buffer, capacity in
            var e = try ConsumerConfigEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
            let length = try ConsumerConfigCommand(streamId: 1, consumerId: 2, mode: .latest, payloadFallbackUri: "bridge://abc").encode(into: &e)
            var d = try ConsumerConfigDecoder(wrapAndCheckHeader: UnsafeRawPointer(buffer), offset: 0, capacity: length - 3)
            #expect(throws: WireDecodingError.self) { try ConsumerConfigCommand(&d) }
        }
    }

    @Test func announceRoundTripAndLimits() throws {
        let announce = AnnounceSummary(streamId: 5, producerId: 6, epoch: 77, layoutVersion: 1, headerRegionUri: "shm:file?path=/dev/shm/h",
                                       headerNslots: 64, pools: [.init(poolId: 1, nslots: 64, strideBytes: 1 << 20, regionUri: "shm:file?path=/dev/shm/p1"),
                                                                 .init(poolId: 2, nslots: 64, strideBytes: 4 << 20, regionUri: "shm:file?path=/dev/shm/p2")])
        try Self.withBuffer { buffer, capacity in
            var e = try ShmPoolAnnounceEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
            let length = try announce.encode(into: &e)
            var d = try ShmPoolAnnounceDecoder(wrapAndCheckHeader: UnsafeRawPointer(buffer), offset: 0, capacity: length)
            #expect(try AnnounceSummary(&d) == announce)
        }
        var long = announce
        long.headerRegionUri = "shm:file?path=/" + String(repeating: "x", count: 5000)
        try Self.withBuffer { buffer, capacity in
            var e = try ShmPoolAnnounceEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
            #expect(throws: SBEError.self) { _ = try long.encode(into: &e) }  // 4096-byte buffer: too short
        }
        let big = 16_384
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: big, alignment: 8)
        defer { buffer.deallocate() }
        var e = try ShmPoolAnnounceEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: big)
        let length = try long.encode(into: &e)
        var d = try ShmPoolAnnounceDecoder(wrapAndCheckHeader: UnsafeRawPointer(buffer), offset: 0, capacity: length)
        #expect(throws: WireDecodingError.tooLong(field: "ShmPoolAnnounce.headerRegionUri", length: 5015, maximum: 4096)) { try AnnounceSummary(&d) }
    }

    @Test func frameDescriptorAndProgressAllocateNothing() throws {
        try Self.withBuffer { buffer, capacity in
            let fd = try FrameDescriptorEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
            let progressBuffer = buffer + 512
            var sum: UInt64 = 0
            func run(_ n: Int) throws {
                for i in 0..<n {
                    fd.streamId = 1; fd.epoch = 2; fd.seq = UInt64(i); fd.headerIndex = UInt32(i & 63); fd.timestampNs = nil; fd.metaVersion = nil
                    let d = try FrameDescriptorDecoder(wrapAndCheckHeader: UnsafeRawPointer(buffer), offset: 0, capacity: fd.encodedLength)
                    let v = FrameDescriptorValue(d)
                    sum &+= v.seq &+ (v.timestampNs ?? 1)
                    let pe = try FrameProgressEncoder(wrapAndApplyHeader: progressBuffer, offset: 0, capacity: 256)
                    ProgressEmission(frameId: v.seq, headerIndex: v.headerIndex, payloadBytesFilled: 10, rowsFilled: nil, state: .progress)
                        .encode(into: pe, streamId: 1, epoch: 2)
                }
            }
            try run(10)
            let before = malloc_counter_thread_allocations()
            try run(10_000)
            #expect(malloc_counter_thread_allocations() - before == 0)
            #expect(sum > 0)
            let pd = try FrameProgressDecoder(wrapAndCheckHeader: UnsafeRawPointer(progressBuffer), offset: 0, capacity: 256)
            #expect(pd.frameId == 9_999 && pd.state == .progress && pd.rowsFilled == nil && pd.epoch == 2)
        }
    }
}
