import SharedMemory

/// ON_PUBLICATION_ERROR (0x0F0C, 1.47+): an image was rejected by a receiver.
public struct PublicationErrorFrame: ControlMessage {
    /// The registration id field.
    public var registrationId: Int64
    /// The destination registration id field.
    public var destinationRegistrationId: Int64
    /// The session id field.
    public var sessionId: Int32
    /// The stream id field.
    public var streamId: Int32
    /// The receiver id field.
    public var receiverId: Int64
    /// The group tag field.
    public var groupTag: Int64
    /// The address type field.
    public var addressType: Int16
    /// The source port field.
    public var sourcePort: UInt16
    /// The source address field.
    public var sourceAddress: [UInt8]
    /// The error code field.
    public var errorCode: Int32
    /// The error message field.
    public var errorMessage: String

    /// A message with these fields.
    public init(registrationId: Int64, destinationRegistrationId: Int64, sessionId: Int32, streamId: Int32, receiverId: Int64, groupTag: Int64, addressType: Int16, sourcePort: UInt16, sourceAddress: [UInt8], errorCode: Int32, errorMessage: String) {
        self.registrationId = registrationId
        self.destinationRegistrationId = destinationRegistrationId
        self.sessionId = sessionId
        self.streamId = streamId
        self.receiverId = receiverId
        self.groupTag = groupTag
        self.addressType = addressType
        self.sourcePort = sourcePort
        self.sourceAddress = sourceAddress
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 68

    /// The encoded length field.
    public var encodedLength: Int { 64 + prefixedLength(errorMessage.utf8.count, padded: false) }

    /// Writes the body at `offset`.
    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(registrationId)
        e.int64(destinationRegistrationId)
        e.int32(sessionId)
        e.int32(streamId)
        e.int64(receiverId)
        e.int64(groupTag)
        e.int16(addressType)
        e.int16(Int16(bitPattern: sourcePort))
        e.bytes(Array((sourceAddress + [UInt8](repeating: 0, count: 16)).prefix(16)))
        e.int32(errorCode)
        e.string(errorMessage, padded: false)
    }

    /// Decodes a body of `length` bytes at `offset`, throwing on truncation or a bad length.
    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "PublicationErrorFrame")
        registrationId = try d.int64("registrationId")
        destinationRegistrationId = try d.int64("destinationRegistrationId")
        sessionId = try d.int32("sessionId")
        streamId = try d.int32("streamId")
        receiverId = try d.int64("receiverId")
        groupTag = try d.int64("groupTag")
        addressType = try d.int16("addressType")
        sourcePort = UInt16(bitPattern: try d.int16("sourcePort"))
        sourceAddress = try d.bytes(16, "sourceAddress")
        errorCode = try d.int32("errorCode")
        errorMessage = try d.string("errorMessage", padded: false)
    }
}
