import SBE
import TensorPoolCodecs

/// A consumer's copy of its data source's latest `DataSourceAnnounce` and `DataSourceMeta` (spec §10.3).
///
/// Producers re-send both at their announce cadence; a re-send is recognised by comparing the received bytes with
/// the bytes of the message the copy was decoded from (for `DataSourceMeta` without its `timestamp_ns`, which every
/// re-send refreshes), so steady state decodes and allocates nothing. A message that differs is decoded; only a
/// fully decoded and valid one replaces the copy, so a truncated or hostile message leaves the previous one in place.
/// Only the latest metadata is kept: an older `meta_version` is forgotten when a newer one arrives.
struct DataSourceMetadataTracker {
    /// What a received message did.
    enum Outcome {
        /// A re-send of what is held (or content equal to it): nothing to tell the application.
        case unchanged
        /// New content replaced the copy.
        case updated
        /// Well formed but refused (bounds, text); the copy is unchanged.
        case rejected(MetadataRejection)
    }

    private(set) var metadata: DataSourceMetadata?
    private(set) var info: DataSourceInfo?
    /// Bytes of the messages ``metadata`` and ``info`` were decoded from (``metadata``'s with the timestamp zeroed).
    private var metadataBytes: [UInt8] = []
    private var infoBytes: [UInt8] = []

    /// Takes a `DataSourceMeta` already known to be for the consumer's stream.
    mutating func onMeta(_ message: DataSourceMetaDecoder) throws(SBEError) -> Outcome {
        let raw = UnsafeRawBufferPointer(start: message.sbeBuffer, count: message.sbeCapacity)
        let timestamp = message.sbeOffset + DataSourceMetaDecoder.timestampNsOffset
        let timestampRange = timestamp..<(timestamp + 8)
        if metadata != nil, MessageBytes.equal(metadataBytes, raw, ignoring: timestampRange) { return .unchanged }
        let decoded: DataSourceMetadata
        switch try DataSourceMetadata.decode(message) {
        case .success(let value): decoded = value
        case .failure(let rejection): return .rejected(rejection)
        }
        metadataBytes.removeAll(keepingCapacity: true)
        metadataBytes.append(contentsOf: raw)
        for i in timestampRange where i < metadataBytes.count { metadataBytes[i] = 0 }
        if let current = metadata, current.hasSameContent(as: decoded) { return .unchanged }
        metadata = decoded
        return .updated
    }

    /// Takes metadata decoded and bounds-checked elsewhere (a `BridgeDataSourceMeta` in FALLBACK, judged by
    /// ``BridgeMetadataInbox`` with the same bounds as ``onMeta(_:)``). Content equal to what is held is
    /// `unchanged`; the bytes remembered for ``onMeta(_:)`` are forgotten, so the next `DataSourceMeta` is decoded
    /// and compared by content.
    mutating func adopt(_ decoded: DataSourceMetadata) -> Outcome {
        if let current = metadata, current.hasSameContent(as: decoded) { return .unchanged }
        metadataBytes.removeAll(keepingCapacity: true)
        metadata = decoded
        return .updated
    }

    /// Takes a beacon decoded and bounds-checked elsewhere (a `BridgeDataSourceAnnounce` in FALLBACK, judged by
    /// ``BridgeAnnounceInbox`` with the same bounds as ``onAnnounce(_:)``). A beacon equal to what is held is
    /// `unchanged`; the bytes remembered for ``onAnnounce(_:)`` are forgotten, so the next `DataSourceAnnounce` is
    /// decoded and compared by value.
    mutating func adopt(_ decoded: DataSourceInfo) -> Outcome {
        if info == decoded { return .unchanged }
        infoBytes.removeAll(keepingCapacity: true)
        info = decoded
        return .updated
    }

    /// Takes a `DataSourceAnnounce` already known to be for the consumer's stream and, when mapped, its producer and
    /// epoch.
    mutating func onAnnounce(_ message: DataSourceAnnounceDecoder) throws(SBEError) -> Outcome {
        let raw = UnsafeRawBufferPointer(start: message.sbeBuffer, count: message.sbeCapacity)
        if info != nil, MessageBytes.equal(infoBytes, raw) { return .unchanged }
        let decoded: DataSourceInfo
        switch try DataSourceInfo.decode(message) {
        case .success(let value): decoded = value
        case .failure(let rejection): return .rejected(rejection)
        }
        infoBytes.removeAll(keepingCapacity: true)
        infoBytes.append(contentsOf: raw)
        if info == decoded { return .unchanged }
        info = decoded
        return .updated
    }

    /// After mapping `epoch`: forgets everything unless the held announce is of that epoch. `DataSourceMeta` carries
    /// no epoch and a restarted producer numbers its versions from scratch, so metadata received under another (or
    /// an unknown) epoch could be matched to the new epoch's frames by a colliding `meta_version`. Returns whether
    /// something was forgotten.
    mutating func retain(epoch: UInt64) -> Bool {
        guard info?.epoch != epoch, metadata != nil || info != nil else { return false }
        metadata = nil
        info = nil
        metadataBytes.removeAll(keepingCapacity: true)
        infoBytes.removeAll(keepingCapacity: true)
        return true
    }
}
