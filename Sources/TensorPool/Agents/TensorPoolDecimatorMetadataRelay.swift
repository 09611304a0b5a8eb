import SBE
import TensorPoolCodecs

/// Forwards the source stream's `DataSourceMeta` to the decimator's target producer (which re-announces it
/// with its own `meta_version`). A repeat of the version already forwarded (sent at every announce cadence)
/// is recognised from the fixed fields and not decoded, so steady state allocates nothing.
struct DecimatorMetadataRelay: ControlMessageHandler {
    let sourceStreamId: UInt32
    let target: TensorPoolProducer
    let statistics: DecimatorStatistics
    /// Source `meta_version` last forwarded, and the source epoch it belongs to.
    var forwardedVersion: UInt32?
    var sourceEpoch: UInt64?

    init(sourceStreamId: UInt32, target: TensorPoolProducer, statistics: DecimatorStatistics) {
        self.sourceStreamId = sourceStreamId
        self.target = target
        self.statistics = statistics
    }

    mutating func onDataSourceAnnounce(_ message: DataSourceAnnounceDecoder, nowNs: UInt64) throws(SBEError) {
        guard message.streamId == sourceStreamId else { return }
        let epoch = message.epoch
        if sourceEpoch != epoch {
            // A restarted source numbers its metadata versions from scratch.
            sourceEpoch = epoch
            forwardedVersion = nil
        }
    }

    mutating func onDataSourceMeta(_ message: DataSourceMetaDecoder, nowNs: UInt64) throws(SBEError) {
        guard message.streamId == sourceStreamId, message.metaVersion != forwardedVersion else { return }
        let version = message.metaVersion
        var decoder = message
        var group = try decoder.attributes()
        var attributes: [MetaAttribute] = []
        while try group.next() {
            let key = try group.keyString()
            let format = try group.formatString()
            let value = Array(try group.value())
            attributes.append(MetaAttribute(key: key, format: format, value: value))
        }
        forwardedVersion = version
        target.setMetadata(attributes, nowNs: nowNs)
        statistics.add(.metadataForwarded)
    }
}
