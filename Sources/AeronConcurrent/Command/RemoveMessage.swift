import SharedMemory

/// REMOVE_SUBSCRIPTION (0x05) and REMOVE_COUNTER (0x0A): the registration id to remove.
public struct RemoveMessage: ControlMessage {
    /// The client id field.
    public var clientId: Int64
    /// The correlation id field.
    public var correlationId: Int64
    /// The registration id field.
    public var registrationId: Int64

    /// A message with these fields.
    public init(clientId: Int64, correlationId: Int64, registrationId: Int64) {
        self.clientId = clientId
        self.correlationId = correlationId
        self.registrationId = registrationId
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 24

    /// The encoded length field.
    public var encodedLength: Int { 24 }

    /// Writes the body at `offset`.
    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(clientId)
        e.int64(correlationId)
        e.int64(registrationId)
    }

    /// Decodes a body of `length` bytes at `offset`, throwing on truncation or a bad length.
    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "RemoveMessage")
        clientId = try d.int64("clientId")
        correlationId = try d.int64("correlationId")
        registrationId = try d.int64("registrationId")
    }
}
