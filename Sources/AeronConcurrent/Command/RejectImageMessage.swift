import SharedMemory

/// REJECT_IMAGE (0x10, 1.47+).
public struct RejectImageMessage: ControlMessage {
    /// The client id field.
    public var clientId: Int64
    /// The correlation id field.
    public var correlationId: Int64
    /// The image correlation id field.
    public var imageCorrelationId: Int64
    /// The position field.
    public var position: Int64
    /// The reason field.
    public var reason: String

    /// A message with these fields.
    public init(clientId: Int64, correlationId: Int64, imageCorrelationId: Int64, position: Int64, reason: String) {
        self.clientId = clientId
        self.correlationId = correlationId
        self.imageCorrelationId = imageCorrelationId
        self.position = position
        self.reason = reason
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 36

    /// The encoded length field.
    public var encodedLength: Int { 32 + prefixedLength(reason.utf8.count, padded: false) }

    /// Writes the body at `offset`.
    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(clientId)
        e.int64(correlationId)
        e.int64(imageCorrelationId)
        e.int64(position)
        e.string(reason, padded: false)
    }

    /// Decodes a body of `length` bytes at `offset`, throwing on truncation or a bad length.
    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "RejectImageMessage")
        clientId = try d.int64("clientId")
        correlationId = try d.int64("correlationId")
        imageCorrelationId = try d.int64("imageCorrelationId")
        position = try d.int64("position")
        reason = try d.string("reason", padded: false)
    }
}
