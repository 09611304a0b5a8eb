import Foundation
import MallocCounter
import SharedMemory
import Testing

@Suite struct AtomicBufferTests {
    @Test func plainAccessorsAreLittleEndianAndUnaligned() {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: 32, alignment: 16)
        defer { raw.deallocate() }
        let buffer = AtomicBuffer(base: raw, capacity: 32)
        buffer.fill(0, at: 0, count: 32)
        buffer.setUInt32(0x0403_0201, at: 1)
        #expect(Array(buffer.bytes(at: 0, count: 6)) == [0, 1, 2, 3, 4, 0])
        buffer.setInt64(-2, at: 7)
        #expect(buffer.int64(at: 7) == -2)
        #expect(buffer.uint8(at: 7) == 0xFE)
        buffer.setInt16(-300, at: 20)
        #expect(buffer.int16(at: 20) == -300)
        #expect(buffer.uint16(at: 20) == UInt16(bitPattern: -300))
    }

    @Test func boundsPredicate() {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 8)
        defer { raw.deallocate() }
        let buffer = AtomicBuffer(base: raw, capacity: 16)
        #expect(buffer.contains(offset: 0, length: 16))
        #expect(buffer.contains(offset: 16, length: 0))
        #expect(!buffer.contains(offset: 8, length: 9))
        #expect(!buffer.contains(offset: -1, length: 1))
        #expect(!buffer.contains(offset: 1, length: Int.max))
        #expect(buffer.slice(offset: 8, length: 8).capacity == 8)
    }

    @Test func orderedOperations() {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 8)
        defer { raw.deallocate() }
        let buffer = AtomicBuffer(base: raw, capacity: 16)
        buffer.setInt64Release(5, at: 0)
        #expect(buffer.int64Acquire(at: 0) == 5)
        #expect(buffer.compareAndSetInt64(at: 0, expected: 5, desired: 9))
        #expect(!buffer.compareAndSetInt64(at: 0, expected: 5, desired: 1))
        #expect(buffer.getAndAddInt64(at: 0, 3) == 9)
        #expect(buffer.int64Acquire(at: 0) == 12)
        buffer.setInt64Release(.max, at: 0)
        #expect(buffer.getAndAddInt64(at: 0, 1) == .max)
        #expect(buffer.int64Acquire(at: 0) == .min, "fetch-add wraps like the C and Java implementations")
        buffer.setInt32Release(7, at: 8)
        #expect(buffer.getAndAddInt32(at: 8, -8) == 7)
        #expect(buffer.int32Acquire(at: 8) == -1)
        #expect(buffer.compareAndSetInt32(at: 8, expected: -1, desired: 0))
    }

    @Test func concurrentFetchAddOnSharedMappingIsExact() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ab-\(UUID().uuidString)").path
        defer { unlink(path) }
        let mapping = try MappedFile.create(path: path, length: 4096)
        let second = try MappedFile.open(path: path, writable: true)
        let iterations = 200_000
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            let buffer = worker == 0 ? mapping.buffer : second.buffer
            for _ in 0..<iterations { _ = buffer.getAndAddInt64(at: 64, 1) }
        }
        #expect(mapping.buffer.int64Acquire(at: 64) == Int64(2 * iterations))
    }

    @Test func accessorsAllocateNothing() {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 8)
        defer { raw.deallocate() }
        let buffer = AtomicBuffer(base: raw, capacity: 64)
        func exercise() -> Int64 {
            buffer.setInt64Release(1, at: 0)
            _ = buffer.getAndAddInt64(at: 0, 1)
            buffer.setUInt32(3, at: 9)
            return buffer.int64Acquire(at: 0) + Int64(buffer.uint32(at: 9))
        }
        _ = exercise()
        let before = malloc_counter_thread_allocations()
        var sum: Int64 = 0
        for _ in 0..<1000 { sum &+= exercise() }
        #expect(malloc_counter_thread_allocations() - before == 0)
        #expect(sum == 5000)
    }
}
