import TensorPoolCore

/// Where and under which identity a producer writes one frame (spec §8.3, §9, §15.19).
public struct FramePlan: Sendable, Hashable {
    /// `seq` = `frame_id`.
    public var seq: UInt64
    /// Header slot (`seq & (nslots - 1)`).
    public var headerIndex: UInt32
    /// Payload pool (size class).
    public var poolId: UInt16
    /// Payload slot: equal to `headerIndex` in v1.1 (§15.5).
    public var payloadSlot: UInt32
    /// Stride of the chosen pool (capacity of the payload slot).
    public var strideBytes: UInt32

    /// Commit word to store before writing (WRITING).
    public var writingCommitWord: UInt64 { CommitWord.writing(seq) }
    /// Commit word to store with release once complete (COMMITTED).
    public var committedCommitWord: UInt64 { CommitWord.committed(seq) }
}
