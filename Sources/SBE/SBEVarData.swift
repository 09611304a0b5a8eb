/// Width of the length prefix of a variable-length data field.
public enum SBELengthType: Sendable, Equatable {
    /// A 1-byte length: at most 255 bytes.
    case uint8
    /// A 2-byte little-endian length: at most 65535 bytes.
    case uint16
    /// A 4-byte little-endian length (the schema's `maxValue` usually bounds it far lower).
    case uint32

    /// Bytes taken by the prefix.
    @inlinable public var size: Int {
        switch self {
        case .uint8: return 1
        case .uint16: return 2
        case .uint32: return 4
        }
    }

    /// Largest length the prefix can carry.
    @inlinable public var maximum: Int {
        switch self {
        case .uint8: return Int(UInt8.max)
        case .uint16: return Int(UInt16.max)
        case .uint32: return Int(UInt32.max)
        }
    }
}

/// Sequential reads and writes of length-prefixed variable-length data at a cursor.
public enum SBEVarData {
    /// Reads the length prefix at `position`, returns the bytes that follow as a view into `base`
    /// (no copy) and moves `position` past them. Lengths beyond `maxLength` or the buffer throw.
    @inlinable
    public static func read(
        _ base: UnsafeRawPointer, capacity: Int, position: inout Int,
        lengthType: SBELengthType, maxLength: Int
    ) throws(SBEError) -> UnsafeRawBufferPointer {
        try SBEBounds.check(offset: position, length: lengthType.size, capacity: capacity)
        let length: Int
        switch lengthType {
        case .uint8: length = Int(SBEWire.loadUInt8(base, position))
        case .uint16: length = Int(SBEWire.loadUInt16(base, position))
        case .uint32: length = Int(SBEWire.loadUInt32(base, position))
        }
        guard length <= maxLength else { throw SBEError.varDataTooLong(length: length, maximum: maxLength) }
        let start = position + lengthType.size
        try SBEBounds.check(offset: start, length: length, capacity: capacity)
        position = start + length
        return UnsafeRawBufferPointer(start: base + start, count: length)
    }

    /// Writes `bytes` with its length prefix at `position` and moves `position` past them.
    @inlinable
    public static func write(
        _ base: UnsafeMutableRawPointer, capacity: Int, position: inout Int,
        bytes: UnsafeRawBufferPointer, lengthType: SBELengthType, maxLength: Int
    ) throws(SBEError) {
        let length = bytes.count
        guard length <= maxLength, length <= lengthType.maximum else {
            throw SBEError.varDataTooLong(length: length, maximum: min(maxLength, lengthType.maximum))
        }
        try SBEBounds.check(offset: position, length: lengthType.size + length, capacity: capacity)
        switch lengthType {
        case .uint8: SBEWire.storeUInt8(base, position, UInt8(truncatingIfNeeded: length))
        case .uint16: SBEWire.storeUInt16(base, position, UInt16(truncatingIfNeeded: length))
        case .uint32: SBEWire.storeUInt32(base, position, UInt32(truncatingIfNeeded: length))
        }
        if let source = bytes.baseAddress, length > 0 {
            (base + position + lengthType.size).copyMemory(from: source, byteCount: length)
        }
        position += lengthType.size + length
    }

    /// Copies `source` into `destination` and returns the number of bytes copied; throws when it
    /// does not fit. Used by the generated `get...(into:)` accessors.
    @inlinable
    public static func copy(
        _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer
    ) throws(SBEError) -> Int {
        guard source.count <= destination.count else {
            throw SBEError.bufferTooShort(required: source.count, capacity: destination.count)
        }
        if let from = source.baseAddress, let to = destination.baseAddress, source.count > 0 {
            to.copyMemory(from: from, byteCount: source.count)
        }
        return source.count
    }
}
