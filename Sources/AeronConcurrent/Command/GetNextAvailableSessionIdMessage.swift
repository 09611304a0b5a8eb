import SharedMemory

/// GET_NEXT_AVAILABLE_SESSION_ID (0x12, 1.49+).
public struct GetNextAvailableSessionIdMessage: ControlMessage {
    /// The client id field.
    public var clientId: Int64
    /// The correlation id field.
    public var correlationId: Int64
    /// The stream id field.
    public var streamId: Int32

    /// A message with these fields.
    public init(clientId: Int64, correlationId: Int64, streamId: Int32) {
        self.clientId = clientId
        self.correlationId = correlationId
        self.streamId = streamId
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 20

    /// The encoded length field.
    public var encodedLength: Int { 20 }

    /// Writes the body at `offset`.
    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(clientId)
        e.int64(correlationId)
        e.int32(streamId)
    }

    /// Decodes a body of `length` bytes at `offset`, throwing on truncation or a bad length.
    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "GetNextAvailableSessionIdMessage")
        clientId = try d.int64("clientId")
        correlationId = try d.int64("correlationId")
        streamId = try d.int32("streamId")
    }
}
