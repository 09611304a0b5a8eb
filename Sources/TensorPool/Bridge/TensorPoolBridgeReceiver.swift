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
    /// Decoding buffer of the received slot header (copied out of the message: 256 bytes).
    let headerScratch: AtomicBuffer
    private var isClosed = false

    /// The frame being assembled.
    struct Assembly {
        var claim: ProducerClaim
        var sessionId: Int32
        var streamId: UInt32
        var epoch: UInt64
        var seq: UInt64
        var totalLength: Int
        var nextOffset: Int
        var header: TensorSlotHeader
        var lastChunkNs: UInt64
    }
    var assembly: Assembly?
    /// Last frame completed or started, for source gap accounting.
    var lastEpoch: UInt64?
    var lastSeq: UInt64 = 0
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
        let base = UnsafeMutableRawPointer.allocate(byteCount: BridgeWire.slotHeaderBytes, alignment: 64)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: BridgeWire.slotHeaderBytes)
        headerScratch = AtomicBuffer(base: base, capacity: BridgeWire.slotHeaderBytes)
        roleName = "bridge-receiver[\(options.channel)#\(options.streamId)->\(configuration.streamId)]"
    }

    deinit {
        close()
        headerScratch.base.deallocate()
    }

    /// Aborts a frame in progress, closes the subscription and the local producer.
    public func close() {
        guard !isClosed else { return }
        if assembly != nil { abortAssembly() }
        isClosed = true
        try? subscription.close()
        target.close()
    }

    /// Whether a frame is being assembled.
    public var isAssembling: Bool { assembly != nil }

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
        if let current = assembly, nowNs > current.lastChunkNs, nowNs - current.lastChunkNs > options.assemblyTimeoutNs {
            abortAssembly()
            statistics.add(.assemblyTimeouts)
        }
        return work
    }

    /// Closes the receiver (agent runner shutdown).
    public func onClose() { close() }

    /// Handles one whole bridge message (also callable by tests with raw bytes).
    func onMessage(_ message: UnsafeRawBufferPointer, sessionId: Int32, nowNs: UInt64) {
        guard let base = message.baseAddress else {
            statistics.add(.malformedMessages)
            return
        }
        var decoder: BridgeFrameChunkDecoder
        let slotHeader: UnsafeRawBufferPointer
        let payload: UnsafeRawBufferPointer
        do {
            decoder = try BridgeFrameChunkDecoder(wrapAndCheckHeader: base, offset: 0, capacity: message.count)
            slotHeader = try decoder.slotHeader()
            payload = try decoder.payload()
        } catch {
            statistics.add(.malformedMessages)
            return
        }
        let streamId = decoder.streamId
        if let wanted = options.sourceStreamId, wanted != streamId {
            statistics.add(.foreignStreamDrops)
            return
        }
        let epoch = decoder.epoch
        let seq = decoder.seq
        let total = Int(decoder.totalLength)
        let offset = Int(decoder.chunkOffset)
        let length = Int(decoder.chunkLength)
        let belongsToCurrent = assembly.map {
            $0.sessionId == sessionId && $0.streamId == streamId && $0.epoch == epoch && $0.seq == seq && $0.totalLength == total
        } ?? false
        guard length == payload.count, offset <= total, length <= total - offset else {
            if belongsToCurrent { abortAssembly() }
            statistics.add(.invalidChunks)
            return
        }
        if offset == 0 {
            // A new frame: whatever was in progress can no longer complete.
            if assembly != nil { abortAssembly() }
            startFrame(sessionId: sessionId, streamId: streamId, epoch: epoch, seq: seq, total: total,
                       slotHeader: slotHeader, payload: payload, nowNs: nowNs)
            return
        }
        guard var current = assembly else {
            statistics.add(.invalidChunks)
            return
        }
        guard belongsToCurrent, slotHeader.isEmpty, offset == current.nextOffset else {
            // Another sender/frame/epoch before the end, a header where none belongs, or a missing chunk.
            abortAssembly()
            statistics.add(.invalidChunks)
            return
        }
        copy(payload, into: current.claim, at: offset)
        current.nextOffset = offset + length
        current.lastChunkNs = nowNs
        statistics.add(.chunksReceived)
        if current.nextOffset == current.totalLength {
            assembly = nil
            commit(current, nowNs: nowNs)
        } else {
            assembly = current
        }
    }

    private func startFrame(sessionId: Int32, streamId: UInt32, epoch: UInt64, seq: UInt64, total: Int,
                            slotHeader: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer, nowNs: UInt64) {
        guard slotHeader.count == BridgeWire.slotHeaderBytes, let headerBytes = slotHeader.baseAddress else {
            statistics.add(.invalidHeaders)
            return
        }
        headerScratch.base.copyMemory(from: headerBytes, byteCount: BridgeWire.slotHeaderBytes)
        let header: TensorSlotHeader
        do { header = try TensorSlotHeader(from: headerScratch, slotOffset: 0) } catch {
            statistics.add(.invalidHeaders)
            return
        }
        guard header.frameId == seq, Int(header.valuesLenBytes) == total else {
            statistics.add(.invalidHeaders)
            return
        }
        if lastEpoch == epoch, seq > lastSeq &+ 1 { statistics.add(.sourceGaps, seq - lastSeq - 1) }
        lastEpoch = epoch
        lastSeq = seq
        guard let claim = target.claim(byteCount: total, nowNs: nowNs) else {
            statistics.add(.targetRejected)
            return
        }
        copy(payload, into: claim, at: 0)
        statistics.add(.chunksReceived)
        let started = Assembly(claim: claim, sessionId: sessionId, streamId: streamId, epoch: epoch, seq: seq,
                               totalLength: total, nextOffset: payload.count, header: header, lastChunkNs: nowNs)
        if started.nextOffset == total {
            commit(started, nowNs: nowNs)
        } else {
            assembly = started
        }
    }

    /// `payload` at `offset` of the claimed slot (bounds checked against `totalLength` <= slot size by the caller).
    private func copy(_ payload: UnsafeRawBufferPointer, into claim: ProducerClaim, at offset: Int) {
        guard let from = payload.baseAddress, payload.count > 0, let to = claim.payload.baseAddress,
              offset + payload.count <= claim.payload.count else { return }
        (to + offset).copyMemory(from: from, byteCount: payload.count)
    }

    private func commit(_ frame: Assembly, nowNs: UInt64) {
        let header = frame.header
        layout.dtype = header.dtype
        layout.majorOrder = header.majorOrder
        layout.ndims = header.ndims
        layout.dims = header.dims
        layout.strides = header.strides
        switch target.commit(frame.claim, layout: layout, valuesLength: frame.totalLength, timestampNs: header.timestampNs,
                             nowNs: nowNs) {
        case .published:
            statistics.add(.framesReceived)
            statistics.add(.bytesReceived, UInt64(frame.totalLength))
        case .descriptorNotSent:
            statistics.add(.descriptorFailures)
        case .dropped:
            statistics.add(.targetRejected)
        }
    }

    private func abortAssembly() {
        guard let current = assembly else { return }
        assembly = nil
        target.abort(current.claim)
        statistics.add(.framesAborted)
    }
}
