import SharedMemory

/// ON_SUBSCRIPTION_READY (0x0F07).
public struct SubscriptionReady: ControlMessage {
    /// The correlation id field.
    public var correlationId: Int64
    /// The channel status indicator id field.
    public var channelStatusIndicatorId: Int32

    /// A message with these fields.
    public init(correlationId: Int64, channelStatusIndicatorId: Int32) {
        self.correlationId = correlationId
        self.channelStatusIndicatorId = channelStatusIndicatorId
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 12

    /// The encoded length field.
    public var encodedLength: Int { 12 }

    /// Writes the body at `offset`.
    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(correlationId)
        e.int32(channelStatusIndicatorId)
    }

    /// Decodes a body of `length` bytes at `offset`, throwing on truncation or a bad length.
    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "SubscriptionReady")
        correlationId = try d.int64("correlationId")
        channelStatusIndicatorId = try d.int32("channelStatusIndicatorId")
    }
}
