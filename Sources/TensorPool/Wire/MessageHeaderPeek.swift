import TensorPoolCodecs

/// Reads the SBE message header of a received tensor-pool message without decoding the body.
public enum MessageHeaderPeek {
    /// The template id of a tensor-pool (schema 900) message, or `nil` when the buffer is shorter than
    /// a header or the header names another schema. Allocation-free.
    @inlinable
    public static func templateId(_ buffer: UnsafeRawPointer, length: Int) -> UInt16? {
        guard length >= MessageHeaderDecoder.encodedLength else { return nil }
        let header = MessageHeaderDecoder(unchecked: buffer, offset: 0, actingVersion: Int(TensorPoolSchema.version))
        guard header.schemaId == TensorPoolSchema.id else { return nil }
        return header.templateId
    }
}
