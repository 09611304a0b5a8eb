import TensorPoolBridgeCodecs

/// The sender's copy of the source stream's data-source beacon (`DataSourceAnnounce`: producer, epoch,
/// `meta_version`, name, summary) as an encoded `BridgeDataSourceAnnounce` (schema 901, template 3), offered when
/// it changes and again every ``BridgeSenderOptions/metadataIntervalNs`` with the metadata
/// (``BridgeOutgoingMessage``: encoded once per change, re-sent without allocating). Owned by the sender's thread.
final class BridgeAnnounceOutbox {
    let message: BridgeOutgoingMessage

    init(intervalNs: UInt64) {
        message = BridgeOutgoingMessage(intervalNs: intervalNs, sent: .announceSent, abandoned: .announceAbandoned)
    }

    /// Encodes `info` as the beacon of source stream `streamId`; the message is due at once. Returns `false`
    /// when it cannot be encoded (a name or summary over the bounds a consumer accepts, or not US-ASCII: the source
    /// consumer never holds such a beacon); then nothing is sent until the next change.
    @discardableResult
    func stage(_ info: DataSourceInfo, streamId: UInt32) -> Bool {
        let name = info.name ?? ""
        let summary = info.summary ?? ""
        guard name.utf8.count <= DataSourceInfo.maxNameBytes, summary.utf8.count <= DataSourceInfo.maxSummaryBytes,
              name.utf8.allSatisfy({ $0 < 0x80 }), summary.utf8.allSatisfy({ $0 < 0x80 }) else {
            message.clear()
            return false
        }
        let needed = MessageHeaderEncoder.encodedLength + Int(BridgeDataSourceAnnounceEncoder.blockLength) + 8
            + name.utf8.count + summary.utf8.count
        let buffer = message.reserve(needed)
        do {
            var encoder = try BridgeDataSourceAnnounceEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: needed)
            encoder.streamId = streamId
            encoder.producerId = info.producerId
            encoder.epoch = info.epoch
            encoder.metaVersion = info.metaVersion
            try encoder.name(name)
            try encoder.summary(summary)
            message.staged(length: try encoder.finish())
            return true
        } catch {
            message.clear()
            return false
        }
    }
}
