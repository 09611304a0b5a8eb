import SharedMemory

/// ADD_SUBSCRIPTION (0x04). `registrationCorrelationId` is ignored by drivers (Java writes -1).
public struct SubscriptionMessage: ControlMessage {
    /// The client id field.
    public var clientId: Int64
    /// The correlation id field.
    public var correlationId: Int64
    /// The registration correlation id field.
    public var registrationCorrelationId: Int64
    /// The stream id field.
    public var streamId: Int32
    /// The channel field.
    public var channel: String

    /// A message with these fields.
    public init(clientId: Int64, correlationId: Int64, registrationCorrelationId: Int64, streamId: Int32, channel: String) {
        self.clientId = clientId
        self.correlationId = correlationId
        self.registrationCorrelationId = registrationCorrelationId
        self.streamId = streamId
        self.channel = channel
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 32

    /// The encoded length field.
    public var encodedLength: Int { 28 + prefixedLength(channel.utf8.count, padded: false) }

    /// Writes the body at `offset`.
    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(clientId)
        e.int64(correlationId)
        e.int64(registrationCorrelationId)
        e.int32(streamId)
        e.string(channel, padded: false)
    }

    /// Decodes a body of `length` bytes at `offset`, throwing on truncation or a bad length.
    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "SubscriptionMessage")
        clientId = try d.int64("clientId")
        correlationId = try d.int64("correlationId")
        registrationCorrelationId = try d.int64("registrationCorrelationId")
        streamId = try d.int32("streamId")
        channel = try d.string("channel", padded: false)
    }
}
