import SharedMemory

/// REMOVE_SUBSCRIPTION (0x05) and REMOVE_COUNTER (0x0A): the registration id to remove.
public struct RemoveMessage: ControlMessage {
    public var clientId: Int64
    public var correlationId: Int64
    public var registrationId: Int64

    /// A message with these fields.
    public init(clientId: Int64, correlationId: Int64, registrationId: Int64) {
        self.clientId = clientId
        self.correlationId = correlationId
        self.registrationId = registrationId
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 24

    public var encodedLength: Int { 24 }

    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(clientId)
        e.int64(correlationId)
        e.int64(registrationId)
    }

    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "RemoveMessage")
        clientId = try d.int64("clientId")
        correlationId = try d.int64("correlationId")
        registrationId = try d.int64("registrationId")
    }
}
