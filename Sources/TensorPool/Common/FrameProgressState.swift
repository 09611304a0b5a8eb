/// State of a `FrameProgress` message (spec §10.2.2, wire enum `FrameProgressState`).
///
/// Raw values are the SBE wire values (uint8).
public enum FrameProgressState: UInt8, Sendable, Hashable {
    /// Wire value 0, the SBE default: a message from a newer or broken producer that set no state. Consumers treat
    /// the progress as informational only and wait for the `FrameDescriptor`.
    case unknown = 0
    /// Acquisition into the slot has begun (sent once per frame); `payload_bytes_filled` may still be 0.
    case started = 1
    /// An intermediate update, throttled by the producer (spec §10.2.2: at most one per interval and only when
    /// `payload_bytes_filled` or `rows_filled` advanced by the policy's delta). Never regresses within a frame.
    case progress = 2
    /// The producer finished filling the slot. Does not make the payload visible: consumers still validate the
    /// slot's `commit_word` (spec §8.3) and treat the `FrameDescriptor` as the canonical availability signal.
    case complete = 3
}
