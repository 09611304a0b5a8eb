import MallocCounter
import SharedMemory
import Testing
@testable import TensorPoolCore

/// The hot paths allocate nothing in steady state (each path is warmed once, then measured over many calls).
/// Loops in the measured region iterate `Range<Int>`: in debug builds iterating a `ClosedRange<UInt64>` (and
/// `for-in` over an array) allocates inside the standard library, which would be counted against the code under test.
@Suite struct AllocationTests {
    @Test func seqlockReadWithFrameAllocatesNothing() throws {
        let f = try SeqlockFixture()
        for id in UInt64(0)..<8 { #expect(f.publish(id)) }
        func readAll() -> Int {
            var accepted = 0
            for k in 0..<8 {
                let id = UInt64(k)
                let r = f.reader.withFrame(seq: id, headerIndex: UInt32(id)) { header, payload in
                    FramePattern.matches(payload, frameId: id) && header.frameId == id
                }
                if case .accepted(true) = r { accepted += 1 }
                // Drops are values too: no allocation for them either.
                if case .dropped = f.reader.withFrame(seq: id + 100, headerIndex: UInt32(id), { _, _ in false }) { accepted += 0 }
            }
            return accepted
        }
        _ = readAll()
        let before = malloc_counter_thread_allocations()
        var total = 0
        for _ in 0..<200 { total += readAll() }
        #expect(malloc_counter_thread_allocations() - before == 0)
        #expect(total == 1600)
    }

    @Test func seqlockCopyFrameAllocatesNothing() throws {
        let f = try SeqlockFixture()
        for id in UInt64(0)..<8 { #expect(f.publish(id, count: 512)) }
        let destination = UnsafeMutableRawBufferPointer.allocate(byteCount: 512, alignment: 64)
        defer { destination.deallocate() }
        func copyAll() -> Int {
            var accepted = 0
            for k in 0..<8 {
                let id = UInt64(k)
                if case .accepted = f.reader.copyFrame(seq: id, headerIndex: UInt32(id), into: destination) { accepted += 1 }
            }
            return accepted
        }
        _ = copyAll()
        let before = malloc_counter_thread_allocations()
        var total = 0
        for _ in 0..<200 { total += copyAll() }
        #expect(malloc_counter_thread_allocations() - before == 0)
        #expect(total == 1600)
    }

    @Test func producerClaimCommitAndPublishAllocateNothing() throws {
        let f = try SeqlockFixture()
        let header = SeqlockFixture.header(count: 256)
        let payload = UnsafeMutableRawBufferPointer.allocate(byteCount: 256, alignment: 64)
        defer { payload.deallocate() }
        payload.initializeMemory(as: UInt8.self, repeating: 3)
        func produce(_ base: UInt64) -> Int {
            var committed = 0
            for k in 0..<16 {
                let id = base + UInt64(k)
                if let claim = f.writer.claim(frameId: id, poolId: 1) {
                    if f.writer.commit(claim, header: header) == nil { committed += 1 }
                }
                if f.writer.publish(frameId: id + 16, header: header, payload: UnsafeRawBufferPointer(payload)) { committed += 1 }
            }
            if let claim = f.writer.claim(frameId: base + 40, poolId: 1) { f.writer.abort(claim) }
            return committed
        }
        _ = produce(0)
        let before = malloc_counter_thread_allocations()
        var total = 0
        for round in 1..<101 { total += produce(UInt64(round) * 64) }
        #expect(malloc_counter_thread_allocations() - before == 0)
        #expect(total == 3200)
    }

    @Test func slotHeaderEncodeDecodeAndValidateAllocateNothing() {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: 256, alignment: 64)
        defer { raw.deallocate() }
        let buffer = AtomicBuffer(base: raw, capacity: 256)
        var header = HeaderValidationTests.base()
        func roundTrip(_ i: UInt64) -> Bool {
            header.frameId = i
            guard (try? header.write(to: buffer, slotOffset: 0)) != nil,
                  let decoded = try? TensorSlotHeader(from: buffer, slotOffset: 0) else { return false }
            return decoded == header && decoded.validate(headerIndex: 2, poolStrideBytes: 4096) == nil
        }
        _ = roundTrip(0)
        let before = malloc_counter_thread_allocations()
        var ok = 0
        for i in 1..<1001 where roundTrip(UInt64(i)) { ok += 1 }
        #expect(malloc_counter_thread_allocations() - before == 0)
        #expect(ok == 1000)
    }
}
