import Synchronization

/// A non-owning view of raw memory (usually a shared mapping) with explicit-ordering accessors.
///
/// This is the one audited place where tensor-pool and Aeron code turn offsets into pointers. Plain accessors are
/// little-endian and tolerate unaligned offsets; ordered accessors (`…Acquire`, `…Release`, CAS, fetch-add)
/// require natural alignment, as the shared-memory protocols guarantee for every word they touch.
///
/// Offsets are checked in debug builds only: callers validate lengths that come from untrusted input first
/// (see ``contains(offset:length:)``) because hot paths cannot pay a check per field.
@frozen
public struct AtomicBuffer: @unchecked Sendable {
    /// First byte of the view.
    public let base: UnsafeMutableRawPointer
    /// Number of addressable bytes.
    public let capacity: Int

    /// Wraps `capacity` bytes at `base`. The memory must outlive every use of the view.
    @inlinable
    public init(base: UnsafeMutableRawPointer, capacity: Int) {
        precondition(capacity >= 0, "negative capacity")
        self.base = base
        self.capacity = capacity
    }

    /// True when `[offset, offset + length)` lies inside the buffer, without overflow.
    @inlinable
    public func contains(offset: Int, length: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= capacity && length <= capacity - offset
    }

    /// A view of `length` bytes starting at `offset`.
    @inlinable
    public func slice(offset: Int, length: Int) -> AtomicBuffer {
        precondition(contains(offset: offset, length: length), "slice out of bounds")
        return AtomicBuffer(base: base + offset, capacity: length)
    }

    @inlinable @inline(__always)
    func check(_ offset: Int, _ length: Int) {
        assert(contains(offset: offset, length: length), "access out of bounds")
    }

    @inlinable @inline(__always)
    func checkAligned(_ offset: Int, _ length: Int) {
        check(offset, length)
        assert(Int(bitPattern: base + offset) & (length - 1) == 0, "ordered access must be naturally aligned")
    }

    // MARK: Plain little-endian accessors

    /// The byte at `offset` (plain load, no ordering).
    @inlinable public func uint8(at offset: Int) -> UInt8 { check(offset, 1); return base.load(fromByteOffset: offset, as: UInt8.self) }
    /// Writes the byte at `offset` (plain store, no ordering).
    @inlinable public func setUInt8(_ value: UInt8, at offset: Int) { check(offset, 1); base.storeBytes(of: value, toByteOffset: offset, as: UInt8.self) }

    /// The little-endian `u16` at `offset`, which may be unaligned (plain load: not for words another thread writes concurrently).
    @inlinable public func uint16(at offset: Int) -> UInt16 { check(offset, 2); return UInt16(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self)) }
    /// Writes `value` little-endian at `offset`, which may be unaligned (plain store: publish it with a release store after).
    @inlinable public func setUInt16(_ value: UInt16, at offset: Int) { check(offset, 2); base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt16.self) }
    /// The little-endian `i16` at `offset` (plain load).
    @inlinable public func int16(at offset: Int) -> Int16 { Int16(bitPattern: uint16(at: offset)) }
    /// Writes `value` as a little-endian `i16` at `offset` (plain store).
    @inlinable public func setInt16(_ value: Int16, at offset: Int) { setUInt16(UInt16(bitPattern: value), at: offset) }

    /// The little-endian `u32` at `offset`, which may be unaligned (plain load: not for words another thread writes concurrently).
    @inlinable public func uint32(at offset: Int) -> UInt32 { check(offset, 4); return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    /// Writes `value` little-endian at `offset`, which may be unaligned (plain store: publish it with a release store after).
    @inlinable public func setUInt32(_ value: UInt32, at offset: Int) { check(offset, 4); base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self) }
    /// The little-endian `i32` at `offset` (plain load).
    @inlinable public func int32(at offset: Int) -> Int32 { Int32(bitPattern: uint32(at: offset)) }
    /// Writes `value` as a little-endian `i32` at `offset` (plain store).
    @inlinable public func setInt32(_ value: Int32, at offset: Int) { setUInt32(UInt32(bitPattern: value), at: offset) }

    /// The little-endian `u64` at `offset`, which may be unaligned (plain load: use ``int64Acquire(at:)`` for shared words).
    @inlinable public func uint64(at offset: Int) -> UInt64 { check(offset, 8); return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
    /// Writes `value` little-endian at `offset`, which may be unaligned (plain store: use ``setInt64Release(_:at:)`` to publish).
    @inlinable public func setUInt64(_ value: UInt64, at offset: Int) { check(offset, 8); base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt64.self) }
    /// The little-endian `i64` at `offset` (plain load).
    @inlinable public func int64(at offset: Int) -> Int64 { Int64(bitPattern: uint64(at: offset)) }
    /// Writes `value` as a little-endian `i64` at `offset` (plain store).
    @inlinable public func setInt64(_ value: Int64, at offset: Int) { setUInt64(UInt64(bitPattern: value), at: offset) }

    // MARK: Ordered accessors (naturally aligned words; x86-64 and arm64 are little-endian)

    @inlinable @inline(__always)
    func atomic64(_ offset: Int) -> UnsafeMutablePointer<Atomic<Int64>> {
        checkAligned(offset, 8)
        return (base + offset).assumingMemoryBound(to: Atomic<Int64>.self)
    }

    @inlinable @inline(__always)
    func atomic32(_ offset: Int) -> UnsafeMutablePointer<Atomic<Int32>> {
        checkAligned(offset, 4)
        return (base + offset).assumingMemoryBound(to: Atomic<Int32>.self)
    }

    /// Load-acquire of a 64-bit word.
    @inlinable public func int64Acquire(at offset: Int) -> Int64 { atomic64(offset).pointee.load(ordering: .acquiring) }
    /// Store-release of a 64-bit word.
    @inlinable public func setInt64Release(_ value: Int64, at offset: Int) { atomic64(offset).pointee.store(value, ordering: .releasing) }
    /// Relaxed atomic load of a 64-bit word (no tearing, no ordering).
    @inlinable public func int64Relaxed(at offset: Int) -> Int64 { atomic64(offset).pointee.load(ordering: .relaxed) }
    /// Relaxed atomic store of a 64-bit word.
    @inlinable public func setInt64Relaxed(_ value: Int64, at offset: Int) { atomic64(offset).pointee.store(value, ordering: .relaxed) }
    /// Sequentially consistent store of a 64-bit word (a full fence on x86-64).
    @inlinable public func setInt64Volatile(_ value: Int64, at offset: Int) { atomic64(offset).pointee.store(value, ordering: .sequentiallyConsistent) }
    /// Atomic compare-and-set of a 64-bit word; true when `expected` was replaced by `desired`.
    @inlinable public func compareAndSetInt64(at offset: Int, expected: Int64, desired: Int64) -> Bool {
        atomic64(offset).pointee.compareExchange(expected: expected, desired: desired, ordering: .acquiringAndReleasing).exchanged
    }
    /// Atomic wrapping fetch-add of a 64-bit word; returns the previous value.
    @inlinable public func getAndAddInt64(at offset: Int, _ delta: Int64) -> Int64 {
        atomic64(offset).pointee.wrappingAdd(delta, ordering: .acquiringAndReleasing).oldValue
    }

    /// Load-acquire of a 32-bit word.
    @inlinable public func int32Acquire(at offset: Int) -> Int32 { atomic32(offset).pointee.load(ordering: .acquiring) }
    /// Store-release of a 32-bit word.
    @inlinable public func setInt32Release(_ value: Int32, at offset: Int) { atomic32(offset).pointee.store(value, ordering: .releasing) }
    /// Atomic compare-and-set of a 32-bit word.
    @inlinable public func compareAndSetInt32(at offset: Int, expected: Int32, desired: Int32) -> Bool {
        atomic32(offset).pointee.compareExchange(expected: expected, desired: desired, ordering: .acquiringAndReleasing).exchanged
    }
    /// Atomic wrapping fetch-add of a 32-bit word; returns the previous value.
    @inlinable public func getAndAddInt32(at offset: Int, _ delta: Int32) -> Int32 {
        atomic32(offset).pointee.wrappingAdd(delta, ordering: .acquiringAndReleasing).oldValue
    }

    /// A full memory fence.
    @inlinable public static func fullFence() { atomicMemoryFence(ordering: .sequentiallyConsistent) }
    /// An acquire fence: later loads are not reordered before earlier loads.
    @inlinable public static func acquireFence() { atomicMemoryFence(ordering: .acquiring) }
    /// A release fence: earlier stores are visible before later stores.
    @inlinable public static func releaseFence() { atomicMemoryFence(ordering: .releasing) }

    // MARK: Bulk

    /// Copies `count` bytes from `source` into the buffer at `offset`.
    @inlinable public func copy(from source: UnsafeRawPointer, count: Int, to offset: Int) {
        check(offset, count)
        (base + offset).copyMemory(from: source, byteCount: count)
    }

    /// Copies `count` bytes at `offset` out to `destination`.
    @inlinable public func copy(from offset: Int, count: Int, to destination: UnsafeMutableRawPointer) {
        check(offset, count)
        destination.copyMemory(from: base + offset, byteCount: count)
    }

    /// Sets `count` bytes at `offset` to `value`.
    @inlinable public func fill(_ value: UInt8, at offset: Int, count: Int) {
        check(offset, count)
        (base + offset).initializeMemory(as: UInt8.self, repeating: value, count: count)
    }

    /// The raw bytes of `[offset, offset + count)`; valid while the underlying memory is.
    @inlinable public func bytes(at offset: Int, count: Int) -> UnsafeRawBufferPointer {
        check(offset, count)
        return UnsafeRawBufferPointer(start: base + offset, count: count)
    }

    /// The mutable raw bytes of `[offset, offset + count)`.
    @inlinable public func mutableBytes(at offset: Int, count: Int) -> UnsafeMutableRawBufferPointer {
        check(offset, count)
        return UnsafeMutableRawBufferPointer(start: base + offset, count: count)
    }

    /// ASCII/UTF-8 string of `count` bytes at `offset` (not for hot paths).
    public func string(at offset: Int, count: Int) -> String {
        String(decoding: bytes(at: offset, count: count), as: UTF8.self)
    }
}
