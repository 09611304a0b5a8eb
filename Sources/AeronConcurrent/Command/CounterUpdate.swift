import SharedMemory

/// ON_COUNTER_READY (0x0F08), ON_UNAVAILABLE_COUNTER (0x0F09) and ON_STATIC_COUNTER (0x0F0B).
public struct CounterUpdate: ControlMessage {
    /// The correlation id field.
    public var correlationId: Int64
    /// The counter id field.
    public var counterId: Int32

    /// A message with these fields.
    public init(correlationId: Int64, counterId: Int32) {
        self.correlationId = correlationId
        self.counterId = counterId
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 12

    /// The encoded length field.
    public var encodedLength: Int { 12 }

    /// Writes the body at `offset`.
    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(correlationId)
        e.int32(counterId)
    }

    /// Decodes a body of `length` bytes at `offset`, throwing on truncation or a bad length.
    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "CounterUpdate")
        correlationId = try d.int64("correlationId")
        counterId = try d.int32("counterId")
    }
}
