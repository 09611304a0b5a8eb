/// Storage for one value that shares its cache lines with nothing else: 64-byte aligned, its size rounded up to
/// whole lines.
///
/// For small state written on every operation by one thread, such as an exclusive publication's tail or a
/// subscription's round-robin index. Plain `allocate(capacity: 1)` puts such values in the allocator's small-size
/// bins, next to each other: a publisher thread and a subscriber thread then write the same line on every offer
/// and every poll, and the line moves between their cores each time.
public enum CacheLineIsolated {
    /// The cache line size assumed (x86-64 and most AArch64 parts).
    public static let lineSize = 64

    /// Allocates whole cache lines for a `T` and initializes it to `value`. Release with ``deallocate(_:)``.
    public static func allocate<T>(_ value: T) -> UnsafeMutablePointer<T> {
        let bytes = max(MemoryLayout<T>.stride, 1)
        let rounded = (bytes + lineSize - 1) / lineSize * lineSize
        let raw = UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: max(lineSize, MemoryLayout<T>.alignment))
        let pointer = raw.bindMemory(to: T.self, capacity: 1)
        pointer.initialize(to: value)
        return pointer
    }

    /// Deinitializes and frees storage from ``allocate(_:)``.
    public static func deallocate<T>(_ pointer: UnsafeMutablePointer<T>) {
        pointer.deinitialize(count: 1)
        UnsafeMutableRawPointer(pointer).deallocate()
    }
}
