import SBE
import TensorPoolCodecs

extension DataSourceMetadata {
    /// Decodes a `DataSourceMeta` in two passes: the first checks the bounds (``maxAttributes``,
    /// ``maxAttributeBytes``) and the keys and formats (non-empty printable ASCII key, printable ASCII format)
    /// without allocating, the second builds the attributes. Throws when groups or data do not fit the message
    /// (counted by the control plane as truncated or malformed); returns a ``MetadataRejection`` when well formed
    /// but outside the bounds.
    static func decode(_ message: DataSourceMetaDecoder) throws(SBEError) -> Result<DataSourceMetadata, MetadataRejection> {
        var checking = message
        var group = try checking.attributes()
        guard group.count <= maxAttributes else {
            let count = group.count
            return .failure(MetadataRejection(detail: "DataSourceMeta with \(count) attributes (at most \(maxAttributes))"))
        }
        var total = 0
        while try group.next() {
            let key = try group.key()
            guard !key.isEmpty, MetadataText.isPrintableASCII(key) else {
                let index = group.index
                return .failure(MetadataRejection(detail: "DataSourceMeta attribute \(index): key empty or not printable ASCII"))
            }
            let format = try group.format()
            guard MetadataText.isPrintableASCII(format) else {
                let index = group.index
                return .failure(MetadataRejection(detail: "DataSourceMeta attribute \(index): format not printable ASCII"))
            }
            total += key.count + format.count + (try group.value()).count
            guard total <= maxAttributeBytes else {
                return .failure(MetadataRejection(detail: "DataSourceMeta attributes exceed \(maxAttributeBytes) bytes"))
            }
        }
        var decoding = message
        var entries = try decoding.attributes()
        var attributes: [MetaAttribute] = []
        attributes.reserveCapacity(entries.count)
        while try entries.next() {
            let key = SBEText.string(try entries.key())
            let format = SBEText.string(try entries.format())
            attributes.append(MetaAttribute(key: key, format: format, value: Array(try entries.value())))
        }
        return .success(DataSourceMetadata(streamId: message.streamId, metaVersion: message.metaVersion,
                                           timestampNs: message.timestampNs, attributes: attributes))
    }
}
