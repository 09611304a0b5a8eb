import SharedMemory

/// ON_AVAILABLE_IMAGE (0x0F02): an image for a subscription, with its log file and sub-pos counter.
public struct ImageBuffersReady: ControlMessage {
    /// The correlation id field.
    public var correlationId: Int64
    /// The session id field.
    public var sessionId: Int32
    /// The stream id field.
    public var streamId: Int32
    /// The subscription registration id field.
    public var subscriptionRegistrationId: Int64
    /// The subscriber position id field.
    public var subscriberPositionId: Int32
    /// The log file name field.
    public var logFileName: String
    /// The source identity field.
    public var sourceIdentity: String

    /// A message with these fields.
    public init(correlationId: Int64, sessionId: Int32, streamId: Int32, subscriptionRegistrationId: Int64, subscriberPositionId: Int32, logFileName: String, sourceIdentity: String) {
        self.correlationId = correlationId
        self.sessionId = sessionId
        self.streamId = streamId
        self.subscriptionRegistrationId = subscriptionRegistrationId
        self.subscriberPositionId = subscriberPositionId
        self.logFileName = logFileName
        self.sourceIdentity = sourceIdentity
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 32

    /// The encoded length field.
    public var encodedLength: Int { 28 + prefixedLength(logFileName.utf8.count, padded: true) + prefixedLength(sourceIdentity.utf8.count, padded: false) }

    /// Writes the body at `offset`.
    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(correlationId)
        e.int32(sessionId)
        e.int32(streamId)
        e.int64(subscriptionRegistrationId)
        e.int32(subscriberPositionId)
        e.string(logFileName, padded: true)
        e.string(sourceIdentity, padded: false)
    }

    /// Decodes a body of `length` bytes at `offset`, throwing on truncation or a bad length.
    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "ImageBuffersReady")
        correlationId = try d.int64("correlationId")
        sessionId = try d.int32("sessionId")
        streamId = try d.int32("streamId")
        subscriptionRegistrationId = try d.int64("subscriptionRegistrationId")
        subscriberPositionId = try d.int32("subscriberPositionId")
        logFileName = try d.string("logFileName", padded: true)
        sourceIdentity = try d.string("sourceIdentity", padded: false)
    }
}
