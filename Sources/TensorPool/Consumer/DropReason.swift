/// Why a consumer did not deliver a frame.
///
/// Every reason has its own counter in ``ConsumerFrameCounters``. Reasons are grouped for QoS
/// (`QosConsumer`, spec §10.4.1): ``isLate`` reasons add up to `drops_late`; policy reasons (the
/// consumer chose not to read) are reported by neither `drops_gap` nor `drops_late`, since they are
/// not losses. `drops_gap` counts missing sequence numbers on the descriptor stream, which are never
/// seen and so have no drop reason of their own.
public enum DropReason: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// No regions are mapped (M0: UNMAPPED, spec §15.21).
    case unmapped
    /// Descriptor epoch differs from the mapped epoch.
    case epochMismatch
    /// `header_index` is not inside the mapped header ring.
    case headerIndexOutOfRange
    /// `header_index` is not `seq & (nslots - 1)`.
    case headerIndexMismatch
    /// The same `seq` was seen again in the same epoch.
    case duplicate
    /// Commit word odd at the first read: the producer is writing the slot.
    case notCommitted
    /// Commit word changed between the two reads (overwritten mid-read).
    case torn
    /// Committed `frame_id` (commit word or header) differs from the descriptor `seq`.
    case frameIdMismatch
    /// Commit word even but lower than one already seen for that slot.
    case staleCommit
    /// Header content rejected by the SHM layer (bad dtype, strides, lengths...).
    case invalidHeader
    /// Further behind the producer than `max_outstanding_seq_gap`: skipped to resynchronise.
    case resync
    /// Regions unmapped while the frame was pending (epoch change, remap).
    case inFlightDiscarded
    /// DECIMATED mode: not one of the frames to deliver.
    case decimated
    /// `max_rate_hz` limit reached.
    case rateLimited
    /// LATEST mode: a newer descriptor replaced this one before it was read.
    case latestSuperseded
    /// The consumer's destination buffer is smaller than the frame (a local sizing problem, not a loss).
    case destinationTooSmall

    /// Counted in QoS `drops_late`: the frame existed but could not be read intact in time.
    public var isLate: Bool {
        switch self {
        case .notCommitted, .torn, .frameIdMismatch, .staleCommit, .resync: true
        default: false
        }
    }

    /// A deliberate skip by the consumer's mode or rate policy, not a loss.
    public var isPolicy: Bool {
        switch self {
        case .decimated, .rateLimited, .latestSuperseded: true
        default: false
        }
    }

    /// The case name (e.g. `headerIndexMismatch`): a stable key, used for instance as the drop-table key of
    /// `tp bench` results.
    public var description: String {
        switch self {
        case .unmapped: "unmapped"
        case .epochMismatch: "epochMismatch"
        case .headerIndexOutOfRange: "headerIndexOutOfRange"
        case .headerIndexMismatch: "headerIndexMismatch"
        case .duplicate: "duplicate"
        case .notCommitted: "notCommitted"
        case .torn: "torn"
        case .frameIdMismatch: "frameIdMismatch"
        case .staleCommit: "staleCommit"
        case .invalidHeader: "invalidHeader"
        case .destinationTooSmall: "destinationTooSmall"
        case .resync: "resync"
        case .inFlightDiscarded: "inFlightDiscarded"
        case .decimated: "decimated"
        case .rateLimited: "rateLimited"
        case .latestSuperseded: "latestSuperseded"
        }
    }
}
