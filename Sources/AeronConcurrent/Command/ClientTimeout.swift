import SharedMemory

/// ON_CLIENT_TIMEOUT (0x0F0A): the driver timed out this client id.
public struct ClientTimeout: ControlMessage {
    /// The client id field.
    public var clientId: Int64

    /// A message with these fields.
    public init(clientId: Int64) {
        self.clientId = clientId
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 8

    /// The encoded length field.
    public var encodedLength: Int { 8 }

    /// Writes the body at `offset`.
    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(clientId)
    }

    /// Decodes a body of `length` bytes at `offset`, throwing on truncation or a bad length.
    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "ClientTimeout")
        clientId = try d.int64("clientId")
    }
}
