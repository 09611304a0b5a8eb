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
    public static let fixedLength = IdPairStreamChannelLayout.fixedLength

    /// The encoded length field.
    public var encodedLength: Int { layout.encodedLength }

    /// Writes the body at `offset`.
    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        layout.encode(into: buffer, at: offset)
    }

    /// Decodes a body of `length` bytes at `offset`, throwing on truncation or a bad length.
    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        let body = try IdPairStreamChannelLayout(
            decoding: buffer, at: offset, length: length, message: "ImageMessage", firstIdName: "correlationId", secondIdName: "subscriptionRegistrationId")
        self.init(correlationId: body.firstId, subscriptionRegistrationId: body.secondId, streamId: body.streamId, channel: body.channel)
    }

    private var layout: IdPairStreamChannelLayout {
        IdPairStreamChannelLayout(firstId: correlationId, secondId: subscriptionRegistrationId, streamId: streamId, channel: channel)
    }
}
