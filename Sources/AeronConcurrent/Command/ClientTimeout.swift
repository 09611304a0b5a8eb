import SharedMemory

/// ON_CLIENT_TIMEOUT (0x0F0A): the driver timed out this client id.
public struct ClientTimeout: ControlMessage {
    public var clientId: Int64

    /// A message with these fields.
    public init(clientId: Int64) {
        self.clientId = clientId
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 8

    public var encodedLength: Int { 8 }

    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(clientId)
    }

    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "ClientTimeout")
        clientId = try d.int64("clientId")
    }
}
