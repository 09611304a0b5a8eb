/// Result of the consumer seqlock read of one header slot (spec §8.3, §15.3, §15.19), as reported to
/// ``FrameAdmission``; `TensorPoolCore.SeqlockReader` results convert with ``init(_:)``.
public enum SlotReadOutcome: Sendable, Hashable {
    /// Stable even commit word, `frame_id == seq`, header valid: the frame may be used.
    case accepted
    /// Read failed; the frame is dropped for this reason.
    case dropped(DropReason)
}
