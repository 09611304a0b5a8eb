import SharedMemory

/// ON_UNAVAILABLE_IMAGE (0x0F05): image (publication) registration id, subscription, stream and channel.
public struct ImageMessage: ControlMessage {
    /// The correlation id field.
    public var correlationId: Int64
    /// The subscription registration id field.
    public var subscriptionRegistrationId: Int64
    /// The stream id field.
    public var streamId: Int32
    /// The channel field.
    public var channel: String

    /// A message with these fields.
    public init(correlationId: Int64, subscriptionRegistrationId: Int64, streamId: Int32, channel: String) {
        self.correlationId = correlationId
        self.subscriptionRegistrationId = subscriptionRegistrationId
        self.streamId = streamId
        self.channel = channel
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 24

    /// The encoded length field.
    public var encodedLength: Int { 20 + prefixedLength(channel.utf8.count, padded: false) }

    /// Writes the body at `offset`.
    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(correlationId)
        e.int64(subscriptionRegistrationId)
        e.int32(streamId)
        e.string(channel, padded: false)
    }

    /// Decodes a body of `length` bytes at `offset`, throwing on truncation or a bad length.
    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "ImageMessage")
        correlationId = try d.int64("correlationId")
        subscriptionRegistrationId = try d.int64("subscriptionRegistrationId")
        streamId = try d.int32("streamId")
        channel = try d.string("channel", padded: false)
    }
}
