import Synchronization
import SharedMemory
import AeronConcurrent

/// A concurrent publication: any number of threads (and processes sharing the stream) may offer at once.
/// Offers never block, never allocate and never throw; they return a ``PublicationResult``.
public final class Publication: @unchecked Sendable {
    /// Correlation id of the ADD_PUBLICATION that created this object.
    public let registrationId: Int64
    /// Registration id of the log (equal for every publication sharing the same driver publication).
    public let originalRegistrationId: Int64
    /// Channel URI.
    public let channel: String
    /// Stream id.
    public let streamId: Int32
    /// Session id.
    public let sessionId: Int32
    /// Counter id of the publisher limit.
    public let publicationLimitCounterId: Int32
    /// Channel status indicator counter id (−1 for IPC).
    public let channelStatusIndicatorId: Int32

    @usableFromInline let log: PublicationLog
    @usableFromInline let closedFlag = Atomic<Bool>(false)
    let keepAlive: AnyObject
    weak var conductor: ClientConductor?

    init(registrationId: Int64, ready: PublicationBuffersReady, channel: String, logBuffers: LogBuffers,
         countersValues: AtomicBuffer, keepAlive: AnyObject, conductor: ClientConductor) {
        self.registrationId = registrationId
        originalRegistrationId = ready.registrationId
        self.channel = channel
        streamId = ready.streamId
        sessionId = ready.sessionId
        publicationLimitCounterId = ready.publicationLimitCounterId
        channelStatusIndicatorId = ready.channelStatusIndicatorId
        log = PublicationLog(logBuffers: logBuffers, countersValues: countersValues, publicationLimitCounterId: ready.publicationLimitCounterId,
                             sessionId: ready.sessionId, streamId: ready.streamId)
        self.keepAlive = keepAlive
        self.conductor = conductor
    }

    deinit { log.deallocate() }

    /// Initial term id of the log.
    public var initialTermId: Int32 { log.initialTermId }
    /// Term length.
    public var termLength: Int { log.termLength }
    /// Largest payload of one frame (`mtu − 32`); larger messages are fragmented.
    public var maxPayloadLength: Int { log.maxPayloadLength }
    /// Largest message ``offer(_:)`` accepts.
    public var maxMessageLength: Int { log.maxMessageLength }

    /// True once closed (by ``close()``, the client closing, or the driver going away).
    @inlinable public var isClosed: Bool { closedFlag.load(ordering: .acquiring) }

    /// True when at least one subscriber is connected (per the driver).
    public var isConnected: Bool { !isClosed && log.isConnected }

    /// Position limit the publication may reach before back-pressure.
    public var positionLimit: Int64 { isClosed ? 0 : log.positionLimit }

    /// Current position of the publication's tail (where the next message goes).
    public var position: Int64 {
        let termCount = Int64(LogBufferDescriptor.activeTermCount(log.metadata))
        let rawTail = LogBufferDescriptor.rawTailVolatile(log.metadata, LogBufferDescriptor.indexByTermCount(termCount))
        return log.termBeginPosition(termId: LogBufferDescriptor.termId(rawTail: rawTail))
            + Int64(LogBufferDescriptor.termOffset(rawTail: rawTail, termLength: log.termLength))
    }

    /// Offers one message (fragmented above ``maxPayloadLength``).
    @inlinable @inline(__always)
    public func offer(_ message: UnsafeRawBufferPointer) -> PublicationResult {
        offerGathered(message, UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// Offers the concatenation of two buffers as one message (e.g. a header and a body) without copying them
    /// together first.
    @inlinable @inline(__always)
    public func offer(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> PublicationResult {
        offerGathered(first, second)
    }

    /// The body of both offers, inlined into each so the one-buffer offer drops the second buffer's copy.
    @inlinable @inline(__always)
    func offerGathered(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> PublicationResult {
        let length = first.count &+ second.count
        var termCount: Int32 = 0
        if let refused = activeTerm(length: length, termCount: &termCount) { return refused }
        if length > log.maxPayloadLength { return offerFragmented(termCount: termCount, first, second) }
        return newPosition(termCount: termCount, appender(termCount).appendUnfragmented(header: log.headerWriter, first, second))
    }

    /// The fragmenting part of ``offer(_:_:)``, out of line so the one-frame path stays small.
    @usableFromInline @inline(never)
    func offerFragmented(termCount: Int32, _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> PublicationResult {
        guard first.count + second.count <= log.maxMessageLength else { return .messageTooLong }
        let result = appender(termCount).appendFragmented(header: log.headerWriter, first, second, maxPayloadLength: log.maxPayloadLength)
        return newPosition(termCount: termCount, result)
    }

    /// Claims `length` bytes (at most ``maxPayloadLength``) in the log for the caller to fill in place; on
    /// success `claim` is ready for ``BufferClaim/commit()``.
    @inlinable @inline(__always)
    public func tryClaim(length: Int, into claim: inout BufferClaim) -> PublicationResult {
        guard length >= 0, length <= log.maxPayloadLength else { return .messageTooLong }
        var termCount: Int32 = 0
        if let refused = activeTerm(length: length, termCount: &termCount) { return refused }
        let appender = appender(termCount)
        let result = appender.claim(header: log.headerWriter, length: length)
        if result.resultingOffset > 0 {
            let frameLength = length &+ DataFrameHeader.length
            let frameOffset = result.resultingOffset &- DataFrameHeader.alignedLength(frameLength)
            claim.wrap(appender.termBuffer, frameOffset: frameOffset, frameLength: frameLength)
        }
        return newPosition(termCount: termCount, result)
    }

    /// The appender of the partition of `termCount`.
    @inlinable @inline(__always)
    func appender(_ termCount: Int32) -> TermAppender {
        let index = LogBufferDescriptor.indexByTermCount(Int64(termCount))
        return TermAppender(termBuffer: log.term(index), metadata: log.metadata, partitionIndex: index)
    }

    /// Reads the active term and refuses when the publication is closed, the log is rotating or the tail reached
    /// the publisher limit; otherwise sets `termCount` and returns nil.
    @inlinable @inline(__always)
    func activeTerm(length: Int, termCount: inout Int32) -> PublicationResult? {
        if isClosed { return .closed }
        let limit = log.positionLimit
        termCount = LogBufferDescriptor.activeTermCount(log.metadata)
        let rawTail = LogBufferDescriptor.rawTailVolatile(log.metadata, LogBufferDescriptor.indexByTermCount(Int64(termCount)))
        let termId = LogBufferDescriptor.termId(rawTail: rawTail)
        if termCount != termId &- log.initialTermId { return .adminAction }
        let position = log.termBeginPosition(termId: termId) &+ Int64(LogBufferDescriptor.termOffset(rawTail: rawTail, termLength: log.termLength))
        if position >= limit { return log.backPressureStatus(position, length) }
        return nil
    }

    @inlinable @inline(__always)
    func newPosition(termCount: Int32, _ result: TermAppendResult) -> PublicationResult {
        let termBegin = log.termBeginPosition(termId: result.termId)
        if result.resultingOffset > 0 { return .position(termBegin &+ Int64(result.resultingOffset)) }
        return rotate(termCount: termCount, termId: result.termId, termBegin: termBegin)
    }

    @usableFromInline
    func rotate(termCount: Int32, termId: Int32, termBegin: Int64) -> PublicationResult {
        if termBegin + Int64(log.termLength) >= log.maxPossiblePosition { return .maxPositionExceeded }
        LogBufferDescriptor.rotateLog(log.metadata, termCount: termCount, termId: termId)
        return .adminAction
    }

    /// Removes the publication from the driver (blocking until the driver confirms, or the client is closed).
    public func close() throws(AeronError) {
        guard closedFlag.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        try conductor?.releasePublication(registrationId: registrationId)
    }

    func markClosed() { closedFlag.store(true, ordering: .releasing) }
}
