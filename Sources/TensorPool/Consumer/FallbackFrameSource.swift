import AeronClient
import TensorPoolCore

/// A frame the FALLBACK path finished with: reassembled into the ready buffer, or too large to be.
@usableFromInline
enum FallbackFrameEvent {
    /// Reassembled; its bytes are ``FallbackFrameSource/readyBytes`` until the next frame completes.
    case complete(FrameDescriptorValue)
    /// Larger than the reassembly buffer: its chunks are skipped.
    case oversize(FrameDescriptorValue)
    /// The source's metadata (`BridgeDataSourceMeta`) with new content: its `metaVersion` is the source's, the
    /// one the bridged frames' slot headers carry. Re-sends of the content last accepted are not reported.
    case metadata(DataSourceMetadata)
    /// The source's beacon (`BridgeDataSourceAnnounce`: its producer, epoch, `meta_version`, name and summary),
    /// new. Re-sends of the beacon last accepted are not reported.
    case announce(DataSourceInfo)
}

/// The consumer's FALLBACK data path (spec §10.1.3, §12): a subscription to a bridge stream whose
/// `BridgeFrameChunk`s (docs/BRIDGE.md) are reassembled into private memory and handed to the consumer as frames.
///
/// Two buffers of ``capacity`` bytes, allocated when the fallback is opened: chunks go into the assembling one;
/// when a frame completes the buffers swap, so the completed frame stays readable (``readyBytes``) while the next
/// one is assembled — a LATEST frame held by admission until the end of the poll (or by `max_rate_hz` longer) is
/// never overwritten by its successor's chunks. Chunk validation is ``BridgeChunkAssembler``'s, the same as the
/// bridge receiver's; every bad chunk or frame is counted in ``FallbackStatistics``. The source's metadata
/// (`BridgeDataSourceMeta`) is judged by ``BridgeMetadataInbox`` and its beacon (`BridgeDataSourceAnnounce`) by
/// ``BridgeAnnounceInbox``, as by the bridge receiver.
///
/// Single-threaded (the consumer's); polling allocates nothing in steady state.
@usableFromInline
final class FallbackFrameSource {
    /// The URI as received and what it resolved to.
    let uri: String
    let resolved: BridgeFallbackURI
    let subscription: Subscription
    /// Largest frame accepted (bytes).
    let capacity: Int
    let assemblyTimeoutNs: UInt64
    let statistics: FallbackStatistics
    private let fragments = FragmentAssembler(initialBufferLength: 64 * 1024)
    private let chunks: BridgeChunkAssembler
    private let metadata = BridgeMetadataInbox()
    private let announce = BridgeAnnounceInbox()
    let sourceStreamId: UInt32
    /// `2 * capacity` bytes: buffer `assembling` receives chunks, the other holds the ready frame.
    private let storage: UnsafeMutableRawPointer
    private var assembling = 0
    /// Identity, header and length of the frame in the ready buffer.
    private(set) var ready: (epoch: UInt64, seq: UInt64, header: TensorSlotHeader, length: Int)?
    /// The last frame refused as too large (so admission can name the drop).
    private var lastOversize: (epoch: UInt64, seq: UInt64)?
    private var isClosed = false

    /// Subscribes to `resolved` and allocates the reassembly buffers; only chunks of tensor-pool stream
    /// `streamId` are accepted.
    init(uri: String, resolved: BridgeFallbackURI, streamId: UInt32, aeron: Aeron, maxFrameBytes: Int,
         assemblyTimeoutNs: UInt64, statistics: FallbackStatistics) throws(AeronError) {
        self.uri = uri
        self.resolved = resolved
        capacity = max(maxFrameBytes, 0)
        self.assemblyTimeoutNs = assemblyTimeoutNs
        self.statistics = statistics
        chunks = BridgeChunkAssembler(sourceStreamId: streamId)
        sourceStreamId = streamId
        subscription = try aeron.addSubscription(channel: resolved.channel, streamId: resolved.streamId)
        storage = .allocate(byteCount: max(2 * capacity, 1), alignment: 64)
    }

    deinit {
        close()
        storage.deallocate()
    }

    /// Closes the subscription; a frame in progress is abandoned.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        if chunks.abandon() { statistics.add(.framesAborted) }
        ready = nil
        try? subscription.close()
    }

    /// Whether the bridge publication is connected (an image is available).
    var isConnected: Bool { subscription.isConnected }

    /// The ready frame's payload (valid until the next frame completes or the source closes).
    var readyBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage + (assembling ^ 1) * capacity, count: ready?.length ?? 0)
    }

    /// Whether (`epoch`, `seq`) was the last frame refused as too large.
    func wasOversize(epoch: UInt64, seq: UInt64) -> Bool {
        guard let last = lastOversize else { return false }
        return last.epoch == epoch && last.seq == seq
    }

    /// Polls the bridge subscription; `onFrame` is called for every frame completed or refused as oversize, and
    /// for every new metadata content or beacon.
    func poll(fragmentLimit: Int, nowNs: UInt64, _ onFrame: (FallbackFrameEvent) -> Void) -> Int {
        if isClosed { return 0 }
        let fragments = self.fragments
        let work = subscription.poll(fragmentLimit: fragmentLimit) { fragment, header in
            fragments.onFragment(fragment, header) { message, messageHeader in
                self.onMessage(message, sessionId: messageHeader.sessionId, nowNs: nowNs, onFrame)
            }
        }
        if chunks.expire(nowNs: nowNs, timeoutNs: assemblyTimeoutNs) {
            statistics.add(.framesAborted)
            statistics.add(.assemblyTimeouts)
        }
        return work
    }

    /// One whole bridge message (also callable by tests with raw bytes).
    func onMessage(_ message: UnsafeRawBufferPointer, sessionId: Int32, nowNs: UInt64,
                   _ onFrame: (FallbackFrameEvent) -> Void) {
        // Metadata never disturbs a frame in progress (the sender offers it between frames anyway).
        if BridgeWire.isMetadataMessage(message) {
            switch metadata.accept(message, sourceStreamId: sourceStreamId) {
            case .malformed: statistics.add(.malformedMessages)
            case .foreignStream: statistics.add(.foreignStreamDrops)
            case .invalid: statistics.add(.invalidMetadata)
            case .unchanged: break
            case .updated(let value): onFrame(.metadata(value))
            }
            return
        }
        if BridgeWire.isAnnounceMessage(message) {
            switch announce.accept(message, sourceStreamId: sourceStreamId) {
            case .malformed: statistics.add(.malformedMessages)
            case .foreignStream: statistics.add(.foreignStreamDrops)
            case .invalid: statistics.add(.invalidAnnounces)
            case .unchanged: break
            case .updated(let value): onFrame(.announce(value))
            }
            return
        }
        let step = chunks.accept(message, sessionId: sessionId, nowNs: nowNs)
        if step.abortedFrame { statistics.add(.framesAborted) }
        switch step.verdict {
        case .malformed: statistics.add(.malformedMessages)
        case .foreignStream: statistics.add(.foreignStreamDrops)
        case .invalidChunk: statistics.add(.invalidChunks)
        case .invalidHeader: statistics.add(.invalidHeaders)
        case .refusedFrame: break
        case .accepted(let payload, let offset, let isFirst, let isLast):
            let total = chunks.frame.totalLength
            if isFirst && total > capacity {
                chunks.refuseCurrent()
                statistics.add(.oversizeFrames)
                let frame = chunks.frame
                lastOversize = (frame.epoch, frame.seq)
                onFrame(.oversize(FrameDescriptorValue(epoch: frame.epoch, seq: frame.seq, headerIndex: 0,
                                                       timestampNs: frame.header.timestampNs)))
                return
            }
            // The assembler checked offset + count <= total <= capacity.
            if let from = payload.baseAddress, payload.count > 0 {
                (storage + assembling * capacity + offset).copyMemory(from: from, byteCount: payload.count)
            }
            statistics.add(.chunksReceived)
            guard isLast else { return }
            let frame = chunks.frame
            assembling ^= 1
            ready = (frame.epoch, frame.seq, frame.header, total)
            statistics.add(.framesAssembled)
            onFrame(.complete(FrameDescriptorValue(epoch: frame.epoch, seq: frame.seq, headerIndex: 0,
                                                   timestampNs: frame.header.timestampNs)))
        }
    }
}

/// The consumer's FALLBACK resources: the Aeron client to subscribe with, the open source (FALLBACK with an
/// `aeron:` bridge URI only) and counters that outlive it.
final class ConsumerFallbackLink {
    var aeron: Aeron?
    var source: FallbackFrameSource?
    let statistics = FallbackStatistics()
}
