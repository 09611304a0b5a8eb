import SharedMemory

/// ADD_PUBLICATION (0x01) and ADD_EXCLUSIVE_PUBLICATION (0x03).
public struct PublicationMessage: ControlMessage {
    /// The client id field.
    public var clientId: Int64
    /// The correlation id field.
    public var correlationId: Int64
    /// The stream id field.
    public var streamId: Int32
    /// The channel field.
    public var channel: String

    /// A message with these fields.
    public init(clientId: Int64, correlationId: Int64, streamId: Int32, channel: String) {
        self.clientId = clientId
        self.correlationId = correlationId
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
            decoding: buffer, at: offset, length: length, message: "PublicationMessage", firstIdName: "clientId", secondIdName: "correlationId")
        self.init(clientId: body.firstId, correlationId: body.secondId, streamId: body.streamId, channel: body.channel)
    }

    private var layout: IdPairStreamChannelLayout {
        IdPairStreamChannelLayout(firstId: clientId, secondId: correlationId, streamId: streamId, channel: channel)
    }
}
