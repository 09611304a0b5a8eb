import SharedMemory

/// ON_COUNTER_READY (0x0F08), ON_UNAVAILABLE_COUNTER (0x0F09) and ON_STATIC_COUNTER (0x0F0B).
public struct CounterUpdate: ControlMessage {
    public var correlationId: Int64
    public var counterId: Int32

    /// A message with these fields.
    public init(correlationId: Int64, counterId: Int32) {
        self.correlationId = correlationId
        self.counterId = counterId
    }

    /// Fixed part of the encoding (before any variable-length field).
    public static let fixedLength = 12

    public var encodedLength: Int { 12 }

    public func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(correlationId)
        e.int32(counterId)
    }

    public init(decoding buffer: AtomicBuffer, at offset: Int, length: Int) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: "CounterUpdate")
        correlationId = try d.int64("correlationId")
        counterId = try d.int32("counterId")
    }
}
