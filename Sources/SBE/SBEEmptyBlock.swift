/// Memory that repeating-group flyweights point at while they have no current entry.
///
/// A group decoder reads its fields through a block pointer; before the first `next()` (or for a group
/// with no entries) that pointer is `readable`, all zeros, so a field read at that moment returns zero
/// instead of reading past the caller's buffer. Encoders point at `scratch`, so fields set before
/// `next()` are discarded instead of written outside the buffer. Both live for the whole process.
public enum SBEEmptyBlock {
    /// Largest group entry block length the generator accepts (fields lie within this many bytes).
    public static let size = 65536

    /// Zero-filled and never written.
    public nonisolated(unsafe) static let readable: UnsafeRawPointer = {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        return UnsafeRawPointer(memory)
    }()

    /// Write-only sink for misplaced encoder writes; its contents are meaningless.
    public nonisolated(unsafe) static let scratch: UnsafeMutableRawPointer = {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        return memory
    }()
}
