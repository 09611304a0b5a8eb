/// What a consumer does with a descriptor offered to ``FrameAdmission``.
public enum AdmissionDecision: Sendable, Hashable {
    /// Read the slot now (seqlock read), then report the result with ``FrameAdmission/recordRead(seq:outcome:nowNs:)``.
    case read
    /// LATEST mode: kept as the pending newest frame; ``FrameAdmission/takeLatest(nowNs:)`` returns it at the end of the poll.
    case held
    /// Not read; counted under the reason.
    case drop(DropReason)
    /// `seq` went backwards within the epoch (spec §15.2): unmap and remap before reading anything else.
    case remapRequired
}
