import SharedMemory

/// ON_NEXT_AVAILABLE_SESSION_ID (0x0F0D, 1.49+).
public struct NextAvailableSessionId: ControlMessage {
    /// The correlation id field.
    public var correlationId: Int64
    /// The next session id field.
    public var nextSessionId: Int32

    /// A message with these fields.
    public init(correlationId: Int64, nextSessionId: Int32) {
        self.correlationId = correlationId
        self.nextSessionId = nextSessionId
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 12

    /// The encoded length field.
    public var encodedLength: Int { 12 }

    /// Writes the body at `offset`.
    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(correlationId)
        e.int32(nextSessionId)
    }

    /// Decodes a body of `length` bytes at `offset`, throwing on truncation or a bad length.
    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "NextAvailableSessionId")
        correlationId = try d.int64("correlationId")
        nextSessionId = try d.int32("nextSessionId")
    }
}
