import Synchronization
import SharedMemory
import AeronConcurrent

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
    /// Initial term id of the log.
    public let initialTermId: Int32
    /// Term length.
    public let termLength: Int
    /// Largest payload of one frame (`mtu − 32`).
    public let maxPayloadLength: Int
    /// Largest message ``offer(_:)`` accepts.
    public let maxMessageLength: Int
    /// Counter id of the publisher limit.
    public let publicationLimitCounterId: Int32

    @usableFromInline let logBuffers: LogBuffers
    @usableFromInline let metadata: AtomicBuffer
    @usableFromInline let appender0: ExclusiveTermAppender
    @usableFromInline let appender1: ExclusiveTermAppender
    @usableFromInline let appender2: ExclusiveTermAppender
    @usableFromInline let headerWriter: HeaderWriter
    @usableFromInline let limitBuffer: AtomicBuffer
    @usableFromInline let limitOffset: Int
    @usableFromInline let positionBitsToShift: Int
    @usableFromInline let maxPossiblePosition: Int64
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
        self.logBuffers = logBuffers
        metadata = logBuffers.metadata
        initialTermId = LogBufferDescriptor.initialTermId(metadata)
        termLength = logBuffers.termLength
        maxPayloadLength = LogBufferDescriptor.mtuLength(metadata) - DataFrameHeader.length
        maxMessageLength = LogBufferDescriptor.computeMaxMessageLength(termLength: termLength)
        appender0 = ExclusiveTermAppender(termBuffer: logBuffers.termBuffers[0], metadata: metadata, partitionIndex: 0)
        appender1 = ExclusiveTermAppender(termBuffer: logBuffers.termBuffers[1], metadata: metadata, partitionIndex: 1)
        appender2 = ExclusiveTermAppender(termBuffer: logBuffers.termBuffers[2], metadata: metadata, partitionIndex: 2)
        headerWriter = HeaderWriter(sessionId: ready.sessionId, streamId: ready.streamId)
        limitBuffer = countersValues
        limitOffset = CounterDescriptor.valueRecordOffset(ready.publicationLimitCounterId)
        positionBitsToShift = LogBufferDescriptor.positionBitsToShift(termLength: termLength)
        maxPossiblePosition = LogBufferDescriptor.maxPossiblePosition(termLength: termLength)
        let termCount = LogBufferDescriptor.activeTermCount(metadata)
        let activePartitionIndex = LogBufferDescriptor.indexByTermCount(Int64(termCount))
        let rawTail = LogBufferDescriptor.rawTailVolatile(metadata, activePartitionIndex)
        let termId = LogBufferDescriptor.termId(rawTail: rawTail)
        state = .allocate(capacity: 1)
        state.initialize(to: ExclusivePublicationState(
            termOffset: LogBufferDescriptor.termOffset(rawTail: rawTail, termLength: termLength),
            termId: termId,
            termBeginPosition: LogBufferDescriptor.computeTermBeginPosition(termId: termId, positionBitsToShift: positionBitsToShift, initialTermId: initialTermId),
            activePartitionIndex: activePartitionIndex))
        self.keepAlive = keepAlive
        self.conductor = conductor
    }

    deinit { state.deallocate() }

    @inlinable @inline(__always)
    func appender(_ index: Int) -> ExclusiveTermAppender {
        index == 0 ? appender0 : (index == 1 ? appender1 : appender2)
    }

    /// True once closed.
    @inlinable public var isClosed: Bool { closedFlag.load(ordering: .acquiring) }
    /// True when at least one subscriber is connected.
    public var isConnected: Bool { !isClosed && LogBufferDescriptor.isConnected(metadata) }
    /// Position limit before back-pressure.
    public var positionLimit: Int64 { isClosed ? 0 : limitBuffer.int64Acquire(at: limitOffset) }
    /// Position where the next message goes.
    public var position: Int64 { state.pointee.termBeginPosition + Int64(state.pointee.termOffset) }

    /// Offers one message (fragmented above ``maxPayloadLength``).
    @inlinable
    public func offer(_ message: UnsafeRawBufferPointer) -> PublicationResult {
        offer(message, UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// Offers the concatenation of two buffers as one message.
    @inlinable
    public func offer(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> PublicationResult {
        if isClosed { return .closed }
        let length = first.count + second.count
        let limit = limitBuffer.int64Acquire(at: limitOffset)
        let current = state.pointee
        let position = current.termBeginPosition + Int64(current.termOffset)
        guard position < limit else { return backPressureStatus(position, length) }
        let appender = appender(current.activePartitionIndex)
        let resultingOffset: Int
        if length <= maxPayloadLength {
            resultingOffset = appender.appendUnfragmented(termId: current.termId, termOffset: current.termOffset, header: headerWriter, first, second)
        } else {
            guard length <= maxMessageLength else { return .messageTooLong }
            resultingOffset = appender.appendFragmented(termId: current.termId, termOffset: current.termOffset, header: headerWriter, first, second, maxPayloadLength: maxPayloadLength)
        }
        return newPosition(resultingOffset)
    }

    /// Claims `length` bytes (at most ``maxPayloadLength``) for the caller to fill and commit.
    @inlinable
    public func tryClaim(length: Int, into claim: inout BufferClaim) -> PublicationResult {
        guard length >= 0, length <= maxPayloadLength else { return .messageTooLong }
        if isClosed { return .closed }
        let limit = limitBuffer.int64Acquire(at: limitOffset)
        let current = state.pointee
        let position = current.termBeginPosition + Int64(current.termOffset)
        guard position < limit else { return backPressureStatus(position, length) }
        let appender = appender(current.activePartitionIndex)
        let frameOffset = current.termOffset
        let resultingOffset = appender.claim(termId: current.termId, termOffset: frameOffset, header: headerWriter, length: length)
        if resultingOffset > 0 {
            claim.wrap(appender.termBuffer, frameOffset: frameOffset, frameLength: length + DataFrameHeader.length)
        }
        return newPosition(resultingOffset)
    }

    @inlinable @inline(__always)
    func newPosition(_ resultingOffset: Int) -> PublicationResult {
        if resultingOffset > 0 {
            state.pointee.termOffset = resultingOffset
            return .position(state.pointee.termBeginPosition + Int64(resultingOffset))
        }
        if state.pointee.termBeginPosition + Int64(termLength) >= maxPossiblePosition { return .maxPositionExceeded }
        rotate()
        return .adminAction
    }

    @usableFromInline
    func rotate() {
        let current = state.pointee
        let nextIndex = (current.activePartitionIndex + 1) % LogBufferDescriptor.partitionCount
        let nextTermId = current.termId &+ 1
        LogBufferDescriptor.initialiseTailWithTermId(metadata, index: nextIndex, termId: nextTermId)
        LogBufferDescriptor.setActiveTermCountOrdered(metadata, nextTermId &- initialTermId)
        state.pointee = ExclusivePublicationState(termOffset: 0, termId: nextTermId,
                                                  termBeginPosition: current.termBeginPosition + Int64(termLength),
                                                  activePartitionIndex: nextIndex)
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
