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
        if let rejection = try rejection(of: try checking.attributes()) { return .failure(rejection) }
        var decoding = message
        return .success(DataSourceMetadata(streamId: message.streamId, metaVersion: message.metaVersion,
                                           timestampNs: message.timestampNs,
                                           attributes: try attributes(of: try decoding.attributes())))
    }
}
