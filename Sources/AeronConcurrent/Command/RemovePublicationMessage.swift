import SharedMemory

/// REMOVE_PUBLICATION (0x02): the registration id to remove and, since 1.48, `flags` (bit 0 = revoke).
/// Always encoded as 32 bytes (older drivers ignore the extra bytes); the 24-byte pre-1.48 form decodes with
/// flags 0.
public struct RemovePublicationMessage: ControlMessage {
    /// The client id field.
    public var clientId: Int64
    /// The correlation id field.
    public var correlationId: Int64
    /// The registration id field.
    public var registrationId: Int64
    /// The flags field.
    public var flags: UInt64

    /// Flag bit asking the driver to revoke the publication.
    public static let revokeFlag: UInt64 = 1

    /// A message with these fields.
    public init(clientId: Int64, correlationId: Int64, registrationId: Int64, flags: UInt64 = 0) {
        self.clientId = clientId
        self.correlationId = correlationId
        self.registrationId = registrationId
        self.flags = flags
    }

    /// Shortest accepted body (pre-1.48).
    public static let fixedLength = 24

    /// The encoded length field.
    public var encodedLength: Int { 32 }

    /// Writes the body at `offset`.
    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(clientId)
        e.int64(correlationId)
        e.int64(registrationId)
        e.int64(Int64(bitPattern: flags))
    }

    /// Decodes a body of `length` bytes at `offset`, throwing on truncation or a bad length.
    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "RemovePublicationMessage")
        clientId = try d.int64("clientId")
        correlationId = try d.int64("correlationId")
        registrationId = try d.int64("registrationId")
        flags = length >= 32 ? UInt64(bitPattern: try d.int64("flags")) : 0
    }
}
