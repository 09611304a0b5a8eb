/// The counters of a consumer (type ids `0x5450_02nn`).
///
/// `dropsGap`/`dropsLate` are the QoS figures of spec §10.4.1; every ``DropReason`` also has its own
/// counter so an operator can tell *why* frames were dropped (see ``drop(_:)``).
public enum ConsumerCounter: Int, RoleCounterKind {
    /// Frames delivered to the application after the seqlock re-check (spec §8.3): the denominator for drop rates.
    case framesAccepted = 0
    /// Payload bytes (`values_len_bytes`) of accepted frames; a throughput figure for `AeronStat`-like tools.
    case bytesAccepted = 1
    /// Sequence numbers never seen on the descriptor stream (QoS `drops_gap`).
    case dropsGap = 2
    /// Frames that existed but could not be read intact in time (QoS `drops_late`).
    case dropsLate = 3
    /// ``DropReason/unmapped``: descriptors that arrived while no region was mapped (before the first announce,
    /// between epochs); expected at start-up, alarming if it keeps growing.
    case dropsUnmapped = 4
    /// ``DropReason/epochMismatch``: descriptors of another epoch than the one mapped, typically the window between
    /// a producer restart and the consumer remapping (spec §15.2).
    case dropsEpochMismatch = 5
    /// ``DropReason/headerIndexOutOfRange``: `header_index` outside the mapped ring; a malformed or hostile descriptor.
    case dropsHeaderIndexOutOfRange = 6
    /// ``DropReason/headerIndexMismatch``: `header_index != seq & (nslots - 1)` (spec §8.1), a producer bug or a
    /// descriptor meant for a differently sized ring.
    case dropsHeaderIndexMismatch = 7
    /// ``DropReason/duplicate``: a `seq` seen twice in one epoch (a repeated descriptor), dropped so no frame is
    /// delivered twice.
    case dropsDuplicate = 8
    /// ``DropReason/notCommitted``: odd commit word at the first read (spec §8.3): the producer was rewriting the slot,
    /// so the consumer is at least a ring behind. Part of `drops_late`.
    case dropsNotCommitted = 9
    /// ``DropReason/torn``: the commit word changed between the two seqlock reads, so the copy was overwritten
    /// mid-read and discarded. Part of `drops_late`.
    case dropsTorn = 10
    /// ``DropReason/frameIdMismatch``: the slot holds a different `frame_id` than the descriptor's `seq`, i.e. it was
    /// already reused for a newer frame. Part of `drops_late`.
    case dropsFrameIdMismatch = 11
    /// ``DropReason/staleCommit``: an even commit word lower than one already seen for the slot (spec §15.3), an
    /// old frame still in place. Part of `drops_late`.
    case dropsStaleCommit = 12
    /// ``DropReason/invalidHeader``: slot header rejected by validation (dtype, strides, lengths against the pool
    /// stride, spec §15.1); never read as payload.
    case dropsInvalidHeader = 13
    /// ``DropReason/resync``: frames skipped because the consumer fell more than `max_outstanding_seq_gap` behind and
    /// jumped forward to resynchronise. Part of `drops_late`.
    case dropsResync = 14
    /// ``DropReason/inFlightDiscarded``: frames pending when the regions were unmapped (epoch change, remap), whose
    /// slots could no longer be read safely.
    case dropsInFlightDiscarded = 15
    /// ``DropReason/decimated``: frames skipped by DECIMATED mode on purpose (spec §11); not a loss, not in QoS drops.
    case dropsDecimated = 16
    /// ``DropReason/rateLimited``: frames skipped to honour `max_rate_hz`; a policy choice, not a loss.
    case dropsRateLimited = 17
    /// ``DropReason/latestSuperseded``: LATEST mode replaced a descriptor by a newer one before reading it (spec §11);
    /// a policy choice, not a loss.
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

    /// Places these counters in the consumer block of type ids (`0x5450_02nn`).
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

    /// Counter label words after `tp consumer `, lower case, as shown by `AeronStat`-like tools.
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
