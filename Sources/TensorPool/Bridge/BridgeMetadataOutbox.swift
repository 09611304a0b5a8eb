import AeronClient
import TensorPoolBridgeCodecs

/// The sender's copy of the source stream's metadata as an encoded `BridgeDataSourceMeta` (schema 901,
/// template 2), offered when it changes and again every ``BridgeSenderOptions/metadataIntervalNs`` so a
/// receiver that joins late gets it.
///
/// Encoded once per change (``stage(_:)``, which may allocate: metadata changes rarely); the periodic re-send
/// offers the same bytes and allocates nothing. Owned by the sender's thread.
final class BridgeMetadataOutbox {
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    /// Bytes of the encoded message (0: no metadata yet).
    private(set) var length = 0
    /// A change not offered successfully yet.
    private(set) var isPending = false
    /// When the message was last offered successfully (or given up).
    private(set) var lastOfferNs: UInt64 = 0
    let intervalNs: UInt64

    init(intervalNs: UInt64) {
        self.intervalNs = intervalNs
        capacity = 256
        buffer = .allocate(byteCount: capacity, alignment: 64)
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: capacity)
    }

    deinit { buffer.deallocate() }

    /// Encodes `metadata` of source stream `streamId`; the next ``isDue(nowNs:)`` is `true`. Returns `false`
    /// when it cannot be encoded (over the schema's limits; a consumer never accepts such metadata): then nothing
    /// is sent until the next change, rather than the previous, outdated metadata.
    @discardableResult
    func stage(_ metadata: DataSourceMetadata, streamId: UInt32) -> Bool {
        let attributes = metadata.attributes
        guard attributes.count <= Int(UInt16.max) else {
            length = 0
            isPending = false
            return false
        }
        var needed = MessageHeaderEncoder.encodedLength + Int(BridgeDataSourceMetaEncoder.blockLength) + 4
        for attribute in attributes {
            needed += 12 + attribute.key.utf8.count + attribute.format.utf8.count + attribute.value.count
        }
        if needed > capacity {
            buffer.deallocate()
            capacity = needed
            buffer = .allocate(byteCount: capacity, alignment: 64)
        }
        do {
            var encoder = try BridgeDataSourceMetaEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
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
            length = try encoder.finish()
        } catch {
            length = 0
            isPending = false
            return false
        }
        isPending = true
        return true
    }

    /// Whether the message should be offered now: a change not sent yet, or the re-send interval elapsed.
    func isDue(nowNs: UInt64) -> Bool {
        length > 0 && (isPending || nowNs &- lastOfferNs >= intervalNs)
    }

    /// Offers the message once. `true` when the publication took it or refused it for good (the next try is
    /// the periodic one); `false` when it is to be retried on the next duty cycle (back pressure, admin
    /// action, not connected yet).
    func offer(on publication: ExclusivePublication, nowNs: UInt64, statistics: BridgeSenderStatistics) -> Bool {
        switch publication.offer(UnsafeRawBufferPointer(start: buffer, count: length)) {
        case .position:
            statistics.add(.metadataSent)
        case .backPressured, .adminAction:
            statistics.add(.backPressured)
            return false
        case .notConnected:
            return false
        case .closed, .maxPositionExceeded, .messageTooLong:
            statistics.add(.metadataAbandoned)
        }
        isPending = false
        lastOfferNs = nowNs
        return true
    }
}
