import TensorPoolBridgeCodecs

/// The sender's copy of the source stream's metadata as an encoded `BridgeDataSourceMeta` (schema 901,
/// template 2), offered when it changes and again every ``BridgeSenderOptions/metadataIntervalNs`` so a
/// receiver that joins late gets it (``BridgeOutgoingMessage``: encoded once per change, re-sent without
/// allocating). Owned by the sender's thread.
final class BridgeMetadataOutbox {
    let message: BridgeOutgoingMessage

    init(intervalNs: UInt64) {
        message = BridgeOutgoingMessage(intervalNs: intervalNs, sent: .metadataSent, abandoned: .metadataAbandoned)
    }

    /// Encodes `metadata` of source stream `streamId`; the message is due at once. Returns `false` when it cannot
    /// be encoded (over the schema's limits; a consumer never accepts such metadata): then nothing is sent until
    /// the next change, rather than the previous, outdated metadata.
    @discardableResult
    func stage(_ metadata: DataSourceMetadata, streamId: UInt32) -> Bool {
        let attributes = metadata.attributes
        guard attributes.count <= Int(UInt16.max) else {
            message.clear()
            return false
        }
        var needed = MessageHeaderEncoder.encodedLength + Int(BridgeDataSourceMetaEncoder.blockLength) + 4
        for attribute in attributes {
            needed += 12 + attribute.key.utf8.count + attribute.format.utf8.count + attribute.value.count
        }
        let buffer = message.reserve(needed)
        do {
            var encoder = try BridgeDataSourceMetaEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: needed)
            encoder.streamId = streamId
            encoder.metaVersion = metadata.metaVersion
            encoder.timestampNs = metadata.timestampNs
            var group = try encoder.attributesCount(attributes.count)
            for attribute in attributes {
                try group.next()
                try group.key(attribute.key)
                try group.format(attribute.format)
                try group.value(attribute.value)
            }
            try encoder.endAttributes(group)
            message.staged(length: try encoder.finish())
            return true
        } catch {
            message.clear()
            return false
        }
    }
}
