/// Rounds `value` up to a multiple of `alignment`, which must be a power of two.
@inlinable @inline(__always)
public func alignUp(_ value: Int, to alignment: Int) -> Int {
    (value + alignment - 1) & ~(alignment - 1)
}

/// Rounds a 32-bit `value` up to a multiple of `alignment`, which must be a power of two.
@inlinable @inline(__always)
public func alignUp(_ value: Int32, to alignment: Int32) -> Int32 {
    (value &+ alignment &- 1) & ~(alignment &- 1)
}

/// True when `value` is a positive power of two.
@inlinable
public func isPowerOfTwo(_ value: Int) -> Bool {
    value > 0 && (value & (value - 1)) == 0
}
