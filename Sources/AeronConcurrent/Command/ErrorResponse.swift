import SharedMemory

/// ON_ERROR (0x0F01): the offending command's correlation id, an error code and the driver's message.
public struct ErrorResponse: ControlMessage {
    /// The offending command correlation id field.
    public var offendingCommandCorrelationId: Int64
    /// The error code field.
    public var errorCode: Int32
    /// The error message field.
    public var errorMessage: String

    /// A message with these fields.
    public init(offendingCommandCorrelationId: Int64, errorCode: Int32, errorMessage: String) {
        self.offendingCommandCorrelationId = offendingCommandCorrelationId
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 16

    /// The encoded length field.
    public var encodedLength: Int { 12 + prefixedLength(errorMessage.utf8.count, padded: false) }

    /// Writes the body at `offset`.
    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(offendingCommandCorrelationId)
        e.int32(errorCode)
        e.string(errorMessage, padded: false)
    }

    /// Decodes a body of `length` bytes at `offset`, throwing on truncation or a bad length.
    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "ErrorResponse")
        offendingCommandCorrelationId = try d.int64("offendingCommandCorrelationId")
        errorCode = try d.int32("errorCode")
        errorMessage = try d.string("errorMessage", padded: false)
    }
}
