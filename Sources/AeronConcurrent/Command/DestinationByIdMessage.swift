import SharedMemory

/// REMOVE_DESTINATION_BY_ID (0x11, 1.47+).
public struct DestinationByIdMessage: ControlMessage {
    /// The client id field.
    public var clientId: Int64
    /// The correlation id field.
    public var correlationId: Int64
    /// The resource registration id field.
    public var resourceRegistrationId: Int64
    /// The destination registration id field.
    public var destinationRegistrationId: Int64

    /// A message with these fields.
    public init(clientId: Int64, correlationId: Int64, resourceRegistrationId: Int64, destinationRegistrationId: Int64) {
        self.clientId = clientId
        self.correlationId = correlationId
        self.resourceRegistrationId = resourceRegistrationId
        self.destinationRegistrationId = destinationRegistrationId
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 32

    /// The encoded length field.
    public var encodedLength: Int { 32 }

    /// Writes the body at `offset`.
    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(clientId)
        e.int64(correlationId)
        e.int64(resourceRegistrationId)
        e.int64(destinationRegistrationId)
    }

    /// Decodes a body of `length` bytes at `offset`, throwing on truncation or a bad length.
    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "DestinationByIdMessage")
        clientId = try d.int64("clientId")
        correlationId = try d.int64("correlationId")
        resourceRegistrationId = try d.int64("resourceRegistrationId")
        destinationRegistrationId = try d.int64("destinationRegistrationId")
    }
}
