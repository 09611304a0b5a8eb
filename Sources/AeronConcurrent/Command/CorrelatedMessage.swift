import SharedMemory

/// Body shared by every command: the client id and the command's correlation id (CLIENT_KEEPALIVE and
/// CLIENT_CLOSE carry nothing else).
public struct CorrelatedMessage: ControlMessage {
    /// The client id field.
    public var clientId: Int64
    /// The correlation id field.
    public var correlationId: Int64

    /// A message with these fields.
    public init(clientId: Int64, correlationId: Int64) {
        self.clientId = clientId
        self.correlationId = correlationId
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 16

    /// The encoded length field.
    public var encodedLength: Int { 16 }

    /// Writes the body at `offset`.
    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(clientId)
        e.int64(correlationId)
    }

    /// Decodes a body of `length` bytes at `offset`, throwing on truncation or a bad length.
    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "CorrelatedMessage")
        clientId = try d.int64("clientId")
        correlationId = try d.int64("correlationId")
    }
}
