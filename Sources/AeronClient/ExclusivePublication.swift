import Synchronization
import SharedMemory
import AeronConcurrent
import CSystemShims

/// An exclusive publication: one session owned by this object and written by ONE thread at a time. It keeps the
/// tail locally instead of contending on it, so it is the fastest way to publish. Offers never block, never
/// allocate and never throw.
public final class ExclusivePublication: @unchecked Sendable {
    /// Registration id (also the log's registration id).
    public let registrationId: Int64
    /// Channel URI.
    public let channel: String
    /// Stream id.
    public let streamId: Int32
    /// Session id (unique to this publication).
    public let sessionId: Int32
    /// Counter id of the publisher limit.
    public let publicationLimitCounterId: Int32

    @usableFromInline let log: PublicationLog
    @usableFromInline let closedFlag = Atomic<Bool>(false)
    /// The single writer's tail state. Kept behind a pointer rather than in stored `var`s: class properties get
    /// dynamic exclusivity checks (`swift_beginAccess`) on every access, which cost a third of an offer.
    @usableFromInline let state: UnsafeMutablePointer<ExclusivePublicationState>
    let keepAlive: AnyObject
    weak var conductor: ClientConductor?

    init(ready: PublicationBuffersReady, channel: String, logBuffers: LogBuffers, countersValues: AtomicBuffer,
         keepAlive: AnyObject, conductor: ClientConductor) {
        registrationId = ready.registrationId
        self.channel = channel
        streamId = ready.streamId
        sessionId = ready.sessionId
        publicationLimitCounterId = ready.publicationLimitCounterId
        log = PublicationLog(logBuffers: logBuffers, countersValues: countersValues, publicationLimitCounterId: ready.publicationLimitCounterId,
                             sessionId: ready.sessionId, streamId: ready.streamId)
        let termCount = LogBufferDescriptor.activeTermCount(log.metadata)
        let activePartitionIndex = LogBufferDescriptor.indexByTermCount(Int64(termCount))
        let rawTail = LogBufferDescriptor.rawTailVolatile(log.metadata, activePartitionIndex)
        let termId = LogBufferDescriptor.termId(rawTail: rawTail)
        // Written on every offer by the publishing thread: on a line of its own (CacheLineIsolated).
        state = CacheLineIsolated.allocate(ExclusivePublicationState(
            termOffset: LogBufferDescriptor.termOffset(rawTail: rawTail, termLength: log.termLength),
            termId: termId,
            termBeginPosition: log.termBeginPosition(termId: termId),
            activePartitionIndex: activePartitionIndex))
        self.keepAlive = keepAlive
        self.conductor = conductor
    }

    deinit {
        CacheLineIsolated.deallocate(state)
        log.deallocate()
    }

    /// Initial term id of the log.
    public var initialTermId: Int32 { log.initialTermId }
    /// Term length.
    public var termLength: Int { log.termLength }
    /// Largest payload of one frame (`mtu − 32`).
    public var maxPayloadLength: Int { log.maxPayloadLength }
    /// Largest message ``offer(_:)`` accepts.
    public var maxMessageLength: Int { log.maxMessageLength }

    /// True once closed.
    @inlinable public var isClosed: Bool { closedFlag.load(ordering: .acquiring) }
    /// True when at least one subscriber is connected.
    public var isConnected: Bool { !isClosed && log.isConnected }
    /// Position limit before back-pressure.
    public var positionLimit: Int64 { isClosed ? 0 : log.positionLimit }
    /// Position where the next message goes.
    public var position: Int64 { state.pointee.termBeginPosition + Int64(state.pointee.termOffset) }

    /// Asks for the cache lines the next unfragmented offer writes (the partition's tail counter and, with
    /// `frameLines`, the frame at the tail and the line after it), without changing anything. For callers about to
    /// offer in a latency-critical section after work that evicted them (a large payload copy): the cache and TLB
    /// misses are then taken here instead of inside the offer. A hint; cheap when the lines are already cached.
    ///
    /// The frame lines are prefetched for reading only: subscribers spin on the tail's frame-length word, and
    /// taking that line writable early would only have them take it back before the offer writes it. Even so,
    /// pass `frameLines: false` unless a large fill came first: when the lines are still close, the read is still
    /// in flight at the offer, whose stores then wait for it and for the upgrade after it (on this VM, paced 64 B
    /// frames with a ~400 ns cross-core round trip: 300–391 ns descriptor p50 without, 331–545 with).
    @inlinable
    public func prefetchNextOffer(frameLines: Bool = true) {
        let current = state.pointee
        let term = log.term(current.activePartitionIndex)
        guard current.termOffset >= 0, current.termOffset < term.capacity else { return }
        if frameLines {
            let frame = UnsafeRawPointer(term.base) + current.termOffset
            shims_prefetch_for_read(frame)
            if current.termOffset &+ 64 < term.capacity { shims_prefetch_for_read(frame + 64) }
        }
        shims_prefetch_for_write(UnsafeRawPointer(log.metadata.base) + LogBufferDescriptor.tailCounterOffset(current.activePartitionIndex))
    }

    /// Offers one message (fragmented above ``maxPayloadLength``).
    @inlinable @inline(__always)
    public func offer(_ message: UnsafeRawBufferPointer) -> PublicationResult {
        offerGathered(message, UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// Offers the concatenation of two buffers as one message.
    @inlinable @inline(__always)
    public func offer(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> PublicationResult {
        offerGathered(first, second)
    }

    /// The body of both offers, inlined into each so the one-buffer offer drops the second buffer's copy.
    @inlinable @inline(__always)
    func offerGathered(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> PublicationResult {
        let length = first.count &+ second.count
        if let refused = refusal(length: length) { return refused }
        if length > log.maxPayloadLength { return offerFragmented(first, second) }
        let current = state.pointee
        let resultingOffset = appender(current.activePartitionIndex)
            .appendUnfragmented(termId: current.termId, termOffset: current.termOffset, header: log.headerWriter, first, second)
        return newPosition(resultingOffset)
    }

    /// The fragmenting part of ``offer(_:_:)``, out of line so the one-frame path stays small.
    @usableFromInline @inline(never)
    func offerFragmented(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> PublicationResult {
        guard first.count + second.count <= log.maxMessageLength else { return .messageTooLong }
        let current = state.pointee
        let resultingOffset = appender(current.activePartitionIndex)
            .appendFragmented(termId: current.termId, termOffset: current.termOffset, header: log.headerWriter, first, second,
                              maxPayloadLength: log.maxPayloadLength)
        return newPosition(resultingOffset)
    }

    /// Claims `length` bytes (at most ``maxPayloadLength``) for the caller to fill and commit.
    @inlinable @inline(__always)
    public func tryClaim(length: Int, into claim: inout BufferClaim) -> PublicationResult {
        guard length >= 0, length <= log.maxPayloadLength else { return .messageTooLong }
        if let refused = refusal(length: length) { return refused }
        let current = state.pointee
        let appender = appender(current.activePartitionIndex)
        let resultingOffset = appender.claim(termId: current.termId, termOffset: current.termOffset, header: log.headerWriter, length: length)
        if resultingOffset > 0 {
            claim.wrap(appender.termBuffer, frameOffset: current.termOffset, frameLength: length &+ DataFrameHeader.length)
        }
        return newPosition(resultingOffset)
    }

    @inlinable @inline(__always)
    func appender(_ index: Int) -> ExclusiveTermAppender {
        ExclusiveTermAppender(termBuffer: log.term(index), metadata: log.metadata, partitionIndex: index)
    }

    /// Refuses when closed or when the tail reached the publisher limit; nil when the offer may proceed.
    @inlinable @inline(__always)
    func refusal(length: Int) -> PublicationResult? {
        if isClosed { return .closed }
        let limit = log.positionLimit
        let position = state.pointee.termBeginPosition &+ Int64(state.pointee.termOffset)
        if position >= limit { return log.backPressureStatus(position, length) }
        return nil
    }

    @inlinable @inline(__always)
    func newPosition(_ resultingOffset: Int) -> PublicationResult {
        if resultingOffset > 0 {
            state.pointee.termOffset = resultingOffset
            return .position(state.pointee.termBeginPosition &+ Int64(resultingOffset))
        }
        return rotate()
    }

    @usableFromInline
    func rotate() -> PublicationResult {
        let current = state.pointee
        if current.termBeginPosition + Int64(log.termLength) >= log.maxPossiblePosition { return .maxPositionExceeded }
        let nextIndex = (current.activePartitionIndex + 1) % LogBufferDescriptor.partitionCount
        let nextTermId = current.termId &+ 1
        LogBufferDescriptor.initialiseTailWithTermId(log.metadata, index: nextIndex, termId: nextTermId)
        LogBufferDescriptor.setActiveTermCountOrdered(log.metadata, nextTermId &- log.initialTermId)
        state.pointee = ExclusivePublicationState(termOffset: 0, termId: nextTermId,
                                                  termBeginPosition: current.termBeginPosition + Int64(log.termLength),
                                                  activePartitionIndex: nextIndex)
        return .adminAction
    }

    /// Removes the publication from the driver (blocking until the driver confirms, or the client is closed).
    public func close() throws(AeronError) {
        guard closedFlag.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        try conductor?.releasePublication(registrationId: registrationId)
    }

    func markClosed() { closedFlag.store(true, ordering: .releasing) }
}

/// The tail an exclusive publication keeps for itself.
@frozen @usableFromInline
struct ExclusivePublicationState {
    @usableFromInline var termOffset: Int
    @usableFromInline var termId: Int32
    @usableFromInline var termBeginPosition: Int64
    @usableFromInline var activePartitionIndex: Int

    @inlinable init(termOffset: Int, termId: Int32, termBeginPosition: Int64, activePartitionIndex: Int) {
        self.termOffset = termOffset
        self.termId = termId
        self.termBeginPosition = termBeginPosition
        self.activePartitionIndex = activePartitionIndex
    }
}
