import Foundation
import Testing
import SharedMemory
@testable import TensorPoolCore
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A header rewritten with an unchanged shape leaves the slot's second cache line (dims[4...], strides) unwritten,
/// so a consumer's cached copy of it survives the frame.
///
/// How a skipped store is seen: the slot sits in a private (copy-on-write) file mapping with its second line on
/// the second page. A store to a page turns it from a file page into an anonymous one, which /proc/self/pagemap
/// shows (bit 61); a compare that only loads leaves it a file page.
@Suite struct SlotHeaderShapeLineTests {
    static let page = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Bit 61 of the page's pagemap entry: a file page (or shared anonymous), not yet copied on write.
    static func isFilePage(_ address: UnsafeRawPointer) throws -> Bool {
        let fd = open("/proc/self/pagemap", O_RDONLY)
        try #require(fd >= 0, "no /proc/self/pagemap")
        defer { close(fd) }
        var entry: UInt64 = 0
        let offset = off_t(UInt(bitPattern: address) / UInt(page) * 8)
        try #require(pread(fd, &entry, 8, offset) == 8)
        try #require(entry >> 63 & 1 == 1, "page not present")
        return entry >> 61 & 1 == 1
    }

    @Test func anUnchangedShapeLeavesTheSecondLineUnwritten() throws {
        let dir = TemporaryDirectory("tp-shape-line")
        let path = dir.sub("ring")
        let slotOffset = Self.page - 64  // line 0 ends page 0, line 1 starts page 1
        let shape = TensorSlotHeader(frameId: 4, timestampNs: 10, valuesLenBytes: 4096, payloadSlot: 0, poolId: 1,
                                     dtype: .float32, ndims: 6, dims: TensorDims([2, 2, 2, 2, 4, 4]),
                                     strides: TensorDims([2048, 1024, 512, 256, 64, 16]))
        // The first frame's header, as an earlier write left it in the file.
        do {
            let fd = open(path, O_RDWR | O_CREAT, 0o600)
            try #require(fd >= 0)
            defer { close(fd) }
            try #require(ftruncate(fd, off_t(2 * Self.page)) == 0)
            let shared = try #require(mmap(nil, 2 * Self.page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0))
            defer { munmap(shared, 2 * Self.page) }
            try shape.write(to: AtomicBuffer(base: shared, capacity: 2 * Self.page), slotOffset: slotOffset)
        }
        let fd = open(path, O_RDWR)
        try #require(fd >= 0)
        defer { close(fd) }
        let base = try #require(mmap(nil, 2 * Self.page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0))
        try #require(base != MAP_FAILED)
        defer { munmap(base, 2 * Self.page) }
        let buffer = AtomicBuffer(base: base, capacity: 2 * Self.page)
        let secondLine = UnsafeRawPointer(base + slotOffset + 64)
        _ = buffer.int64Relaxed(at: 0) &+ buffer.int64Relaxed(at: Self.page)  // both pages mapped, still file pages
        #expect(try Self.isFilePage(base) && Self.isFilePage(secondLine))

        // The next frame in the same slot, same shape: the first line is written, the second only compared.
        var next = shape
        next.frameId = 8
        next.timestampNs = 20
        try next.write(to: buffer, slotOffset: slotOffset)
        #expect(try !Self.isFilePage(base), "the first line holds frame_id and must have been written")
        #expect(try Self.isFilePage(secondLine), "an unchanged shape was stored again")
        #expect(try TensorSlotHeader(from: buffer, slotOffset: slotOffset) == next)

        // A new shape is written in full.
        var reshaped = next
        reshaped.frameId = 12
        reshaped.strides = TensorDims([4096, 2048, 1024, 512, 128, 32])
        try reshaped.write(to: buffer, slotOffset: slotOffset)
        #expect(try !Self.isFilePage(secondLine))
        #expect(try TensorSlotHeader(from: buffer, slotOffset: slotOffset) == reshaped)
    }

    @Test func aChangeInTheUpperDimsIsWritten() throws {
        let storage = UnsafeMutableRawPointer.allocate(byteCount: 512, alignment: 64)
        defer { storage.deallocate() }
        storage.initializeMemory(as: UInt8.self, repeating: 0, count: 512)
        let buffer = AtomicBuffer(base: storage, capacity: 512)
        var header = TensorSlotHeader(frameId: 1, ndims: 8, dims: TensorDims([1, 1, 1, 1, 1, 1, 1, 1]))
        try header.write(to: buffer, slotOffset: 0)
        header.dims[7] = 9
        try header.write(to: buffer, slotOffset: 0)
        #expect(try TensorSlotHeader(from: buffer, slotOffset: 0).dims[7] == 9)
        header.strides[0] = 64
        try header.write(to: buffer, slotOffset: 0)
        #expect(try TensorSlotHeader(from: buffer, slotOffset: 0).strides[0] == 64)
    }
}
