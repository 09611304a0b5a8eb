/// The counters of a consumer (type ids `0x5450_02nn`).
///
/// `dropsGap`/`dropsLate` are the QoS figures of spec §10.4.1; every ``DropReason`` also has its own
/// counter so an operator can tell *why* frames were dropped (see ``drop(_:)``).
public enum ConsumerCounter: Int, RoleCounterKind {
    case framesAccepted = 0
    case bytesAccepted = 1
    /// Sequence numbers never seen on the descriptor stream (QoS `drops_gap`).
    case dropsGap = 2
    /// Frames that existed but could not be read intact in time (QoS `drops_late`).
    case dropsLate = 3
    case dropsUnmapped = 4
    case dropsEpochMismatch = 5
    case dropsHeaderIndexOutOfRange = 6
    case dropsHeaderIndexMismatch = 7
    case dropsDuplicate = 8
    case dropsNotCommitted = 9
    case dropsTorn = 10
    case dropsFrameIdMismatch = 11
    case dropsStaleCommit = 12
    case dropsInvalidHeader = 13
    case dropsResync = 14
    case dropsInFlightDiscarded = 15
    case dropsDecimated = 16
    case dropsRateLimited = 17
    case dropsLatestSuperseded = 18
    /// Region (re)mappings done.
    case remaps = 19
    /// Current mode (wire value of ``ConsumerMode``: 1 STREAM, 2 LATEST, 3 DECIMATED).
    case mode = 20
    /// `ConsumerConfig` messages applied.
    case configsApplied = 21
    /// `QosConsumer` messages sent.
    case qosSent = 22
    /// Current mapped epoch (0 while unmapped).
    case epoch = 23
    /// Frames larger than the consumer's destination buffer (a local sizing problem, not a loss).
    case dropsDestinationTooSmall = 24

    public static var role: CounterRole { .consumer }

    /// The per-reason drop counter of `reason`.
    @inlinable
    public static func drop(_ reason: DropReason) -> ConsumerCounter {
        switch reason {
        case .unmapped: .dropsUnmapped
        case .epochMismatch: .dropsEpochMismatch
        case .headerIndexOutOfRange: .dropsHeaderIndexOutOfRange
        case .headerIndexMismatch: .dropsHeaderIndexMismatch
        case .duplicate: .dropsDuplicate
        case .notCommitted: .dropsNotCommitted
        case .torn: .dropsTorn
        case .frameIdMismatch: .dropsFrameIdMismatch
        case .staleCommit: .dropsStaleCommit
        case .invalidHeader: .dropsInvalidHeader
        case .destinationTooSmall: .dropsDestinationTooSmall
        case .resync: .dropsResync
        case .inFlightDiscarded: .dropsInFlightDiscarded
        case .decimated: .dropsDecimated
        case .rateLimited: .dropsRateLimited
        case .latestSuperseded: .dropsLatestSuperseded
        }
    }

    public var name: String {
        switch self {
        case .framesAccepted: "frames accepted"
        case .bytesAccepted: "bytes accepted"
        case .dropsGap: "drops gap"
        case .dropsLate: "drops late"
        case .dropsUnmapped: "drops unmapped"
        case .dropsEpochMismatch: "drops epoch mismatch"
        case .dropsHeaderIndexOutOfRange: "drops header index out of range"
        case .dropsHeaderIndexMismatch: "drops header index mismatch"
        case .dropsDuplicate: "drops duplicate"
        case .dropsNotCommitted: "drops not committed"
        case .dropsTorn: "drops torn"
        case .dropsFrameIdMismatch: "drops frame id mismatch"
        case .dropsStaleCommit: "drops stale commit"
        case .dropsInvalidHeader: "drops invalid header"
        case .dropsResync: "drops resync"
        case .dropsInFlightDiscarded: "drops in flight discarded"
        case .dropsDecimated: "drops decimated"
        case .dropsRateLimited: "drops rate limited"
        case .dropsLatestSuperseded: "drops latest superseded"
        case .remaps: "remaps"
        case .mode: "mode"
        case .configsApplied: "configs applied"
        case .qosSent: "qos sent"
        case .epoch: "epoch"
        case .dropsDestinationTooSmall: "drops destination too small"
        }
    }
}
