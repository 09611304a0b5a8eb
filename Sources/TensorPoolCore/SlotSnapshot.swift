import SharedMemory
import TensorPoolCodecs

/// A consistent look at one header slot for tools (`tp inspect`): the header read under the seqlock, without
/// touching the payload and without per-slot history. Safe while a producer in another process writes the ring.
public enum SlotSnapshot: Equatable, Sendable {
    /// Never written: commit word 0 and an all-zero header (a zero-filled new region).
    case empty
    /// The producer is writing (or aborted) frame `frameId`.
    case writing(frameId: UInt64)
    /// A committed frame; the header was stable while it was read.
    case committed(TensorSlotHeader)
    /// The commit word changed while the header was read: the slot was being rewritten.
    case torn(firstWord: UInt64, secondWord: UInt64)

    /// Reads slot `index` of `ring` (acquire load, header decode, acquire fence, second load).
    public static func read(_ ring: HeaderRing, slot index: Int) -> SlotSnapshot {
        precondition(index >= 0 && index < ring.nslots, "slot index outside the ring")
        let offset = ring.slotOffset(index)
        let commitOffset = offset + RegionLayout.SlotHeader.commitWord
        let first = UInt64(bitPattern: ring.buffer.int64Acquire(at: commitOffset))
        if CommitWord.isWriting(first) { return .writing(frameId: CommitWord.frameId(first)) }
        let header = try? TensorSlotHeader(from: ring.buffer, slotOffset: offset)
        AtomicBuffer.acquireFence()
        let second = UInt64(bitPattern: ring.buffer.int64Relaxed(at: commitOffset))
        guard first == second, let header else { return .torn(firstWord: first, secondWord: second) }
        if first == 0 && header == TensorSlotHeader(dtype: Dtype(rawValue: 0), majorOrder: MajorOrder(rawValue: 0)) { return .empty }
        return .committed(header)
    }

    /// The state name: `EMPTY`, `WRITING`, `COMMITTED` or `TORN`.
    public var stateName: String {
        switch self {
        case .empty: "EMPTY"
        case .writing: "WRITING"
        case .committed: "COMMITTED"
        case .torn: "TORN"
        }
    }
}
