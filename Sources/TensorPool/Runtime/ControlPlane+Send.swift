import AeronClient
import SBE
import TensorPoolCodecs

/// One `DataSourceMeta` attribute (spec §10.3.2): key, format (MIME type or `sbe:<schema>.<template>`), value bytes.
public struct MetaAttribute: Sendable, Hashable {
    /// Attribute name, unique within one `DataSourceMeta` (e.g. `camera.serial`).
    public var key: String
    /// How to interpret ``value``: a MIME type such as `text/plain`, or `sbe:<schema>.<template>`.
    public var format: String
    /// Raw attribute bytes, opaque to the transport.
    public var value: [UInt8]

    /// An attribute with an explicit format.
    public init(key: String, format: String, value: [UInt8]) {
        self.key = key
        self.format = format
        self.value = value
    }

    /// A `text/plain` attribute.
    public init(key: String, text: String) {
        self.init(key: key, format: "text/plain", value: Array(text.utf8))
    }
}

/// Typed senders: each encodes one message into the send buffer and offers it on the stream the message
/// belongs to (spec §5: descriptors and progress on the descriptor stream, QoS on the QoS stream, data-source
/// metadata on the metadata stream, everything else on the control stream). Fixed-size messages allocate nothing.
/// An encode failure (a string too long for the buffer) is counted and returned as `.messageTooLong`.
extension ControlPlane {
    /// Announces a committed frame (spec §10.2.1) on the descriptor stream; `nil` timestamp or meta version
    /// are sent as the schema's null value.
    @inlinable @discardableResult
    public func sendFrameDescriptor(streamId: UInt32, epoch: UInt64, seq: UInt64, headerIndex: UInt32,
                                    timestampNs: UInt64?, metaVersion: UInt32?) -> PublicationResult {
        // Fixed length: encoded in place in the claimed frame, no copy through the send buffer.
        sendInPlace(on: .descriptor, length: MessageHeaderEncoder.encodedLength + Int(FrameDescriptorEncoder.blockLength)) {
            buffer, capacity throws(SBEError) in
            let e = try FrameDescriptorEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
            e.streamId = streamId
            e.epoch = epoch
            e.seq = seq
            e.headerIndex = headerIndex
            e.timestampNs = timestampNs
            e.metaVersion = metaVersion
        }
    }

    /// Reports how much of a claimed frame is filled (spec §10.2.2), on the descriptor stream so it stays ordered
    /// with the frame's descriptor.
    @inlinable @discardableResult
    public func sendFrameProgress(streamId: UInt32, epoch: UInt64, frameId: UInt64, headerIndex: UInt32,
                                  payloadBytesFilled: UInt64, state: TensorPoolCodecs.FrameProgressState,
                                  rowsFilled: UInt32?) -> PublicationResult {
        send(on: .descriptor) { buffer, capacity throws(SBEError) in
            let e = try FrameProgressEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
            e.streamId = streamId
            e.epoch = epoch
            e.frameId = frameId
            e.headerIndex = headerIndex
            e.payloadBytesFilled = payloadBytesFilled
            e.state = state
            e.rowsFilled = rowsFilled
            return e.encodedLength
        }
    }

    /// Tells producers and supervisors what this consumer wants (spec §10.1.2): mode, rate, progress thresholds.
    @inlinable @discardableResult
    public func sendConsumerHello(_ hint: ConsumerHint) -> PublicationResult {
        send(on: .control) { buffer, capacity throws(SBEError) in
            let e = try ConsumerHelloEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
            e.streamId = hint.streamId
            e.consumerId = hint.consumerId
            e.supportsShm = hint.supportsShm ? .true : .false
            e.supportsProgress = hint.supportsProgress ? .true : .false
            e.mode = Mode(rawValue: hint.mode.rawValue)
            e.maxRateHz = hint.maxRateHz
            e.expectedLayoutVersion = hint.expectedLayoutVersion
            e.progressIntervalUs = hint.progressIntervalUs
            e.progressBytesDelta = hint.progressBytesDelta
            e.progressRowsDelta = hint.progressRowsDelta
            return e.encodedLength
        }
    }

    /// Supervisor command to one consumer (spec §10.1.3): mode, decimation, `use_shm` and fallback URI.
    @discardableResult
    public func sendConsumerConfig(_ command: ConsumerConfigCommand) -> PublicationResult {
        send(on: .control) { buffer, capacity throws(SBEError) in
            var e = try ConsumerConfigEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
            e.streamId = command.streamId
            e.consumerId = command.consumerId
            e.useShm = command.useShm ? .true : .false
            e.mode = Mode(rawValue: command.mode.rawValue)
            e.decimation = command.decimation
            try e.payloadFallbackUri(command.payloadFallbackUri ?? "")
            return try e.finish()
        }
    }

    /// A consumer's cumulative counters (spec §10.4.1) on the QoS stream, for producers and supervisors.
    @inlinable @discardableResult
    public func sendQosConsumer(_ report: QosConsumerReport) -> PublicationResult {
        send(on: .qos) { buffer, capacity throws(SBEError) in
            let e = try QosConsumerEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
            e.streamId = report.streamId
            e.consumerId = report.consumerId
            e.epoch = report.epoch
            e.lastSeqSeen = report.lastSeqSeen
            e.dropsGap = report.dropsGap
            e.dropsLate = report.dropsLate
            e.mode = Mode(rawValue: report.mode.rawValue)
            return e.encodedLength
        }
    }

    /// A producer's progress (spec §10.4.2) on the QoS stream: newest sequence number and optional watermark.
    @inlinable @discardableResult
    public func sendQosProducer(streamId: UInt32, producerId: UInt32, epoch: UInt64, currentSeq: UInt64,
                                watermark: UInt32?) -> PublicationResult {
        send(on: .qos) { buffer, capacity throws(SBEError) in
            let e = try QosProducerEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
            e.streamId = streamId
            e.producerId = producerId
            e.epoch = epoch
            e.currentSeq = currentSeq
            e.watermark = watermark
            return e.encodedLength
        }
    }

    /// Control-plane liveness of a producer between announces (spec §15.16).
    @inlinable @discardableResult
    public func sendHeartbeat(streamId: UInt32, producerId: UInt32, epoch: UInt64, timestampNs: UInt64) -> PublicationResult {
        send(on: .control) { buffer, capacity throws(SBEError) in
            let e = try HeartbeatEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
            e.streamId = streamId
            e.producerId = producerId
            e.epoch = epoch
            e.timestampNs = timestampNs
            return e.encodedLength
        }
    }

    /// Answer to a request (e.g. an invalid hello; codes per spec §15.18); the message is reduced to ASCII, ≤ 1024 bytes.
    @discardableResult
    public func sendControlResponse(correlationId: Int64, code: ResponseCode, errorMessage: String?) -> PublicationResult {
        send(on: .control) { buffer, capacity throws(SBEError) in
            var e = try ControlResponseEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
            e.correlationId = correlationId
            e.code = code
            try e.errorMessage(Self.asciiOnly(errorMessage ?? "", limit: 1024))
            return try e.finish()
        }
    }

    /// Publishes the regions of the current epoch (spec §10.1.1): header ring and payload pools with their URIs.
    @discardableResult
    public func sendShmPoolAnnounce(_ announce: AnnounceSummary) -> PublicationResult {
        send(on: .control) { buffer, capacity throws(SBEError) in
            var e = try ShmPoolAnnounceEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
            e.streamId = announce.streamId
            e.producerId = announce.producerId
            e.epoch = announce.epoch
            e.layoutVersion = announce.layoutVersion
            e.headerNslots = announce.headerNslots
            e.headerSlotBytes = announce.headerSlotBytes
            e.maxDims = announce.maxDims
            var pools = try e.payloadPoolsCount(announce.pools.count)
            var index = 0
            while index < announce.pools.count {
                let pool = announce.pools[index]
                index += 1
                try pools.next()
                pools.poolId = pool.poolId
                pools.poolNslots = pool.nslots
                pools.strideBytes = pool.strideBytes
                try pools.regionUri(pool.regionUri)
            }
            try e.endPayloadPools(pools)
            try e.headerRegionUri(announce.headerRegionUri)
            return try e.finish()
        }
    }

    /// Names the data source (spec §10.3.1) on the metadata stream; name ≤ 256 and summary ≤ 1024 ASCII bytes.
    @discardableResult
    public func sendDataSourceAnnounce(streamId: UInt32, producerId: UInt32, epoch: UInt64, metaVersion: UInt32,
                                       name: String?, summary: String?) -> PublicationResult {
        send(on: .metadata) { buffer, capacity throws(SBEError) in
            var e = try DataSourceAnnounceEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
            e.streamId = streamId
            e.producerId = producerId
            e.epoch = epoch
            e.metaVersion = metaVersion
            try e.name(Self.asciiOnly(name ?? "", limit: 256))
            try e.summary(Self.asciiOnly(summary ?? "", limit: 1024))
            return try e.finish()
        }
    }

    /// Publishes metadata version `metaVersion` (spec §10.3.2) that frames refer to by `meta_version`.
    @discardableResult
    public func sendDataSourceMeta(streamId: UInt32, metaVersion: UInt32, timestampNs: UInt64,
                                   attributes: [MetaAttribute]) -> PublicationResult {
        send(on: .metadata) { buffer, capacity throws(SBEError) in
            var e = try DataSourceMetaEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
            e.streamId = streamId
            e.metaVersion = metaVersion
            e.timestampNs = timestampNs
            var group = try e.attributesCount(attributes.count)
            // Index loop and the encoder's own byte-array writer: a closure capturing `group` here cost one
            // allocation per attribute in debug builds, and metadata is re-sent at the announce cadence.
            var index = 0
            while index < attributes.count {
                try group.next()
                try group.key(attributes[index].key)
                try group.format(attributes[index].format)
                try group.value(attributes[index].value)
                index += 1
            }
            try e.endAttributes(group)
            return try e.finish()
        }
    }

    /// Replaces non-ASCII bytes by `?` and truncates: diagnostics must always encode.
    static func asciiOnly(_ text: String, limit: Int) -> String {
        // Already clean (the usual case, sent at the announce cadence): returned as is, without allocating.
        var clean = text.utf8.count <= limit
        var index = text.utf8.startIndex
        while clean, index != text.utf8.endIndex {
            if text.utf8[index] >= 0x80 { clean = false }
            text.utf8.formIndex(after: &index)
        }
        if clean { return text }
        return String(decoding: text.utf8.prefix(limit).map { $0 < 0x80 ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }
}
