import MallocCounter
import Testing
import TensorPoolCodecs

/// Encoding and decoding the fixed-size hot-path messages and the slot header allocate nothing.
@Suite struct ZeroAllocationTests {
    /// Encodes and decodes each fixed-size message once; returns a checksum so nothing is optimised away.
    @inline(never)
    static func roundTrip(_ buffer: UnsafeMutableRawPointer, capacity: Int, seq: UInt64) throws -> UInt64 {
        let readable = UnsafeRawPointer(buffer)
        var sum: UInt64 = 0

        let fd = try FrameDescriptorEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
        fd.streamId = 1; fd.epoch = 2; fd.seq = seq; fd.headerIndex = UInt32(truncatingIfNeeded: seq & 1023)
        fd.timestampNs = seq; fd.metaVersion = nil
        let fdd = try FrameDescriptorDecoder(wrapAndCheckHeader: readable, offset: 0, capacity: capacity)
        sum &+= fdd.seq &+ UInt64(fdd.headerIndex) &+ (fdd.timestampNs ?? 0) &+ UInt64(fdd.metaVersion ?? 1)

        let hello = try ConsumerHelloEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
        hello.streamId = 1; hello.consumerId = 2; hello.supportsShm = .true; hello.supportsProgress = .false
        hello.mode = .latest; hello.maxRateHz = 30; hello.expectedLayoutVersion = 1
        hello.progressIntervalUs = 250; hello.progressBytesDelta = nil; hello.progressRowsDelta = 0
        let hellod = try ConsumerHelloDecoder(wrapAndCheckHeader: readable, offset: 0, capacity: capacity)
        sum &+= UInt64(hellod.consumerId) &+ (hellod.mode == .latest ? 1 : 0) &+ UInt64(hellod.progressIntervalUs ?? 0)

        let qc = try QosConsumerEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
        qc.streamId = 1; qc.consumerId = 2; qc.epoch = 3; qc.lastSeqSeen = seq; qc.dropsGap = 0; qc.dropsLate = 1; qc.mode = .stream
        let qcd = try QosConsumerDecoder(wrapAndCheckHeader: readable, offset: 0, capacity: capacity)
        sum &+= qcd.lastSeqSeen &+ qcd.dropsLate &+ (qcd.mode == .stream ? 1 : 0)

        let qp = try QosProducerEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
        qp.streamId = 1; qp.producerId = 2; qp.epoch = 3; qp.currentSeq = seq; qp.watermark = nil
        let qpd = try QosProducerDecoder(wrapAndCheckHeader: readable, offset: 0, capacity: capacity)
        sum &+= qpd.currentSeq &+ UInt64(qpd.watermark ?? 0)

        let fp = try FrameProgressEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
        fp.streamId = 1; fp.epoch = 2; fp.frameId = seq; fp.headerIndex = 3; fp.payloadBytesFilled = 4096
        fp.state = .progress; fp.rowsFilled = 10
        let fpd = try FrameProgressDecoder(wrapAndCheckHeader: readable, offset: 0, capacity: capacity)
        sum &+= fpd.frameId &+ fpd.payloadBytesFilled &+ UInt64(fpd.rowsFilled ?? 0) &+ UInt64(fpd.state.rawValue)

        let hb = try HeartbeatEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
        hb.streamId = 1; hb.producerId = 2; hb.epoch = 3; hb.timestampNs = seq
        let hbd = try HeartbeatDecoder(wrapAndCheckHeader: readable, offset: 0, capacity: capacity)
        sum &+= hbd.timestampNs

        let slot = try TensorSlotHeader256Encoder(wrap: buffer, offset: 0, capacity: capacity)
        slot.commitWord = seq << 1 | 1; slot.frameId = seq; slot.timestampNs = seq; slot.metaVersion = 1
        slot.valuesLenBytes = 640 * 480; slot.payloadSlot = 3; slot.payloadOffset = 0; slot.poolId = 1
        slot.dtype = .uint8; slot.majorOrder = .row; slot.ndims = 2; slot.padAlign = 0
        slot.setDims(at: 0, 480); slot.setDims(at: 1, 640)
        slot.setStrides(at: 0, 640); slot.setStrides(at: 1, 1)
        slot.commitWord = seq << 1
        let slotd = try TensorSlotHeader256Decoder(wrap: readable, offset: 0, capacity: capacity)
        sum &+= slotd.commitWord &+ UInt64(slotd.dims(at: 1)) &+ UInt64(slotd.strides(at: 0)) &+ (slotd.dtype == .uint8 ? 1 : 0)

        let sb = try ShmRegionSuperblockEncoder(wrap: buffer, offset: 0, capacity: capacity)
        sb.magic = 0x544F_504C_5348_4D31; sb.epoch = seq; sb.regionType = .headerRing; sb.activityTimestampNs = seq
        let sbd = try ShmRegionSuperblockDecoder(wrap: readable, offset: 0, capacity: capacity)
        sum &+= sbd.epoch &+ (sbd.regionType == .headerRing ? 1 : 0)
        return sum
    }

    @Test func fixedSizeMessagesAndSlotHeaderAllocateNothing() throws {
        let capacity = 256
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: capacity)
        var sum = try Self.roundTrip(buffer, capacity: capacity, seq: 1)
        let before = malloc_counter_thread_allocations()
        var seq: UInt64 = 2
        while seq < 10_002 {
            sum &+= try Self.roundTrip(buffer, capacity: capacity, seq: seq)
            seq += 1
        }
        let allocations = malloc_counter_thread_allocations() - before
        #expect(allocations == 0)
        #expect(sum != 0)
    }

    @Test func counterSeesAllocations() {
        let before = malloc_counter_thread_allocations()
        let array = [UInt8](repeating: 1, count: Int.random(in: 100...200))
        #expect(malloc_counter_thread_allocations() - before >= 1)
        #expect(array.count >= 100)
    }

    @Test func decodingGroupsAndVarDataAllocatesNothing() throws {
        let golden = GoldenSamples.shmPoolAnnounce.golden
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: golden.count, alignment: 8)
        defer { memory.deallocate() }
        memory.copyBytes(from: golden)
        let buffer = UnsafeRawPointer(memory.baseAddress!)
        @inline(never)
        func walk() throws -> Int {
            var d = try ShmPoolAnnounceDecoder(wrapAndCheckHeader: buffer, offset: 0, capacity: golden.count)
            var total = Int(d.maxDims)
            var pools = try d.payloadPools()
            while try pools.next() { total += Int(pools.poolId) + (try pools.regionUri()).count }
            total += try d.headerRegionUri().count
            return total + (try d.encodedLength())
        }
        var sum = try walk()
        let before = malloc_counter_thread_allocations()
        var i = 0
        while i < 5000 {
            sum &+= try walk()
            i += 1
        }
        #expect(malloc_counter_thread_allocations() - before == 0)
        #expect(sum == 5001 * (8 + 1 + 2 + 2 + 0 + 3 + golden.count))
    }
}
