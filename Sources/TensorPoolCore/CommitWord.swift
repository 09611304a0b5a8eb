/// Encoding of the per-slot seqlock word `commit_word` (§8.3).
///
/// `(frame_id << 1) | 1` while the producer writes the slot (WRITING), `frame_id << 1` once the frame is
/// complete (COMMITTED). Frame ids are below 2^63 (an epoch ends long before).
///
/// The word sits at offset 0 of the slot and is accessed only through ``SharedMemory/AtomicBuffer``'s atomic
/// accessors (acquire loads, release/relaxed stores), never through a codec's plain field accessor: it is the
/// one field written while another process reads it, and the protocol's correctness rests on its ordering.
public enum CommitWord {
    /// The WRITING value for `frameId`.
    @inlinable public static func writing(_ frameId: UInt64) -> UInt64 { (frameId << 1) | 1 }
    /// The COMMITTED value for `frameId`.
    @inlinable public static func committed(_ frameId: UInt64) -> UInt64 { frameId << 1 }
    /// True for a WRITING (odd) word.
    @inlinable public static func isWriting(_ word: UInt64) -> Bool { word & 1 == 1 }
    /// The frame id a word refers to.
    @inlinable public static func frameId(_ word: UInt64) -> UInt64 { word >> 1 }
}
