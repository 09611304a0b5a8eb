import Synchronization
import SharedMemory
import AeronConcurrent

/// One publisher's stream (one session) as seen by a subscription: a mapped log buffer and this subscriber's
/// position counter. Polled by one thread at a time (the subscription's poller).
public final class Image: @unchecked Sendable {
    /// Correlation id of the image (the publication's registration id for IPC).
    public let correlationId: Int64
    /// Session id of the publisher.
    public let sessionId: Int32
    /// Stream id.
    public let streamId: Int32
    /// Registration id of the owning subscription.
    public let subscriptionRegistrationId: Int64
    /// Counter id of this subscriber's position.
    public let subscriberPositionId: Int32
    /// Where the data comes from (`aeron:ipc` or a network address).
    public let sourceIdentity: String
    /// Position at which this subscriber joined the stream.
    public let joinPosition: Int64
    /// Initial term id of the log.
    public let initialTermId: Int32
    /// Term length.
    public let termLength: Int

    @usableFromInline let logBuffers: LogBuffers
    @usableFromInline let metadata: AtomicBuffer
    @usableFromInline let term0: AtomicBuffer
    @usableFromInline let term1: AtomicBuffer
    @usableFromInline let term2: AtomicBuffer
    @usableFromInline let positionBuffer: AtomicBuffer
    @usableFromInline let positionOffset: Int
    @usableFromInline let termLengthMask: Int
    @usableFromInline let positionBitsToShift: Int
    @usableFromInline let closedFlag = Atomic<Bool>(false)
    let finalPositionValue = Atomic<Int64>(0)
    let keepAlive: AnyObject
    /// Set by the conductor that created the image (commands such as ``rejectImage(reason:)`` go through it).
    weak var conductor: ClientConductor?

    init(ready: ImageBuffersReady, logBuffers: LogBuffers, countersValues: AtomicBuffer, keepAlive: AnyObject) {
        correlationId = ready.correlationId
        sessionId = ready.sessionId
        streamId = ready.streamId
        subscriptionRegistrationId = ready.subscriptionRegistrationId
        subscriberPositionId = ready.subscriberPositionId
        sourceIdentity = ready.sourceIdentity
        self.logBuffers = logBuffers
        metadata = logBuffers.metadata
        term0 = logBuffers.termBuffers[0]
        term1 = logBuffers.termBuffers[1]
        term2 = logBuffers.termBuffers[2]
        termLength = logBuffers.termLength
        termLengthMask = termLength - 1
        positionBitsToShift = LogBufferDescriptor.positionBitsToShift(termLength: termLength)
        initialTermId = LogBufferDescriptor.initialTermId(metadata)
        positionBuffer = countersValues
        positionOffset = CounterDescriptor.valueRecordOffset(ready.subscriberPositionId)
        joinPosition = countersValues.int64Acquire(at: positionOffset)
        self.keepAlive = keepAlive
    }

    @inlinable @inline(__always)
    func termBuffer(_ index: Int) -> AtomicBuffer { index == 0 ? term0 : (index == 1 ? term1 : term2) }

    /// The term holding stream position `position`, and the offset of that position in it.
    @inlinable @inline(__always)
    func term(at position: Int64) -> (buffer: AtomicBuffer, offset: Int) {
        (termBuffer(LogBufferDescriptor.indexByPosition(position, positionBitsToShift: positionBitsToShift)),
         Int(truncatingIfNeeded: position) & termLengthMask)
    }

    /// True once the image went away (publisher gone and drained, subscription closed, or client closed).
    @inlinable public var isClosed: Bool { closedFlag.load(ordering: .acquiring) }

    /// This subscriber's position in the stream.
    public var position: Int64 {
        isClosed ? finalPositionValue.load(ordering: .acquiring) : positionBuffer.int64Acquire(at: positionOffset)
    }

    /// Position at which the stream ends (`Int64.max` while the publisher is alive).
    public var endOfStreamPosition: Int64 { LogBufferDescriptor.endOfStreamPosition(metadata) }

    /// True when the publisher has gone and this subscriber consumed everything it wrote.
    public var isEndOfStream: Bool {
        if isClosed { return finalPositionValue.load(ordering: .acquiring) >= endOfStreamPosition }
        return positionBuffer.int64Acquire(at: positionOffset) >= endOfStreamPosition
    }

    /// True when the publisher revoked the publication (1.48+ drivers).
    public var isPublicationRevoked: Bool { LogBufferDescriptor.isPublicationRevoked(metadata) }

    /// Delivers up to `fragmentLimit` fragments to `handler(payload, header)`; returns how many. Allocation-free.
    @inlinable @inline(__always)
    public func poll(fragmentLimit: Int, _ handler: (UnsafeRawBufferPointer, Header) -> Void) -> Int {
        if isClosed { return 0 }
        let position = positionBuffer.int64Relaxed(at: positionOffset)
        let (termBuffer, termOffset) = term(at: position)
        // A local header (not a stored var): stored class properties pay a dynamic exclusivity check per access.
        var header = Header(buffer: termBuffer, initialTermId: initialTermId, positionBitsToShift: positionBitsToShift)
        let result = TermReader.read(termBuffer, termOffset: termOffset, fragmentsLimit: fragmentLimit, header: &header, handler)
        let newPosition = position &+ Int64(result.offset &- termOffset)
        if newPosition > position { positionBuffer.setInt64Release(newPosition, at: positionOffset) }
        return result.fragmentsRead
    }

    /// Like ``poll(fragmentLimit:_:)`` but the handler decides per fragment (``ControlledPollAction``).
    @inlinable
    public func controlledPoll(fragmentLimit: Int, _ handler: (UnsafeRawBufferPointer, Header) -> ControlledPollAction) -> Int {
        // No bound: the walk stops at the end of the term, as an unbounded controlled poll does.
        boundedControlledPoll(limitPosition: .max, fragmentLimit: fragmentLimit, handler)
    }

    func close() {
        finalPositionValue.store(positionBuffer.int64Acquire(at: positionOffset), ordering: .releasing)
        closedFlag.store(true, ordering: .releasing)
    }
}
