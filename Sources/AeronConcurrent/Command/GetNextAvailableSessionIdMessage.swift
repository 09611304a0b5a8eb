import SharedMemory

/// GET_NEXT_AVAILABLE_SESSION_ID (0x12, 1.49+).
public struct GetNextAvailableSessionIdMessage: ControlMessage {
    public var clientId: Int64
    public var correlationId: Int64
    public var streamId: Int32

    /// A message with these fields.
    public init(clientId: Int64, correlationId: Int64, streamId: Int32) {
        self.clientId = clientId
        self.correlationId = correlationId
        self.streamId = streamId
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 20

    public var encodedLength: Int { 20 }

    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(clientId)
        e.int64(correlationId)
        e.int32(streamId)
    }

    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "GetNextAvailableSessionIdMessage")
        clientId = try d.int64("clientId")
        correlationId = try d.int64("correlationId")
        streamId = try d.int32("streamId")
    }
}
