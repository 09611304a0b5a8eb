import SBE
import TensorPoolBridgeCodecs

/// The judge of `BridgeDataSourceMeta` messages (schema 901, template 2), shared by the bridge receiver and a
/// consumer in FALLBACK (``FallbackFrameSource``): decodes and bounds-checks
/// them as a consumer checks a `DataSourceMeta` (``DataSourceMetadata/maxAttributes``,
/// ``DataSourceMetadata/maxAttributeBytes``, printable-ASCII non-empty keys and printable-ASCII formats) and
/// recognises a re-send of the content last accepted (same stream, source `metaVersion` and attribute bytes,
/// whatever its `timestampNs`) from its bytes, without decoding into Swift values or allocating.
///
/// Single-threaded; allocates only when the content changed.
final class BridgeMetadataInbox {
    enum Verdict {
        /// Does not decode within its bytes (truncated, group or var data past the end).
        case malformed
        /// Metadata of another source stream than the receiver accepts.
        case foreignStream
        /// Well formed but outside the bounds (too many attributes or bytes, bad key or format).
        case invalid
        /// The content already accepted (periodic re-send).
        case unchanged
        /// New content: the source's metadata as carried (stream, source `metaVersion`, timestamp, attributes).
        case updated(DataSourceMetadata)
    }

    /// Stream id and `metaVersion` (block bytes 0..<8) then the attribute group bytes of the content accepted last.
    private var accepted: [UInt8] = []

    /// Judges one whole message already known to carry schema 901 / template 2.
    func accept(_ message: UnsafeRawBufferPointer, sourceStreamId: UInt32?) -> Verdict {
        guard let base = message.baseAddress else { return .malformed }
        let decoder: BridgeDataSourceMetaDecoder
        let groupStart: Int
        let end: Int
        do {
            decoder = try BridgeDataSourceMetaDecoder(wrapAndCheckHeader: base, offset: 0, capacity: message.count)
            var walking = decoder
            end = try walking.encodedLength()
            groupStart = MessageHeaderDecoder.encodedLength + Int(try MessageHeaderDecoder(wrap: base, offset: 0, capacity: message.count).blockLength)
        } catch {
            return .malformed
        }
        guard groupStart >= MessageHeaderDecoder.encodedLength + 8, groupStart <= end, end <= message.count else {
            return .malformed
        }
        if let wanted = sourceStreamId, wanted != decoder.streamId { return .foreignStream }
        let identity = UnsafeRawBufferPointer(start: base + MessageHeaderDecoder.encodedLength, count: 8)
        let group = UnsafeRawBufferPointer(start: base + groupStart, count: end - groupStart)
        if isAccepted(identity: identity, group: group) { return .unchanged }
        do {
            var checking = decoder
            guard try DataSourceMetadata.rejection(of: try checking.attributes()) == nil else { return .invalid }
            var decoding = decoder
            let attributes = try DataSourceMetadata.attributes(of: try decoding.attributes())
            accepted = Array(identity) + Array(group)
            return .updated(DataSourceMetadata(streamId: decoder.streamId, metaVersion: decoder.metaVersion,
                                               timestampNs: decoder.timestampNs, attributes: attributes))
        } catch {
            return .malformed
        }
    }

    private func isAccepted(identity: UnsafeRawBufferPointer, group: UnsafeRawBufferPointer) -> Bool {
        guard accepted.count == identity.count + group.count else { return false }
        return accepted.withUnsafeBytes { stored in
            MessageBytes.equal(UnsafeRawBufferPointer(rebasing: stored[0..<identity.count]), identity)
                && MessageBytes.equal(UnsafeRawBufferPointer(rebasing: stored[identity.count...]), group)
        }
    }
}
