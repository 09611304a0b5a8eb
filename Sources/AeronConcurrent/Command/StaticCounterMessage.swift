import SharedMemory

/// ADD_STATIC_COUNTER (0x0F, 1.45+): a counter keyed by (type id, registration id) that outlives the client.
public struct StaticCounterMessage: ControlMessage {
    /// The client id field.
    public var clientId: Int64
    /// The correlation id field.
    public var correlationId: Int64
    /// The registration id field.
    public var registrationId: Int64
    /// The type id field.
    public var typeId: Int32
    /// The key field.
    public var key: [UInt8]
    /// The label field.
    public var label: String

    /// A message with these fields.
    public init(clientId: Int64, correlationId: Int64, registrationId: Int64, typeId: Int32, key: [UInt8], label: String) {
        self.clientId = clientId
        self.correlationId = correlationId
        self.registrationId = registrationId
        self.typeId = typeId
        self.key = key
        self.label = label
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 32

    /// The encoded length field.
    public var encodedLength: Int { 28 + prefixedLength(key.count, padded: true) + prefixedLength(label.utf8.count, padded: false) }

    /// Writes the body at `offset`.
    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(clientId)
        e.int64(correlationId)
        e.int64(registrationId)
        e.int32(typeId)
        e.lengthPrefixedBytes(key, padded: true)
        e.string(label, padded: false)
    }

    /// Decodes a body of `length` bytes at `offset`, throwing on truncation or a bad length.
    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "StaticCounterMessage")
        clientId = try d.int64("clientId")
        correlationId = try d.int64("correlationId")
        registrationId = try d.int64("registrationId")
        typeId = try d.int32("typeId")
        key = try d.lengthPrefixedBytes("key", padded: true)
        label = try d.string("label", padded: false)
    }
}
