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
    /// everything else is judged as a `BridgeFrameChunk`.
    public static func isMetadataMessage(_ message: UnsafeRawBufferPointer) -> Bool {
        guard message.count >= MessageHeaderDecoder.encodedLength else { return false }
        let templateId = UInt16(littleEndian: message.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
        let schemaId = UInt16(littleEndian: message.loadUnaligned(fromByteOffset: 4, as: UInt16.self))
        return schemaId == TensorPoolBridgeSchema.id && templateId == BridgeDataSourceMetaDecoder.templateId
    }
}
