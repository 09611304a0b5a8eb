import SharedMemory

/// ADD/REMOVE_DESTINATION (0x07/0x08) and ADD/REMOVE_RCV_DESTINATION (0x0C/0x0D).
public struct DestinationMessage: ControlMessage {
    /// The client id field.
    public var clientId: Int64
    /// The correlation id field.
    public var correlationId: Int64
    /// The registration correlation id field.
    public var registrationCorrelationId: Int64
    /// The channel field.
    public var channel: String

    /// A message with these fields.
    public init(clientId: Int64, correlationId: Int64, registrationCorrelationId: Int64, channel: String) {
        self.clientId = clientId
        self.correlationId = correlationId
        self.registrationCorrelationId = registrationCorrelationId
        self.channel = channel
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 28

    /// The encoded length field.
    public var encodedLength: Int { 24 + prefixedLength(channel.utf8.count, padded: false) }

    /// Writes the body at `offset`.
    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(clientId)
        e.int64(correlationId)
        e.int64(registrationCorrelationId)
        e.string(channel, padded: false)
    }

    /// Decodes a body of `length` bytes at `offset`, throwing on truncation or a bad length.
    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "DestinationMessage")
        clientId = try d.int64("clientId")
        correlationId = try d.int64("correlationId")
        registrationCorrelationId = try d.int64("registrationCorrelationId")
        channel = try d.string("channel", padded: false)
    }
}
