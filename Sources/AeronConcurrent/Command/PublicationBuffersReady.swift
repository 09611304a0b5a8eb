import SharedMemory

/// ON_PUBLICATION_READY (0x0F03) and ON_EXCLUSIVE_PUBLICATION_READY (0x0F06).
public struct PublicationBuffersReady: ControlMessage {
    /// The correlation id field.
    public var correlationId: Int64
    /// The registration id field.
    public var registrationId: Int64
    /// The session id field.
    public var sessionId: Int32
    /// The stream id field.
    public var streamId: Int32
    /// The publication limit counter id field.
    public var publicationLimitCounterId: Int32
    /// The channel status indicator id field.
    public var channelStatusIndicatorId: Int32
    /// The log file name field.
    public var logFileName: String

    /// A message with these fields.
    public init(correlationId: Int64, registrationId: Int64, sessionId: Int32, streamId: Int32, publicationLimitCounterId: Int32, channelStatusIndicatorId: Int32, logFileName: String) {
        self.correlationId = correlationId
        self.registrationId = registrationId
        self.sessionId = sessionId
        self.streamId = streamId
        self.publicationLimitCounterId = publicationLimitCounterId
        self.channelStatusIndicatorId = channelStatusIndicatorId
        self.logFileName = logFileName
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 36

    /// The encoded length field.
    public var encodedLength: Int { 32 + prefixedLength(logFileName.utf8.count, padded: false) }

    /// Writes the body at `offset`.
    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(correlationId)
        e.int64(registrationId)
        e.int32(sessionId)
        e.int32(streamId)
        e.int32(publicationLimitCounterId)
        e.int32(channelStatusIndicatorId)
        e.string(logFileName, padded: false)
    }

    /// Decodes a body of `length` bytes at `offset`, throwing on truncation or a bad length.
    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "PublicationBuffersReady")
        correlationId = try d.int64("correlationId")
        registrationId = try d.int64("registrationId")
        sessionId = try d.int32("sessionId")
        streamId = try d.int32("streamId")
        publicationLimitCounterId = try d.int32("publicationLimitCounterId")
        channelStatusIndicatorId = try d.int32("channelStatusIndicatorId")
        logFileName = try d.string("logFileName", padded: false)
    }
}
