import SharedMemory

/// The body layout that ADD_PUBLICATION / ADD_EXCLUSIVE_PUBLICATION (`aeron_publication_command_t`) and
/// ON_UNAVAILABLE_IMAGE (`aeron_image_message_t`) share: two `i64` ids at 0 and 8, the `i32` stream id at 16,
/// then the channel as an unpadded `i32`-length-prefixed string at 20. The messages only name the two ids
/// differently, so both encode and decode through this one definition of the bytes.
struct IdPairStreamChannelLayout {
    /// Bytes before the channel's characters (the ids, the stream id and the channel length).
    static let fixedLength = 24

    var firstId: Int64
    var secondId: Int64
    var streamId: Int32
    var channel: String

    init(firstId: Int64, secondId: Int64, streamId: Int32, channel: String) {
        self.firstId = firstId
        self.secondId = secondId
        self.streamId = streamId
        self.channel = channel
    }

    var encodedLength: Int { 20 + prefixedLength(channel.utf8.count, padded: false) }

    func encode(into buffer: AtomicBuffer, at offset: Int) {
        var e = ControlMessageEncoder(buffer, offset: offset)
        e.int64(firstId)
        e.int64(secondId)
        e.int32(streamId)
        e.string(channel, padded: false)
    }

    /// Decodes `length` bytes at `offset`; `message` and the id names say which message and field failed.
    init(
        decoding buffer: AtomicBuffer, at offset: Int, length: Int,
        message: String, firstIdName: String, secondIdName: String
    ) throws(ControlMessageError) {
        var d = try ControlMessageDecoder(buffer, offset: offset, length: length, message: message)
        firstId = try d.int64(firstIdName)
        secondId = try d.int64(secondIdName)
        streamId = try d.int32("streamId")
        channel = try d.string("channel", padded: false)
    }
}
