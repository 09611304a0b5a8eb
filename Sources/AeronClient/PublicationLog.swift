import SharedMemory
import AeronConcurrent

/// What a publication (concurrent or exclusive) knows about its mapped log: the three term partitions, the
/// metadata, the publisher limit and the fixed numbers the position arithmetic needs. Both publication kinds store
/// one and differ only in how they claim space in the active term.
///
/// Immutable after `init`; the term views sit behind a pointer so that picking the active partition is one indexed
/// load instead of a three-way select over copies. The owner calls ``deallocate()`` in its `deinit`.
@frozen @usableFromInline
struct PublicationLog: @unchecked Sendable {
    @usableFromInline let logBuffers: LogBuffers
    @usableFromInline let metadata: AtomicBuffer
    @usableFromInline let terms: UnsafeMutablePointer<AtomicBuffer>
    @usableFromInline let headerWriter: HeaderWriter
    @usableFromInline let limitBuffer: AtomicBuffer
    @usableFromInline let limitOffset: Int
    @usableFromInline let initialTermId: Int32
    @usableFromInline let termLength: Int
    @usableFromInline let positionBitsToShift: Int
    @usableFromInline let maxPayloadLength: Int
    @usableFromInline let maxMessageLength: Int
    @usableFromInline let maxPossiblePosition: Int64

    init(logBuffers: LogBuffers, countersValues: AtomicBuffer, publicationLimitCounterId: Int32, sessionId: Int32, streamId: Int32) {
        self.logBuffers = logBuffers
        metadata = logBuffers.metadata
        terms = .allocate(capacity: LogBufferDescriptor.partitionCount)
        terms.initialize(from: logBuffers.termBuffers, count: LogBufferDescriptor.partitionCount)
        headerWriter = HeaderWriter(sessionId: sessionId, streamId: streamId)
        limitBuffer = countersValues
        limitOffset = CounterDescriptor.valueRecordOffset(publicationLimitCounterId)
        initialTermId = LogBufferDescriptor.initialTermId(metadata)
        termLength = logBuffers.termLength
        positionBitsToShift = LogBufferDescriptor.positionBitsToShift(termLength: termLength)
        maxPayloadLength = LogBufferDescriptor.mtuLength(metadata) - DataFrameHeader.length
        maxMessageLength = LogBufferDescriptor.computeMaxMessageLength(termLength: termLength)
        maxPossiblePosition = LogBufferDescriptor.maxPossiblePosition(termLength: termLength)
    }

    /// Frees the term view table (the mapping itself belongs to ``logBuffers``).
    func deallocate() { terms.deallocate() }

    /// Term partition `index` (0…2).
    @inlinable @inline(__always)
    func term(_ index: Int) -> AtomicBuffer { terms[index] }

    /// The publisher limit the driver maintains (acquire).
    @inlinable @inline(__always)
    var positionLimit: Int64 { limitBuffer.int64Acquire(at: limitOffset) }

    /// Position at the start of term `termId`. Wrapping arithmetic: the shift is `log2(termLength)` < 31 and the
    /// term count fits 31 bits, so nothing can overflow for a valid log, and a corrupt one must not trap.
    @inlinable @inline(__always)
    func termBeginPosition(termId: Int32) -> Int64 {
        Int64(termId &- initialTermId) &<< Int64(positionBitsToShift)
    }

    /// Why an offer at `position` of `length` bytes could not proceed past the publisher limit.
    @usableFromInline
    func backPressureStatus(_ position: Int64, _ length: Int) -> PublicationResult {
        if position + Int64(alignUp(length + DataFrameHeader.length, to: DataFrameHeader.frameAlignment)) >= maxPossiblePosition {
            return .maxPositionExceeded
        }
        return LogBufferDescriptor.isConnected(metadata) ? .backPressured : .notConnected
    }

    /// True when the driver reports a connected subscriber.
    var isConnected: Bool { LogBufferDescriptor.isConnected(metadata) }
}
