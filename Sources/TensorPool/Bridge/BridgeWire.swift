import TensorPoolBridgeCodecs

/// Layout constants of the bridge wire format (schema 901, `BridgeFrameChunk`; see docs/BRIDGE.md).
public enum BridgeWire {
    /// Bytes of the slot header carried by the chunk at offset 0 (`TensorSlotHeader256`).
    public static let slotHeaderBytes = 256
    /// SBE message header + fixed block + the two var-data length prefixes: the bytes of a chunk besides its
    /// slot header and payload.
    public static let fixedOverhead = TensorPoolBridgeCodecs.MessageHeaderEncoder.encodedLength
        + Int(BridgeFrameChunkEncoder.blockLength) + 2 * 4
    /// Largest payload chunk that fits one message of `messageBytes` (so that the first chunk, which also
    /// carries the slot header, fits too).
    public static func chunkCapacity(messageBytes: Int) -> Int {
        messageBytes - fixedOverhead - slotHeaderBytes
    }

    /// Whether `message` claims to be a `BridgeDataSourceMeta` (schema 901, template 2) by its SBE header;
    /// everything else but a ``isAnnounceMessage(_:)`` is judged as a `BridgeFrameChunk` (so a template this code
    /// does not know is counted as malformed and dropped).
    public static func isMetadataMessage(_ message: UnsafeRawBufferPointer) -> Bool {
        templateId(of: message) == BridgeDataSourceMetaDecoder.templateId
    }

    /// Whether `message` claims to be a `BridgeDataSourceAnnounce` (schema 901, template 3) by its SBE header.
    public static func isAnnounceMessage(_ message: UnsafeRawBufferPointer) -> Bool {
        templateId(of: message) == BridgeDataSourceAnnounceDecoder.templateId
    }

    /// The header's `templateId` when the header says schema 901, else `nil` (too short or another schema).
    static func templateId(of message: UnsafeRawBufferPointer) -> UInt16? {
        guard message.count >= MessageHeaderDecoder.encodedLength else { return nil }
        let schemaId = UInt16(littleEndian: message.loadUnaligned(fromByteOffset: 4, as: UInt16.self))
        guard schemaId == TensorPoolBridgeSchema.id else { return nil }
        return UInt16(littleEndian: message.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
    }
}
