import SharedMemory

/// A control-protocol message body (command or response) with its flyweight encoding (PROTOCOL_FACTS §5):
/// the record type id travels separately (several commands share a layout),
/// explicit little-endian offsets, `i32`-length-prefixed strings padded to 4 when another field follows.
public protocol ControlMessage: Sendable, Equatable {
    /// Bytes the encoded body occupies.
    var encodedLength: Int { get }
    /// Writes the body at `offset` (the caller provides ``encodedLength`` bytes).
    func encode(into buffer: AtomicBuffer, at offset: Int)
    /// Decodes a body of `length` bytes at `offset`; throws on any truncation or bad length.
    init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError)
}

/// Sequential bounded reader over one message body.
public struct ControlMessageDecoder {
    let buffer: AtomicBuffer
    let start: Int
    let length: Int
    let message: String
    /// Bytes consumed so far.
    public private(set) var position = 0

    /// Reads the body of `length` bytes at `offset` of `buffer`; `message` names it in errors.
    public init(_ buffer: AtomicBuffer, offset: Int, length: Int, message: String) throws(ControlMessageError) {
        guard length >= 0, buffer.contains(offset: offset, length: length) else {
            throw .invalidLength(message: message, field: "body", value: length)
        }
        self.buffer = buffer
        start = offset
        self.length = length
        self.message = message
    }

    mutating func require(_ count: Int, _ field: String) throws(ControlMessageError) {
        guard count <= length - position else {
            throw .truncated(message: message, field: field, length: length, required: position + count)
        }
    }

    /// Reads an `i32`.
    public mutating func int32(_ field: String) throws(ControlMessageError) -> Int32 {
        try require(4, field)
        defer { position += 4 }
        return buffer.int32(at: start + position)
    }

    /// Reads an `i64`.
    public mutating func int64(_ field: String) throws(ControlMessageError) -> Int64 {
        try require(8, field)
        defer { position += 8 }
        return buffer.int64(at: start + position)
    }

    /// Reads an `i16`.
    public mutating func int16(_ field: String) throws(ControlMessageError) -> Int16 {
        try require(2, field)
        defer { position += 2 }
        return buffer.int16(at: start + position)
    }

    /// Reads `count` raw bytes.
    public mutating func bytes(_ count: Int, _ field: String) throws(ControlMessageError) -> [UInt8] {
        try require(count, field)
        defer { position += count }
        return Array(buffer.bytes(at: start + position, count: count))
    }

    /// Reads an `i32` length and that many bytes; skips padding to 4 when `padded`.
    public mutating func lengthPrefixedBytes(_ field: String, padded: Bool) throws(ControlMessageError) -> [UInt8] {
        let count = Int(try int32(field + " length"))
        guard count >= 0 else { throw .invalidLength(message: message, field: field, value: count) }
        try require(count, field)
        let result = Array(buffer.bytes(at: start + position, count: count))
        position += count
        if padded {
            // Padding is only required when another field follows; tolerate its absence at the very end.
            position = min(length, alignUp(position, to: 4))
        }
        return result
    }

    /// Reads an `i32`-length-prefixed string (UTF-8; invalid bytes are replaced, never trapped on).
    public mutating func string(_ field: String, padded: Bool) throws(ControlMessageError) -> String {
        String(decoding: try lengthPrefixedBytes(field, padded: padded), as: UTF8.self)
    }
}

/// Sequential writer for one message body (the caller sized the space with `encodedLength`).
public struct ControlMessageEncoder {
    let buffer: AtomicBuffer
    let start: Int
    /// Bytes written so far.
    public private(set) var position = 0

    /// Writes at `offset` of `buffer`.
    public init(_ buffer: AtomicBuffer, offset: Int) {
        self.buffer = buffer
        start = offset
    }

    /// Writes an `i32`.
    public mutating func int32(_ value: Int32) { buffer.setInt32(value, at: start + position); position += 4 }
    /// Writes an `i64`.
    public mutating func int64(_ value: Int64) { buffer.setInt64(value, at: start + position); position += 8 }
    /// Writes an `i16`.
    public mutating func int16(_ value: Int16) { buffer.setInt16(value, at: start + position); position += 2 }

    /// Writes raw bytes.
    public mutating func bytes(_ value: [UInt8]) {
        value.withUnsafeBytes { raw in
            if let base = raw.baseAddress, raw.count > 0 { buffer.copy(from: base, count: raw.count, to: start + position) }
        }
        position += value.count
    }

    /// Writes an `i32` length and the bytes, zero-padding to 4 when `padded`.
    public mutating func lengthPrefixedBytes(_ value: [UInt8], padded: Bool) {
        int32(Int32(value.count))
        bytes(value)
        if padded {
            let aligned = alignUp(position, to: 4)
            if aligned > position { buffer.fill(0, at: start + position, count: aligned - position) }
            position = aligned
        }
    }

    /// Writes an `i32`-length-prefixed UTF-8 string.
    public mutating func string(_ value: String, padded: Bool) { lengthPrefixedBytes(Array(value.utf8), padded: padded) }
}

/// Encoded size of an `i32`-length-prefixed field of `count` bytes.
@inlinable func prefixedLength(_ count: Int, padded: Bool) -> Int { 4 + (padded ? alignUp(count, to: 4) : count) }
