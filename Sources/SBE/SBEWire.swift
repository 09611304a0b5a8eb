/// Little-endian, alignment-free loads and stores of SBE primitives.
///
/// Every generated accessor goes through these functions; they compile to a single unaligned `mov` on
/// little-endian hosts. Callers check bounds before calling (at wrap time for fixed blocks, at each step
/// for groups and variable-length data).
public enum SBEWire {
    /// The little-endian `u8` at `base + offset`, which need not be aligned.
    @inlinable @inline(__always)
    public static func loadUInt8(_ base: UnsafeRawPointer, _ offset: Int) -> UInt8 {
        base.load(fromByteOffset: offset, as: UInt8.self)
    }
    /// The little-endian `i8` at `base + offset`, which need not be aligned.
    @inlinable @inline(__always)
    public static func loadInt8(_ base: UnsafeRawPointer, _ offset: Int) -> Int8 {
        base.load(fromByteOffset: offset, as: Int8.self)
    }
    /// The little-endian `u16` at `base + offset`, which need not be aligned.
    @inlinable @inline(__always)
    public static func loadUInt16(_ base: UnsafeRawPointer, _ offset: Int) -> UInt16 {
        UInt16(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }
    /// The little-endian `i16` at `base + offset`, which need not be aligned.
    @inlinable @inline(__always)
    public static func loadInt16(_ base: UnsafeRawPointer, _ offset: Int) -> Int16 {
        Int16(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: Int16.self))
    }
    /// The little-endian `u32` at `base + offset`, which need not be aligned.
    @inlinable @inline(__always)
    public static func loadUInt32(_ base: UnsafeRawPointer, _ offset: Int) -> UInt32 {
        UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
    /// The little-endian `i32` at `base + offset`, which need not be aligned.
    @inlinable @inline(__always)
    public static func loadInt32(_ base: UnsafeRawPointer, _ offset: Int) -> Int32 {
        Int32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: Int32.self))
    }
    /// The little-endian `u64` at `base + offset`, which need not be aligned.
    @inlinable @inline(__always)
    public static func loadUInt64(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
    /// The little-endian `i64` at `base + offset`, which need not be aligned.
    @inlinable @inline(__always)
    public static func loadInt64(_ base: UnsafeRawPointer, _ offset: Int) -> Int64 {
        Int64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: Int64.self))
    }
    /// The IEEE 754 `float` (bit pattern of a little-endian u32) at `base + offset`.
    @inlinable @inline(__always)
    public static func loadFloat(_ base: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(bitPattern: loadUInt32(base, offset))
    }
    /// The IEEE 754 `double` (bit pattern of a little-endian u64) at `base + offset`.
    @inlinable @inline(__always)
    public static func loadDouble(_ base: UnsafeRawPointer, _ offset: Int) -> Double {
        Double(bitPattern: loadUInt64(base, offset))
    }

    /// Writes `value` as a little-endian `u8` at `base + offset`, which need not be aligned.
    @inlinable @inline(__always)
    public static func storeUInt8(_ base: UnsafeMutableRawPointer, _ offset: Int, _ value: UInt8) {
        base.storeBytes(of: value, toByteOffset: offset, as: UInt8.self)
    }
    /// Writes `value` as a little-endian `i8` at `base + offset`, which need not be aligned.
    @inlinable @inline(__always)
    public static func storeInt8(_ base: UnsafeMutableRawPointer, _ offset: Int, _ value: Int8) {
        base.storeBytes(of: value, toByteOffset: offset, as: Int8.self)
    }
    /// Writes `value` as a little-endian `u16` at `base + offset`, which need not be aligned.
    @inlinable @inline(__always)
    public static func storeUInt16(_ base: UnsafeMutableRawPointer, _ offset: Int, _ value: UInt16) {
        base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt16.self)
    }
    /// Writes `value` as a little-endian `i16` at `base + offset`, which need not be aligned.
    @inlinable @inline(__always)
    public static func storeInt16(_ base: UnsafeMutableRawPointer, _ offset: Int, _ value: Int16) {
        base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: Int16.self)
    }
    /// Writes `value` as a little-endian `u32` at `base + offset`, which need not be aligned.
    @inlinable @inline(__always)
    public static func storeUInt32(_ base: UnsafeMutableRawPointer, _ offset: Int, _ value: UInt32) {
        base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self)
    }
    /// Writes `value` as a little-endian `i32` at `base + offset`, which need not be aligned.
    @inlinable @inline(__always)
    public static func storeInt32(_ base: UnsafeMutableRawPointer, _ offset: Int, _ value: Int32) {
        base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: Int32.self)
    }
    /// Writes `value` as a little-endian `u64` at `base + offset`, which need not be aligned.
    @inlinable @inline(__always)
    public static func storeUInt64(_ base: UnsafeMutableRawPointer, _ offset: Int, _ value: UInt64) {
        base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt64.self)
    }
    /// Writes `value` as a little-endian `i64` at `base + offset`, which need not be aligned.
    @inlinable @inline(__always)
    public static func storeInt64(_ base: UnsafeMutableRawPointer, _ offset: Int, _ value: Int64) {
        base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: Int64.self)
    }
    /// Writes `value` as an IEEE 754 `float` (bit pattern of a little-endian u32) at `base + offset`.
    @inlinable @inline(__always)
    public static func storeFloat(_ base: UnsafeMutableRawPointer, _ offset: Int, _ value: Float) {
        storeUInt32(base, offset, value.bitPattern)
    }
    /// Writes `value` as an IEEE 754 `double` (bit pattern of a little-endian u64) at `base + offset`.
    @inlinable @inline(__always)
    public static func storeDouble(_ base: UnsafeMutableRawPointer, _ offset: Int, _ value: Double) {
        storeUInt64(base, offset, value.bitPattern)
    }
}
