/// The header slot commit word (spec §8.3): `(frame_id << 1) | 1` while WRITING, `frame_id << 1`
/// when COMMITTED.
public enum CommitWord {
    /// Value stored before writing a slot.
    @inlinable
    public static func writing(frameId: UInt64) -> UInt64 { (frameId << 1) | 1 }

    /// Value stored (release) once header and payload are complete.
    @inlinable
    public static func committed(frameId: UInt64) -> UInt64 { frameId << 1 }

    /// `true` for an even (committed) word.
    @inlinable
    public static func isCommitted(_ word: UInt64) -> Bool { word & 1 == 0 }

    /// Frame id encoded in a word.
    @inlinable
    public static func frameId(of word: UInt64) -> UInt64 { word >> 1 }

    /// Largest frame id a commit word can carry (the top bit is shifted out).
    public static let maxFrameId: UInt64 = UInt64.max >> 1
}
