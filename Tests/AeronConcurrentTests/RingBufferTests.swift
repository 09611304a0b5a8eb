import Testing
import SharedMemory
@testable import AeronConcurrent

@Suite struct ManyToOneRingBufferTests {
    static let capacity = 1024
    let region = TestRegion(length: capacity + RingBufferDescriptor.trailerLength)
    var ring: ManyToOneRingBuffer { try! ManyToOneRingBuffer(buffer: region.buffer) }

    func drain(_ ring: ManyToOneRingBuffer) -> [(Int32, [UInt8])] {
        var out: [(Int32, [UInt8])] = []
        while true {
            let before = ring.consumerPosition
            let n = ring.read { type, buffer, offset, length in out.append((type, Array(buffer.bytes(at: offset, count: length)))) }
            if n == 0 && ring.consumerPosition == before { return out } // padding alone consumes bytes, no message
        }
    }

    @Test func rejectsNonPowerOfTwoCapacity() {
        let bad = TestRegion(length: 1000 + RingBufferDescriptor.trailerLength)
        #expect(throws: RingBufferError.self) { try ManyToOneRingBuffer(buffer: bad.buffer) }
    }

    @Test func writeThenReadInOrderAndZeroes() throws {
        let ring = self.ring
        for i in 0..<5 {
            let bytes = [UInt8](repeating: UInt8(i), count: i * 3)
            #expect(try bytes.withUnsafeBytes { try ring.write(messageTypeId: Int32(i + 1), from: $0) })
        }
        let out = drain(ring)
        #expect(out.map(\.0) == [1, 2, 3, 4, 5])
        #expect(out[4].1 == [UInt8](repeating: 4, count: 12))
        #expect(ring.consumerPosition == ring.producerPosition)
        #expect(region.buffer.bytes(at: 0, count: 128).allSatisfy { $0 == 0 })
    }

    @Test func invalidArgumentsAreErrors() {
        let ring = self.ring
        #expect(throws: RingBufferError.invalidMessageTypeId(0)) { try ring.tryClaim(messageTypeId: 0, length: 8) }
        #expect(throws: RingBufferError.messageTooLong(length: 129, max: 128)) { try ring.tryClaim(messageTypeId: 1, length: 129) }
    }

    @Test func fullBufferRefusesThenAcceptsAfterRead() throws {
        let ring = self.ring
        let body = [UInt8](repeating: 7, count: 120) // 128-byte records: 8 fill the buffer
        var written = 0
        while try body.withUnsafeBytes({ try ring.write(messageTypeId: 9, from: $0) }) { written += 1 }
        #expect(written == 8)
        #expect(ring.size == Self.capacity)
        _ = ring.read(limit: 1) { _, _, _, _ in }
        #expect(try body.withUnsafeBytes { try ring.write(messageTypeId: 9, from: $0) })
    }

    @Test func wrapInsertsPaddingRecord() throws {
        let ring = self.ring
        let big = [UInt8](repeating: 1, count: 120)   // 128 bytes each
        for _ in 0..<7 { _ = try big.withUnsafeBytes { try ring.write(messageTypeId: 2, from: $0) } }
        #expect(drain(ring).count == 7)               // head at 896
        let record = [UInt8](repeating: 3, count: 128) // needs 136 > 128 left: pads 128, goes to 0
        let index = try ring.tryClaim(messageTypeId: 4, length: 128)
        #expect(index == RecordDescriptor.headerLength)
        record.withUnsafeBytes { region.buffer.copy(from: $0.baseAddress!, count: 128, to: index) }
        ring.commit(index: index)
        #expect(region.buffer.int32(at: 896 + 4) == RecordDescriptor.paddingMessageTypeId)
        #expect(region.buffer.int32(at: 896) == 128)
        let out = drain(ring)
        #expect(out.count == 1 && out[0].0 == 4 && out[0].1 == record)
        #expect(ring.consumerPosition == 896 + 128 + 136)
    }

    @Test func abortedClaimIsSkipped() throws {
        let ring = self.ring
        let index = try ring.tryClaim(messageTypeId: 5, length: 16)
        ring.abort(index: index)
        _ = try [UInt8](repeating: 1, count: 4).withUnsafeBytes { try ring.write(messageTypeId: 6, from: $0) }
        #expect(drain(ring).map(\.0) == [6])
    }

    @Test func unblockFreesAnUncommittedClaim() throws {
        let ring = self.ring
        _ = try ring.tryClaim(messageTypeId: 5, length: 16) // producer "dies" here
        _ = try [UInt8](repeating: 1, count: 4).withUnsafeBytes { try ring.write(messageTypeId: 6, from: $0) }
        #expect(drain(ring).isEmpty)
        #expect(ring.unblock())
        #expect(drain(ring).map(\.0) == [6])
        #expect(!ring.unblock())
    }

    @Test func unblockCoversAZeroGapBeforeALaterRecord() throws {
        let ring = self.ring
        // Simulate a producer that advanced the tail but never wrote its header (length 0).
        _ = region.buffer.getAndAddInt64(at: Self.capacity + RingBufferDescriptor.tailPositionOffset, 32)
        _ = try [UInt8](repeating: 1, count: 4).withUnsafeBytes { try ring.write(messageTypeId: 6, from: $0) }
        #expect(drain(ring).isEmpty)
        #expect(ring.unblock())
        #expect(region.buffer.int32(at: 0) == 32)
        #expect(drain(ring).map(\.0) == [6])
    }

    @Test func controlledReadAbortLeavesRecord() throws {
        let ring = self.ring
        for t in 1...3 { _ = try [UInt8](repeating: 1, count: 4).withUnsafeBytes { try ring.write(messageTypeId: Int32(t), from: $0) } }
        var seen: [Int32] = []
        let n = ring.controlledRead { type, _, _, _ in
            if type == 2 { return .abort }
            seen.append(type); return .commit
        }
        #expect(n == 1 && seen == [1])
        #expect(drain(ring).map(\.0) == [2, 3])
    }

    @Test func correlationIdsAndHeartbeat() {
        let ring = self.ring
        #expect(ring.nextCorrelationId() == 0)
        #expect(ring.nextCorrelationId() == 1)
        ring.setConsumerHeartbeatTime(1234)
        #expect(ring.consumerHeartbeatTime == 1234)
    }

    @Test func concurrentProducersLoseNothing() async throws {
        let big = TestRegion(length: 64 * 1024 + RingBufferDescriptor.trailerLength)
        let ring = try ManyToOneRingBuffer(buffer: big.buffer)
        let perProducer = 20_000
        let producers = (0..<2).map { p in
            Thread.detachedProducer { 
                var v = 0
                while v < perProducer {
                    var value = Int64(p) << 32 | Int64(v)
                    let ok = (try? withUnsafeBytes(of: &value) { try ring.write(messageTypeId: 1, from: $0) }) ?? false
                    if ok { v += 1 }
                }
            }
        }
        var next = [Int64](repeating: 0, count: 2)
        var total = 0
        var ordered = true
        while total < 2 * perProducer {
            total += ring.read { _, buffer, offset, _ in
                let value = buffer.int64(at: offset)
                let p = Int(value >> 32)
                if value & 0xFFFF_FFFF != next[p] { ordered = false }
                next[p] += 1
            }
        }
        for t in producers { t.join() }
        #expect(ordered)
        #expect(next == [Int64(perProducer), Int64(perProducer)])
    }
}
