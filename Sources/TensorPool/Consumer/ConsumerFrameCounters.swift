/// Cumulative consumer frame counters in a fixed-size value (no dictionary, no allocation).
///
/// Counters survive remaps: QoS reports them as monotone totals for the life of the consumer.
public struct ConsumerFrameCounters: Sendable, Hashable {
    /// Descriptors offered to admission.
    public var descriptorsSeen: UInt64 = 0
    /// Frames read intact and delivered.
    public var framesDelivered: UInt64 = 0
    /// Sequence numbers missing on the descriptor stream (`drops_gap`).
    public var dropsGap: UInt64 = 0
    /// Times the consumer resynchronised because it was more than `max_outstanding_seq_gap` behind.
    public var resyncs: UInt64 = 0
    /// Times a `seq` lower than one already seen in the same epoch demanded a remap.
    public var seqRegressions: UInt64 = 0

    /// Frames dropped for ``DropReason/unmapped``.
    public var unmapped: UInt64 = 0
    /// Frames dropped for ``DropReason/epochMismatch``.
    public var epochMismatch: UInt64 = 0
    /// Frames dropped for ``DropReason/headerIndexOutOfRange``.
    public var headerIndexOutOfRange: UInt64 = 0
    /// Frames dropped for ``DropReason/headerIndexMismatch``.
    public var headerIndexMismatch: UInt64 = 0
    /// Frames dropped for ``DropReason/duplicate``.
    public var duplicate: UInt64 = 0
    /// Frames dropped for ``DropReason/notCommitted``.
    public var notCommitted: UInt64 = 0
    /// Frames dropped for ``DropReason/torn``.
    public var torn: UInt64 = 0
    /// Frames dropped for ``DropReason/frameIdMismatch``.
    public var frameIdMismatch: UInt64 = 0
    /// Frames dropped for ``DropReason/staleCommit``.
    public var staleCommit: UInt64 = 0
    /// Frames dropped for ``DropReason/invalidHeader``.
    public var invalidHeader: UInt64 = 0
    /// Frames dropped for ``DropReason/destinationTooSmall``.
    public var destinationTooSmall: UInt64 = 0
    /// Frames dropped for ``DropReason/resync``.
    public var resync: UInt64 = 0
    /// Frames dropped for ``DropReason/inFlightDiscarded``.
    public var inFlightDiscarded: UInt64 = 0
    /// Frames dropped for ``DropReason/decimated``.
    public var decimated: UInt64 = 0
    /// Frames dropped for ``DropReason/rateLimited``.
    public var rateLimited: UInt64 = 0
    /// Frames dropped for ``DropReason/latestSuperseded``.
    public var latestSuperseded: UInt64 = 0

    /// All zero, for a new consumer; remaps never reset them.
    public init() {}

    /// The counter of one drop reason.
    public subscript(reason: DropReason) -> UInt64 {
        get {
            switch reason {
            case .unmapped: unmapped
            case .epochMismatch: epochMismatch
            case .headerIndexOutOfRange: headerIndexOutOfRange
            case .headerIndexMismatch: headerIndexMismatch
            case .duplicate: duplicate
            case .notCommitted: notCommitted
            case .torn: torn
            case .frameIdMismatch: frameIdMismatch
            case .staleCommit: staleCommit
            case .invalidHeader: invalidHeader
            case .destinationTooSmall: destinationTooSmall
            case .resync: resync
            case .inFlightDiscarded: inFlightDiscarded
            case .decimated: decimated
            case .rateLimited: rateLimited
            case .latestSuperseded: latestSuperseded
            }
        }
        set {
            switch reason {
            case .unmapped: unmapped = newValue
            case .epochMismatch: epochMismatch = newValue
            case .headerIndexOutOfRange: headerIndexOutOfRange = newValue
            case .headerIndexMismatch: headerIndexMismatch = newValue
            case .duplicate: duplicate = newValue
            case .notCommitted: notCommitted = newValue
            case .torn: torn = newValue
            case .frameIdMismatch: frameIdMismatch = newValue
            case .staleCommit: staleCommit = newValue
            case .invalidHeader: invalidHeader = newValue
            case .destinationTooSmall: destinationTooSmall = newValue
            case .resync: resync = newValue
            case .inFlightDiscarded: inFlightDiscarded = newValue
            case .decimated: decimated = newValue
            case .rateLimited: rateLimited = newValue
            case .latestSuperseded: latestSuperseded = newValue
            }
        }
    }

    /// Adds one to the counter of `reason`.
    @inlinable
    public mutating func count(_ reason: DropReason) {
        self[reason] &+= 1
    }

    /// `dropsGap`, `resyncs` and every per-reason drop counter added up. Each of them only grows, so an unchanged
    /// total means none of them moved (the consumer copies them into its statistics only then).
    @inlinable
    public var dropTotal: UInt64 {
        dropsGap &+ resyncs &+ unmapped &+ epochMismatch &+ headerIndexOutOfRange &+ headerIndexMismatch &+ duplicate
            &+ notCommitted &+ torn &+ frameIdMismatch &+ staleCommit &+ invalidHeader &+ destinationTooSmall &+ resync
            &+ inFlightDiscarded &+ decimated &+ rateLimited &+ latestSuperseded
    }

    /// QoS `drops_late`: sum of the ``DropReason/isLate`` counters.
    public var dropsLate: UInt64 {
        notCommitted &+ torn &+ frameIdMismatch &+ staleCommit &+ resync
    }

    /// Sum of the ``DropReason/isPolicy`` counters (deliberate skips).
    public var droppedByPolicy: UInt64 {
        decimated &+ rateLimited &+ latestSuperseded
    }
}
