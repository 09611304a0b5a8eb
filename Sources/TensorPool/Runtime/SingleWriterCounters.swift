import SharedMemory

/// A fixed array of 64-bit counters written by one thread and read by any thread (relaxed atomics), e.g. a
/// role's statistics shown by a monitoring thread. Increments are a relaxed load and store (no locked
/// instruction): correct only with a single writer.
public final class SingleWriterCounters: @unchecked Sendable {
    /// Number of counters.
    public let count: Int
    @usableFromInline let buffer: AtomicBuffer

    /// `count` zeroed counters (at least 1), each on its own 64-byte cache line so a reader polling one counter never
    /// invalidates the line the writer updates next.
    public init(count: Int) {
        self.count = max(count, 1)
        let base = UnsafeMutableRawPointer.allocate(byteCount: self.count * 64, alignment: 64)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: self.count * 64)
        buffer = AtomicBuffer(base: base, capacity: self.count * 64)
    }

    deinit { buffer.base.deallocate() }

    /// Counter `index` (each on its own cache line, so readers do not slow the writer down).
    @inlinable public subscript(index: Int) -> UInt64 {
        UInt64(bitPattern: buffer.int64Relaxed(at: index * 64))
    }

    /// Adds `delta` to counter `index` (single writer).
    @inlinable public func add(_ index: Int, _ delta: UInt64 = 1) {
        let offset = index * 64
        buffer.setInt64Relaxed(buffer.int64Relaxed(at: offset) &+ Int64(bitPattern: delta), at: offset)
    }

    /// Sets counter `index` (single writer).
    @inlinable public func set(_ index: Int, _ value: UInt64) {
        buffer.setInt64Relaxed(Int64(bitPattern: value), at: index * 64)
    }
}
