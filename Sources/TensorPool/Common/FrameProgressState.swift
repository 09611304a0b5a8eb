/// State of a `FrameProgress` message (spec §10.2.2, wire enum `FrameProgressState`).
///
/// Raw values are the SBE wire values (uint8).
public enum FrameProgressState: UInt8, Sendable, Hashable {
    case unknown = 0
    case started = 1
    case progress = 2
    case complete = 3
}
