import AeronClient
import SharedMemory
import TensorPoolBridgeCodecs
import TensorPoolCore

/// The receiving half of the bridge service (spec §12): subscribes to a bridge channel and acts as a local
/// producer of the frames a ``TensorPoolBridgeSender`` sends. Local consumers are ordinary SHM consumers of the
/// receiver's stream (``target``).
///
/// Assembly (docs/BRIDGE.md): the chunk at offset 0 carries the slot header; it claims a slot of the local
/// producer sized `totalLength` and its bytes go straight into the slot, as do those of every following chunk
/// (in offset order, from the same sender, frame and epoch). The frame is committed, with the sender's tensor
/// layout and timestamp, when its last byte arrived. Anything else — a missing chunk, a chunk of another frame,
/// epoch or sender, a bad chunk, no chunk for ``BridgeReceiverOptions/assemblyTimeoutNs`` — aborts the claimed
/// slot (it is never published) and is counted; hostile messages are counted drops, never a crash.
///
/// The source's metadata (`BridgeDataSourceMeta`) becomes the local producer's metadata under its own
/// `meta_version`; the source's beacon (`BridgeDataSourceAnnounce`) makes it announce the source's name and a
/// summary of the source's with ``ProducerOptions/summary`` appended (docs/BRIDGE.md, receiver rules).
///
/// Single-threaded; the duty cycle allocates nothing in steady state.
public final class TensorPoolBridgeReceiver: TensorPoolAgent {
    /// The options the receiver was started with.
    public let options: BridgeReceiverOptions
    /// The local producer the received frames are published by.
    public let target: TensorPoolProducer
    /// The bridge subscription.
    public let subscription: Subscription
    /// The receiver's counters.
    public let statistics = BridgeReceiverStatistics()
    /// Name used in logs and by `AgentRunner`.
    public let roleName: String

    let assembler = FragmentAssembler(initialBufferLength: 64 * 1024)
    /// Chunk validation and frame tracking (shared with the consumer's FALLBACK path).
    let chunks: BridgeChunkAssembler
    /// `BridgeDataSourceMeta` validation and re-send recognition.
    let metadata = BridgeMetadataInbox()
    /// `BridgeDataSourceAnnounce` validation and re-send recognition.
    let announce = BridgeAnnounceInbox()
    /// The local producer's own summary (``ProducerOptions/summary``, e.g. "bridged from <channel>"), appended to
    /// the source's.
    let localSummary: String?
    /// Longest summary a producer sends (the rest is cut by `sendDataSourceAnnounce`).
    static let maxAnnouncedSummaryBytes = 1024
    /// The slot the frame in progress is assembled into.
    var claim: ProducerClaim?
    private var isClosed = false
    var layout = TensorLayout(dtype: .uint8, shape: [1])

    /// Starts the local producer (new epoch, regions) and subscribes to the bridge channel.
    public init(target configuration: ProducerConfiguration, aeron: Aeron, options: BridgeReceiverOptions) throws(BridgeError) {
        self.options = options
        do { target = try TensorPoolProducer(configuration: configuration, aeron: aeron, options: options.producer) } catch {
            throw .producer(error)
        }
        do { subscription = try aeron.addSubscription(channel: options.channel, streamId: options.streamId) } catch {
            target.close()
            throw .aeron(error)
        }
        chunks = BridgeChunkAssembler(sourceStreamId: options.sourceStreamId)
        localSummary = options.producer.summary
        roleName = "bridge-receiver[\(options.channel)#\(options.streamId)->\(configuration.streamId)]"
    }

    deinit { close() }

    /// Aborts a frame in progress, closes the subscription and the local producer.
    public func close() {
        guard !isClosed else { return }
        if chunks.abandon() { abortClaim() }
        isClosed = true
        try? subscription.close()
        target.close()
    }

    /// Whether a frame is being assembled.
    public var isAssembling: Bool { chunks.isAssembling }

    /// One duty cycle: the local producer, the bridge subscription, the assembly timeout.
    public func doWork(nowNs: UInt64) throws -> Int {
        if isClosed { return 0 }
        var work = try target.doWork(nowNs: nowNs)
        let assembler = self.assembler
        work += subscription.poll(fragmentLimit: options.fragmentLimit) { fragment, header in
            assembler.onFragment(fragment, header) { message, messageHeader in
                self.onMessage(message, sessionId: messageHeader.sessionId, nowNs: nowNs)
            }
        }
        if chunks.expire(nowNs: nowNs, timeoutNs: options.assemblyTimeoutNs) {
            abortClaim()
            statistics.add(.assemblyTimeouts)
        }
        return work
    }

    /// Closes the receiver (agent runner shutdown).
    public func onClose() { close() }

    /// Handles one whole bridge message (also callable by tests with raw bytes).
    func onMessage(_ message: UnsafeRawBufferPointer, sessionId: Int32, nowNs: UInt64) {
        if BridgeWire.isMetadataMessage(message) {
            onMetadataMessage(message, nowNs: nowNs)
            return
        }
        if BridgeWire.isAnnounceMessage(message) {
            onAnnounceMessage(message, nowNs: nowNs)
            return
        }
        let step = chunks.accept(message, sessionId: sessionId, nowNs: nowNs)
        if step.abortedFrame { abortClaim() }
        if step.sourceGap > 0 { statistics.add(.sourceGaps, step.sourceGap) }
        switch step.verdict {
        case .malformed: statistics.add(.malformedMessages)
        case .foreignStream: statistics.add(.foreignStreamDrops)
        case .invalidChunk: statistics.add(.invalidChunks)
        case .invalidHeader: statistics.add(.invalidHeaders)
        case .refusedFrame: break
        case .accepted(let payload, let offset, let isFirst, let isLast):
            if isFirst {
                guard let started = target.claim(byteCount: chunks.frame.totalLength, nowNs: nowNs) else {
                    chunks.refuseCurrent()
                    statistics.add(.targetRejected)
                    return
                }
                claim = started
            }
            guard let current = claim else { return }
            copy(payload, into: current, at: offset)
            statistics.add(.chunksReceived)
            if isLast {
                claim = nil
                commit(current, nowNs: nowNs)
            }
        }
    }

    /// A `BridgeDataSourceMeta`: new content becomes the local producer's metadata (a new local `meta_version`,
    /// carried by every frame committed from now on); a re-send of the same content changes nothing. A frame in
    /// progress is not affected.
    private func onMetadataMessage(_ message: UnsafeRawBufferPointer, nowNs: UInt64) {
        switch metadata.accept(message, sourceStreamId: options.sourceStreamId) {
        case .malformed: statistics.add(.malformedMessages)
        case .foreignStream: statistics.add(.foreignStreamDrops)
        case .invalid: statistics.add(.invalidMetadata)
        case .unchanged: break
        case .updated(let metadata):
            target.setMetadata(metadata.attributes, nowNs: nowNs)
            statistics.add(.metadataUpdates)
        }
    }

    /// A `BridgeDataSourceAnnounce`: a new source beacon makes the local producer announce the source's name and
    /// summary (``bridgedSummary(source:local:)``) at once and at its announce cadence; a re-send changes nothing.
    /// The local producer keeps its own producer id, epoch and `meta_version`. A frame in progress is not affected.
    private func onAnnounceMessage(_ message: UnsafeRawBufferPointer, nowNs: UInt64) {
        switch announce.accept(message, sourceStreamId: options.sourceStreamId) {
        case .malformed: statistics.add(.malformedMessages)
        case .foreignStream: statistics.add(.foreignStreamDrops)
        case .invalid: statistics.add(.invalidAnnounces)
        case .unchanged: break
        case .updated(let info):
            target.setDataSource(name: info.name ?? target.configuration.name,
                                 summary: Self.bridgedSummary(source: info.summary, local: localSummary), nowNs: nowNs)
            statistics.add(.announceUpdates)
        }
    }

    /// The summary a receiver announces for a source summary: `"<source>; <local>"` (e.g.
    /// `"FLOAT32 [480, 640]; bridged from aeron:udp?endpoint=…"`) when it fits the 1024 bytes a producer sends,
    /// else the source's alone (the source's dtype/shape matter more than the bridge origin); either alone when
    /// the other is absent.
    static func bridgedSummary(source: String?, local: String?) -> String? {
        guard let source, !source.isEmpty else { return local }
        guard let local, !local.isEmpty else { return source }
        let combined = source + "; " + local
        return combined.utf8.count <= maxAnnouncedSummaryBytes ? combined : source
    }

    /// `payload` at `offset` of the claimed slot (bounds checked against `totalLength` <= slot size by the caller).
    private func copy(_ payload: UnsafeRawBufferPointer, into claim: ProducerClaim, at offset: Int) {
        guard let from = payload.baseAddress, payload.count > 0, let to = claim.payload.baseAddress,
              offset + payload.count <= claim.payload.count else { return }
        (to + offset).copyMemory(from: from, byteCount: payload.count)
    }

    private func commit(_ claim: ProducerClaim, nowNs: UInt64) {
        let header = chunks.frame.header
        let totalLength = chunks.frame.totalLength
        layout.dtype = header.dtype
        layout.majorOrder = header.majorOrder
        layout.ndims = header.ndims
        layout.dims = header.dims
        layout.strides = header.strides
        switch target.commit(claim, layout: layout, valuesLength: totalLength, timestampNs: header.timestampNs,
                             nowNs: nowNs) {
        case .published:
            statistics.add(.framesReceived)
            statistics.add(.bytesReceived, UInt64(totalLength))
        case .descriptorNotSent:
            statistics.add(.descriptorFailures)
        case .dropped:
            statistics.add(.targetRejected)
        }
    }

    /// The frame in progress was abandoned: its slot is aborted (never published).
    private func abortClaim() {
        guard let current = claim else { return }
        claim = nil
        target.abort(current)
        statistics.add(.framesAborted)
    }
}
