import SBE
import TensorPoolBridgeCodecs

/// The judge of `BridgeDataSourceAnnounce` messages (schema 901, template 3), shared by the bridge receiver and a
/// consumer in FALLBACK (``FallbackFrameSource``): decodes them within their bytes, bounds them as a consumer
/// bounds a `DataSourceAnnounce` (``DataSourceInfo/maxNameBytes``, ``DataSourceInfo/maxSummaryBytes``, US-ASCII)
/// and recognises a re-send of the beacon last accepted from its bytes (the message has no timestamp: a re-send is
/// byte-identical), without decoding into Swift values or allocating.
///
/// Single-threaded; allocates only when the beacon changed.
final class BridgeAnnounceInbox {
    enum Verdict {
        /// Does not decode within its bytes (truncated, var data past the end).
        case malformed
        /// A beacon of another source stream than the one accepted.
        case foreignStream
        /// Well formed but outside the bounds (name or summary too long, not US-ASCII).
        case invalid
        /// The beacon already accepted (periodic re-send).
        case unchanged
        /// A new beacon: the source's `DataSourceAnnounce` as carried.
        case updated(DataSourceInfo)
    }

    /// The bytes (SBE header included) of the message accepted last.
    private var accepted: [UInt8] = []

    /// Judges one whole message already known to carry schema 901 / template 3.
    func accept(_ message: UnsafeRawBufferPointer, sourceStreamId: UInt32?) -> Verdict {
        guard let base = message.baseAddress else { return .malformed }
        let decoder: BridgeDataSourceAnnounceDecoder
        let end: Int
        do {
            decoder = try BridgeDataSourceAnnounceDecoder(wrapAndCheckHeader: base, offset: 0, capacity: message.count)
            var walking = decoder
            end = try walking.encodedLength()
        } catch {
            return .malformed
        }
        guard end >= MessageHeaderDecoder.encodedLength + Int(BridgeDataSourceAnnounceDecoder.blockLength),
              end <= message.count else { return .malformed }
        if let wanted = sourceStreamId, wanted != decoder.streamId { return .foreignStream }
        let body = UnsafeRawBufferPointer(start: base, count: end)
        if isAccepted(body) { return .unchanged }
        do {
            var reading = decoder
            let name = try reading.name()
            let summary = try reading.summary()
            guard name.count <= DataSourceInfo.maxNameBytes, summary.count <= DataSourceInfo.maxSummaryBytes,
                  MetadataText.isASCII(name), MetadataText.isASCII(summary) else { return .invalid }
            let info = DataSourceInfo(streamId: decoder.streamId, producerId: decoder.producerId, epoch: decoder.epoch,
                                      metaVersion: decoder.metaVersion,
                                      name: name.isEmpty ? nil : SBEText.string(name),
                                      summary: summary.isEmpty ? nil : SBEText.string(summary))
            accepted = Array(body)
            return .updated(info)
        } catch {
            return .malformed
        }
    }

    private func isAccepted(_ body: UnsafeRawBufferPointer) -> Bool {
        guard accepted.count == body.count else { return false }
        return accepted.withUnsafeBytes { MessageBytes.equal($0, body) }
    }
}
