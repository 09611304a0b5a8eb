import SharedMemory

/// TERMINATE_DRIVER (0x0E): a token for the driver's termination validator.
public struct TerminateDriverMessage: ControlMessage {
    /// The client id field.
    public var clientId: Int64
    /// The correlation id field.
    public var correlationId: Int64
    /// The token field.
    public var token: [UInt8]

    /// A message with these fields.
    public init(clientId: Int64, correlationId: Int64, token: [UInt8]) {
        self.clientId = clientId
        self.correlationId = correlationId
        self.token = token
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 20

    /// The encoded length field.
    public var encodedLength: Int { 16 + prefixedLength(token.count, padded: false) }

    /// Writes the body at `offset`.
    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(clientId)
        e.int64(correlationId)
        e.lengthPrefixedBytes(token, padded: false)
    }

    /// Decodes a body of `length` bytes at `offset`, throwing on truncation or a bad length.
    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "TerminateDriverMessage")
        clientId = try d.int64("clientId")
        correlationId = try d.int64("correlationId")
        token = try d.lengthPrefixedBytes("token", padded: false)
    }
}
