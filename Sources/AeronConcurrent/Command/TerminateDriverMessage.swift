import SharedMemory

/// TERMINATE_DRIVER (0x0E): a token for the driver's termination validator.
public struct TerminateDriverMessage: ControlMessage {
    public var clientId: Int64
    public var correlationId: Int64
    public var token: [UInt8]

    /// A message with these fields.
    public init(clientId: Int64, correlationId: Int64, token: [UInt8]) {
        self.clientId = clientId
        self.correlationId = correlationId
        self.token = token
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 20

    public var encodedLength: Int { 16 + prefixedLength(token.count, padded: false) }

    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(clientId)
        e.int64(correlationId)
        e.lengthPrefixedBytes(token, padded: false)
    }

    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "TerminateDriverMessage")
        clientId = try d.int64("clientId")
        correlationId = try d.int64("correlationId")
        token = try d.lengthPrefixedBytes("token", padded: false)
    }
}
