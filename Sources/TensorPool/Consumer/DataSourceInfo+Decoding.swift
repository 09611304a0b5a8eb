import SBE
import TensorPoolCodecs

extension DataSourceInfo {
    /// Decodes a `DataSourceAnnounce`. Throws when the variable-length fields do not fit the message (counted by
    /// the control plane as truncated or malformed); returns a ``MetadataRejection`` when `name` or `summary` is
    /// longer than ``maxNameBytes`` / ``maxSummaryBytes`` or not US-ASCII. An empty field (also how an absent
    /// optional field decodes) becomes `nil`.
    static func decode(_ message: DataSourceAnnounceDecoder) throws(SBEError) -> Result<DataSourceInfo, MetadataRejection> {
        var decoder = message
        let name = try decoder.name()
        guard name.count <= maxNameBytes, MetadataText.isASCII(name) else {
            return .failure(MetadataRejection(detail: "DataSourceAnnounce name of \(name.count) bytes, or not ASCII"))
        }
        let nameText = name.isEmpty ? nil : SBEText.string(name)
        let summary = try decoder.summary()
        guard summary.count <= maxSummaryBytes, MetadataText.isASCII(summary) else {
            return .failure(MetadataRejection(detail: "DataSourceAnnounce summary of \(summary.count) bytes, or not ASCII"))
        }
        return .success(DataSourceInfo(streamId: message.streamId, producerId: message.producerId, epoch: message.epoch,
                                       metaVersion: message.metaVersion, name: nameText,
                                       summary: summary.isEmpty ? nil : SBEText.string(summary)))
    }
}
