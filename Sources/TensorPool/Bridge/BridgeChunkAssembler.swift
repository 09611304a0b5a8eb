import SharedMemory
import TensorPoolBridgeCodecs
import TensorPoolCore

/// Validation and ordering of `BridgeFrameChunk` messages (docs/BRIDGE.md, "Receiver rules"), independent of
/// where the bytes go: shared by ``TensorPoolBridgeReceiver`` (into a claimed SHM slot) and the consumer's
/// FALLBACK path (into a private reassembly buffer), so both judge hostile or inconsistent chunks identically.
///
/// ``accept(_:sessionId:nowNs:)`` decodes one whole message and tracks the frame in progress (sender session,
/// stream, epoch, seq, total length, next expected offset, slot header); the caller only copies an accepted
/// chunk's payload to `offset` of its destination and, on the last chunk, publishes the frame described by
/// ``frame``. When the caller cannot take a started frame (no slot, too large) it calls ``refuseCurrent()``: the
/// remaining chunks of that frame are then skipped quietly (``Verdict/refusedFrame``) instead of
/// being reported as continuation chunks without a frame.
///
/// Single-threaded; allocation-free after init.
final class BridgeChunkAssembler {
    /// The frame in progress (or the last one completed / refused): identity, layout and progress.
    struct Frame {
        var sessionId: Int32 = 0
        var streamId: UInt32 = 0
        var epoch: UInt64 = 0
        var seq: UInt64 = 0
        var totalLength = 0
        var nextOffset = 0
        var header = TensorSlotHeader()
        var lastChunkNs: UInt64 = 0

        func matches(sessionId: Int32, streamId: UInt32, epoch: UInt64, seq: UInt64, totalLength: Int) -> Bool {
            self.sessionId == sessionId && self.streamId == streamId && self.epoch == epoch && self.seq == seq
                && self.totalLength == totalLength
        }
    }

    /// What happened to one message (``accept(_:sessionId:nowNs:)``), besides a possible abort of the frame in
    /// progress reported in ``Step/abortedFrame``.
    enum Verdict {
        /// Not a schema-901 `BridgeFrameChunk` within its bytes.
        case malformed
        /// A chunk of another tensor-pool stream than ``sourceStreamId``.
        case foreignStream
        /// Lengths or offsets inconsistent, a continuation without a frame in progress, or one that does not
        /// continue the frame in progress.
        case invalidChunk
        /// A first chunk whose slot header is not 256 bytes, does not decode, or disagrees with the chunk.
        case invalidHeader
        /// A continuation chunk of a frame the caller refused (``refuseCurrent()``): skipped.
        case refusedFrame
        /// A valid chunk of ``frame``: copy `payload` to `offset`; `isFirst` starts the frame (the caller finds
        /// a destination for ``Frame/totalLength`` bytes), `isLast` completes it.
        case accepted(payload: UnsafeRawBufferPointer, offset: Int, isFirst: Bool, isLast: Bool)
    }

    /// The verdict on one message and its side effects on the frame in progress.
    struct Step {
        var verdict: Verdict
        /// The frame in progress was abandoned by this message: the caller discards its partial destination.
        var abortedFrame = false
        /// Source sequence numbers skipped between the previous frame of this epoch and the one started here.
        var sourceGap: UInt64 = 0
    }

    /// Accept only chunks of this tensor-pool stream id (`nil`: any).
    let sourceStreamId: UInt32?
    /// Identity and layout of the frame in progress; after completion or refusal, of that frame.
    private(set) var frame = Frame()
    /// Whether a frame is being assembled.
    private(set) var isAssembling = false
    private var isRefused = false
    private var lastEpoch: UInt64?
    private var lastSeq: UInt64 = 0
    /// Decoding buffer of the received slot header (copied out of the message: alignment for the decoder).
    private let headerScratch: AtomicBuffer

    init(sourceStreamId: UInt32?) {
        self.sourceStreamId = sourceStreamId
        let base = UnsafeMutableRawPointer.allocate(byteCount: BridgeWire.slotHeaderBytes, alignment: 64)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: BridgeWire.slotHeaderBytes)
        headerScratch = AtomicBuffer(base: base, capacity: BridgeWire.slotHeaderBytes)
    }

    deinit { headerScratch.base.deallocate() }

    /// Judges one whole bridge message received from Aeron session `sessionId`.
    func accept(_ message: UnsafeRawBufferPointer, sessionId: Int32, nowNs: UInt64) -> Step {
        guard let base = message.baseAddress else { return Step(verdict: .malformed) }
        var decoder: BridgeFrameChunkDecoder
        let slotHeader: UnsafeRawBufferPointer
        let payload: UnsafeRawBufferPointer
        do {
            decoder = try BridgeFrameChunkDecoder(wrapAndCheckHeader: base, offset: 0, capacity: message.count)
            slotHeader = try decoder.slotHeader()
            payload = try decoder.payload()
        } catch {
            return Step(verdict: .malformed)
        }
        let streamId = decoder.streamId
        if let wanted = sourceStreamId, wanted != streamId { return Step(verdict: .foreignStream) }
        let epoch = decoder.epoch
        let seq = decoder.seq
        let total = Int(decoder.totalLength)
        let offset = Int(decoder.chunkOffset)
        let length = Int(decoder.chunkLength)
        let ofCurrent = (isAssembling || isRefused)
            && frame.matches(sessionId: sessionId, streamId: streamId, epoch: epoch, seq: seq, totalLength: total)
        guard length == payload.count, offset <= total, length <= total - offset else {
            return Step(verdict: .invalidChunk, abortedFrame: ofCurrent && abandon())
        }
        if offset == 0 {
            // A new frame: whatever was in progress can no longer complete.
            let aborted = abandon()
            isRefused = false
            var step = start(sessionId: sessionId, streamId: streamId, epoch: epoch, seq: seq, total: total,
                             slotHeader: slotHeader, payload: payload, nowNs: nowNs)
            step.abortedFrame = aborted
            return step
        }
        if isRefused, ofCurrent, slotHeader.isEmpty { return Step(verdict: .refusedFrame) }
        guard isAssembling else { return Step(verdict: .invalidChunk) }
        guard ofCurrent, slotHeader.isEmpty, offset == frame.nextOffset else {
            // Another sender/frame/epoch before the end, a header where none belongs, or a missing chunk.
            return Step(verdict: .invalidChunk, abortedFrame: abandon())
        }
        frame.nextOffset = offset + length
        frame.lastChunkNs = nowNs
        let isLast = frame.nextOffset == total
        if isLast { isAssembling = false }
        return Step(verdict: .accepted(payload: payload, offset: offset, isFirst: false, isLast: isLast))
    }

    /// The caller cannot take the frame just started: its remaining chunks are skipped.
    func refuseCurrent() {
        isAssembling = false
        isRefused = true
    }

    /// Aborts the frame in progress when no chunk arrived for more than `timeoutNs`; `true` if it did.
    func expire(nowNs: UInt64, timeoutNs: UInt64) -> Bool {
        guard isAssembling, nowNs > frame.lastChunkNs, nowNs - frame.lastChunkNs > timeoutNs else { return false }
        return abandon()
    }

    /// Drops the frame in progress (e.g. the destination went away); `true` if there was one.
    @discardableResult
    func abandon() -> Bool {
        isRefused = false
        guard isAssembling else { return false }
        isAssembling = false
        return true
    }

    private func start(sessionId: Int32, streamId: UInt32, epoch: UInt64, seq: UInt64, total: Int,
                       slotHeader: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer, nowNs: UInt64) -> Step {
        guard slotHeader.count == BridgeWire.slotHeaderBytes, let headerBytes = slotHeader.baseAddress else {
            return Step(verdict: .invalidHeader)
        }
        headerScratch.base.copyMemory(from: headerBytes, byteCount: BridgeWire.slotHeaderBytes)
        let header: TensorSlotHeader
        do { header = try TensorSlotHeader(from: headerScratch, slotOffset: 0) } catch {
            return Step(verdict: .invalidHeader)
        }
        guard header.frameId == seq, Int(header.valuesLenBytes) == total else { return Step(verdict: .invalidHeader) }
        var gap: UInt64 = 0
        if lastEpoch == epoch, seq > lastSeq &+ 1 { gap = seq - lastSeq - 1 }
        lastEpoch = epoch
        lastSeq = seq
        frame = Frame(sessionId: sessionId, streamId: streamId, epoch: epoch, seq: seq, totalLength: total,
                      nextOffset: payload.count, header: header, lastChunkNs: nowNs)
        let isLast = payload.count == total
        isAssembling = !isLast
        return Step(verdict: .accepted(payload: payload, offset: 0, isFirst: true, isLast: isLast), sourceGap: gap)
    }
}
