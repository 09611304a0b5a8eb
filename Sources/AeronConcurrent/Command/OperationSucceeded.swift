import SharedMemory

/// ON_OPERATION_SUCCESS (0x0F04).
public struct OperationSucceeded: ControlMessage {
    /// The correlation id field.
    public var correlationId: Int64

    /// A message with these fields.
    public init(correlationId: Int64) {
        self.correlationId = correlationId
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 8

    /// The encoded length field.
    public var encodedLength: Int { 8 }

    /// Writes the body at `offset`.
    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(correlationId)
    }

    /// Decodes a body of `length` bytes at `offset`, throwing on truncation or a bad length.
    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "OperationSucceeded")
        correlationId = try d.int64("correlationId")
    }
}
