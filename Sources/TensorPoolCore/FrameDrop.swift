/// Why a frame was dropped by ``SeqlockReader`` (§15.3, §15.19, §15.21). Drops are normal under lossy
/// overwrite: they are returned as values and counted, never thrown.
public enum FrameDrop: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// `header_index` is outside the mapped ring.
    case headerIndexOutOfRange(UInt32)
    /// The slot's commit word is odd: the producer is writing it (or aborted a write).
    case notCommitted
    /// The commit word is lower than one already seen for this slot (§15.3): an old frame reappeared.
    case stale
    /// The slot holds another frame than `seq` (overwritten by a newer frame, or not yet written).
    case frameIdMismatch(expected: UInt64, found: UInt64)
    /// The commit word changed while the frame was being read: the result was computed from torn data and was
    /// discarded. Counted as `drops_late`.
    case torn
    /// The header failed validation while the commit word was stable.
    case invalidHeader(HeaderValidationFailure)
    /// ``SeqlockReader/copyFrame(seq:headerIndex:into:)`` was given fewer bytes than `values_len_bytes`.
    case destinationTooSmall(required: Int)

    /// True for drops that mean "the producer lapped this reader" (`drops_late` in QoS): torn reads and frames
    /// found already overwritten by a newer one.
    public var isLate: Bool {
        switch self {
        case .torn: true
        case .frameIdMismatch(let expected, let found): found > expected
        default: false
        }
    }

    /// The drop reason with the values that caused it, using the spec's field names (for logs and `tp` output).
    public var description: String {
        switch self {
        case .headerIndexOutOfRange(let i): "header_index \(i) out of range"
        case .notCommitted: "slot not committed (WRITING)"
        case .stale: "stale commit word"
        case .frameIdMismatch(let e, let f): "slot holds frame \(f), expected \(e)"
        case .torn: "torn read (commit word changed during read)"
        case .invalidHeader(let reason): "invalid header: \(reason)"
        case .destinationTooSmall(let n): "destination smaller than the frame's \(n) bytes"
        }
    }
}
