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
    /// Initial term id of the log.
    public let initialTermId: Int32
    /// Term length.
    public let termLength: Int
    /// Largest payload of one frame (`mtu − 32`); larger messages are fragmented.
    public let maxPayloadLength: Int
    /// Largest message ``offer(_:)`` accepts.
    public let maxMessageLength: Int
    /// Counter id of the publisher limit.
    public let publicationLimitCounterId: Int32
    /// Channel status indicator counter id (−1 for IPC).
    public let channelStatusIndicatorId: Int32

    @usableFromInline let logBuffers: LogBuffers
    @usableFromInline let metadata: AtomicBuffer
    @usableFromInline let appender0: TermAppender
    @usableFromInline let appender1: TermAppender
    @usableFromInline let appender2: TermAppender
    @usableFromInline let headerWriter: HeaderWriter
    @usableFromInline let limitBuffer: AtomicBuffer
    @usableFromInline let limitOffset: Int
    @usableFromInline let positionBitsToShift: Int
    @usableFromInline let maxPossiblePosition: Int64
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
        self.logBuffers = logBuffers
        metadata = logBuffers.metadata
        initialTermId = LogBufferDescriptor.initialTermId(metadata)
        termLength = logBuffers.termLength
        maxPayloadLength = LogBufferDescriptor.mtuLength(metadata) - DataFrameHeader.length
        maxMessageLength = LogBufferDescriptor.computeMaxMessageLength(termLength: termLength)
        appender0 = TermAppender(termBuffer: logBuffers.termBuffers[0], metadata: metadata, partitionIndex: 0)
        appender1 = TermAppender(termBuffer: logBuffers.termBuffers[1], metadata: metadata, partitionIndex: 1)
        appender2 = TermAppender(termBuffer: logBuffers.termBuffers[2], metadata: metadata, partitionIndex: 2)
        headerWriter = HeaderWriter(sessionId: ready.sessionId, streamId: ready.streamId)
        limitBuffer = countersValues
        limitOffset = CounterDescriptor.valueRecordOffset(ready.publicationLimitCounterId)
        positionBitsToShift = LogBufferDescriptor.positionBitsToShift(termLength: termLength)
        maxPossiblePosition = LogBufferDescriptor.maxPossiblePosition(termLength: termLength)
        self.keepAlive = keepAlive
        self.conductor = conductor
    }

    @inlinable @inline(__always)
    func appender(_ index: Int) -> TermAppender {
        index == 0 ? appender0 : (index == 1 ? appender1 : appender2)
    }

    /// True once closed (by ``close()``, the client closing, or the driver going away).
    @inlinable public var isClosed: Bool { closedFlag.load(ordering: .acquiring) }

    /// True when at least one subscriber is connected (per the driver).
    public var isConnected: Bool { !isClosed && LogBufferDescriptor.isConnected(metadata) }

    /// Position limit the publication may reach before back-pressure.
    public var positionLimit: Int64 { isClosed ? 0 : limitBuffer.int64Acquire(at: limitOffset) }

    /// Current position of the publication's tail (where the next message goes).
    public var position: Int64 {
        let termCount = Int64(LogBufferDescriptor.activeTermCount(metadata))
        let rawTail = LogBufferDescriptor.rawTailVolatile(metadata, LogBufferDescriptor.indexByTermCount(termCount))
        let termOffset = LogBufferDescriptor.termOffset(rawTail: rawTail, termLength: termLength)
        return LogBufferDescriptor.computePosition(termId: LogBufferDescriptor.termId(rawTail: rawTail), termOffset: termOffset,
                                                   positionBitsToShift: positionBitsToShift, initialTermId: initialTermId)
    }

    /// Offers one message (fragmented above ``maxPayloadLength``).
    @inlinable
    public func offer(_ message: UnsafeRawBufferPointer) -> PublicationResult {
        offer(message, UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// Offers the concatenation of two buffers as one message (e.g. a header and a body) without copying them
    /// together first.
    @inlinable
    public func offer(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> PublicationResult {
        if isClosed { return .closed }
        let length = first.count + second.count
        let limit = limitBuffer.int64Acquire(at: limitOffset)
        let termCount = LogBufferDescriptor.activeTermCount(metadata)
        let appender = appender(LogBufferDescriptor.indexByTermCount(Int64(termCount)))
        let rawTail = appender.rawTailVolatile
        let termOffset = LogBufferDescriptor.termOffset(rawTail: rawTail, termLength: termLength)
        let termId = LogBufferDescriptor.termId(rawTail: rawTail)
        if termCount != termId &- initialTermId { return .adminAction }
        let position = LogBufferDescriptor.computeTermBeginPosition(termId: termId, positionBitsToShift: positionBitsToShift, initialTermId: initialTermId) + Int64(termOffset)
        guard position < limit else { return backPressureStatus(position, length) }
        let result: TermAppendResult
        if length <= maxPayloadLength {
            result = appender.appendUnfragmented(header: headerWriter, first, second)
        } else {
            guard length <= maxMessageLength else { return .messageTooLong }
            result = appender.appendFragmented(header: headerWriter, first, second, maxPayloadLength: maxPayloadLength)
        }
        return newPosition(termCount: termCount, result)
    }

    /// Claims `length` bytes (at most ``maxPayloadLength``) in the log for the caller to fill in place; on
    /// success `claim` is ready for ``BufferClaim/commit()``.
    @inlinable
    public func tryClaim(length: Int, into claim: inout BufferClaim) -> PublicationResult {
        guard length >= 0, length <= maxPayloadLength else { return .messageTooLong }
        if isClosed { return .closed }
        let limit = limitBuffer.int64Acquire(at: limitOffset)
        let termCount = LogBufferDescriptor.activeTermCount(metadata)
        let appender = appender(LogBufferDescriptor.indexByTermCount(Int64(termCount)))
        let rawTail = appender.rawTailVolatile
        let termOffset = LogBufferDescriptor.termOffset(rawTail: rawTail, termLength: termLength)
        let termId = LogBufferDescriptor.termId(rawTail: rawTail)
        if termCount != termId &- initialTermId { return .adminAction }
        let position = LogBufferDescriptor.computeTermBeginPosition(termId: termId, positionBitsToShift: positionBitsToShift, initialTermId: initialTermId) + Int64(termOffset)
        guard position < limit else { return backPressureStatus(position, length) }
        let result = appender.claim(header: headerWriter, length: length)
        if result.resultingOffset > 0 {
            let frameLength = length + DataFrameHeader.length
            let frameOffset = result.resultingOffset - alignUp(frameLength, to: DataFrameHeader.frameAlignment)
            claim.wrap(appender.termBuffer, frameOffset: frameOffset, frameLength: frameLength)
        }
        return newPosition(termCount: termCount, result)
    }

    @inlinable @inline(__always)
    func newPosition(termCount: Int32, _ result: TermAppendResult) -> PublicationResult {
        let termBegin = LogBufferDescriptor.computeTermBeginPosition(termId: result.termId, positionBitsToShift: positionBitsToShift, initialTermId: initialTermId)
        if result.resultingOffset > 0 { return .position(termBegin + Int64(result.resultingOffset)) }
        if termBegin + Int64(termLength) >= maxPossiblePosition { return .maxPositionExceeded }
        LogBufferDescriptor.rotateLog(metadata, termCount: termCount, termId: result.termId)
        return .adminAction
    }

    @usableFromInline
    func backPressureStatus(_ position: Int64, _ length: Int) -> PublicationResult {
        if position + Int64(alignUp(length + DataFrameHeader.length, to: DataFrameHeader.frameAlignment)) >= maxPossiblePosition {
            return .maxPositionExceeded
        }
        return LogBufferDescriptor.isConnected(metadata) ? .backPressured : .notConnected
    }

    /// Removes the publication from the driver (blocking until the driver confirms, or the client is closed).
    public func close() throws(AeronError) {
        guard closedFlag.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        try conductor?.releasePublication(registrationId: registrationId)
    }

    func markClosed() { closedFlag.store(true, ordering: .releasing) }
}
