import SharedMemory

/// The 32-byte Aeron data frame header (PROTOCOL_FACTS §7; C `aeron_data_header_t`, Java `DataHeaderFlyweight`).
public enum DataFrameHeader {
    /// Header length; payload starts here.
    public static let length = 32
    /// Every frame occupies a multiple of this in the term.
    public static let frameAlignment = 32

    /// `i32` frame length (header + payload, unaligned; negative while being written, 0 = not yet written).
    public static let frameLengthOffset = 0
    /// `i8` version.
    public static let versionOffset = 4
    /// `u8` flags.
    public static let flagsOffset = 5
    /// `i16` frame type.
    public static let typeOffset = 6
    /// `i32` term offset of this frame.
    public static let termOffsetOffset = 8
    /// `i32` session id.
    public static let sessionIdOffset = 12
    /// `i32` stream id.
    public static let streamIdOffset = 16
    /// `i32` term id.
    public static let termIdOffset = 20
    /// `i64` reserved value.
    public static let reservedValueOffset = 24

    /// First fragment of a message.
    public static let beginFlag: UInt8 = 0x80
    /// Last fragment of a message.
    public static let endFlag: UInt8 = 0x40
    /// A whole message in one frame.
    public static let unfragmentedFlags: UInt8 = 0xC0
    /// End of stream (network heartbeats only).
    public static let endOfStreamFlag: UInt8 = 0x20
    /// Publication revoked (network heartbeats only).
    public static let revokedFlag: UInt8 = 0x10

    /// Padding frame: skipped by readers.
    public static let typePadding: Int16 = 0
    /// Data frame.
    public static let typeData: Int16 = 1

    /// Current protocol version.
    public static let currentVersion: UInt8 = 0

    /// Length of the frame at `offset` (acquire).
    @inlinable public static func frameLengthVolatile(_ buffer: AtomicBuffer, _ offset: Int) -> Int32 {
        buffer.int32Acquire(at: offset &+ frameLengthOffset)
    }

    /// Release-writes the frame length (publishes the frame when positive).
    @inlinable public static func setFrameLengthOrdered(_ buffer: AtomicBuffer, _ offset: Int, _ length: Int32) {
        buffer.setInt32Release(length, at: offset &+ frameLengthOffset)
    }

    /// Frame type at `offset`.
    @inlinable public static func frameType(_ buffer: AtomicBuffer, _ offset: Int) -> Int16 { buffer.int16(at: offset + typeOffset) }
    /// True when the frame at `offset` is padding.
    @inlinable public static func isPaddingFrame(_ buffer: AtomicBuffer, _ offset: Int) -> Bool { frameType(buffer, offset) == typePadding }
    /// Flags of the frame at `offset`.
    @inlinable public static func flags(_ buffer: AtomicBuffer, _ offset: Int) -> UInt8 { buffer.uint8(at: offset + flagsOffset) }

    /// `frameLength` rounded up to ``frameAlignment``, with wrapping arithmetic: frame lengths are bounded by the
    /// term length (≤ 1 GiB), so this cannot overflow, and it costs no overflow checks on the hot paths.
    @inlinable @inline(__always) public static func alignedLength(_ frameLength: Int) -> Int {
        (frameLength &+ (frameAlignment &- 1)) & ~(frameAlignment &- 1)
    }

    /// Bytes a message of `length` occupies once fragmented into frames of at most `maxPayloadLength` payload.
    @inlinable public static func fragmentedFrameLength(_ length: Int, maxPayloadLength: Int) -> Int {
        let fullFrames = length / maxPayloadLength
        let remainder = length % maxPayloadLength
        let last = remainder > 0 ? alignUp(remainder + Self.length, to: frameAlignment) : 0
        return fullFrames * (maxPayloadLength + Self.length) + last
    }
}
