/// Judges a consumer's seqlock read of a header slot from the two commit-word loads.
///
/// The SHM layer performs the loads (acquire) around its header/payload read and hands the raw
/// values here; this type applies spec §8.3, §15.3 and §15.21 in a fixed order and remembers, per
/// slot, the highest commit word accepted so far, so that a commit word lower than one already
/// seen is rejected as stale (§15.3). Storage is allocated once per mapping (one word per slot).
public struct SlotReadValidator: Sendable {
    private var highestCommit: [UInt64]

    /// Number of header slots tracked.
    public var slotCount: Int { highestCommit.count }

    /// Creates a validator for a header ring of `headerNslots` slots.
    public init(headerNslots: UInt32) {
        highestCommit = Array(repeating: 0, count: Int(headerNslots))
    }

    /// Forgets all slot history (new epoch: sequence numbers restart at 0).
    public mutating func reset(headerNslots: UInt32) {
        if highestCommit.count == Int(headerNslots) {
            for i in highestCommit.indices { highestCommit[i] = 0 }
        } else {
            highestCommit = Array(repeating: 0, count: Int(headerNslots))
        }
    }

    /// Validates one read.
    ///
    /// - Parameters:
    ///   - seq: `FrameDescriptor.seq`.
    ///   - headerIndex: slot read.
    ///   - commitBefore: commit word loaded before reading header and payload.
    ///   - commitAfter: commit word loaded after reading them.
    ///   - headerFrameId: `frame_id` field read from the header between the two loads.
    ///   - headerValid: `false` when the SHM layer rejected header contents (dtype, strides, lengths).
    /// - Returns: `.accepted` or the drop reason. Checks, in order: slot in range, commit odd,
    ///   commit changed (torn), commit lower than seen for the slot (stale), frame identity
    ///   (`commit >> 1`, header `frame_id` and `seq` all equal), header validity.
    @inlinable
    public mutating func validate(
        seq: UInt64, headerIndex: UInt32, commitBefore: UInt64, commitAfter: UInt64,
        headerFrameId: UInt64, headerValid: Bool
    ) -> SlotReadOutcome {
        let index = Int(headerIndex)
        guard index < highestCommitCount else { return .dropped(.headerIndexOutOfRange) }
        if commitBefore & 1 == 1 { return .dropped(.notCommitted) }
        if commitAfter != commitBefore { return .dropped(.torn) }
        if commitBefore < highestCommitAt(index) { return .dropped(.staleCommit) }
        if commitBefore >> 1 != seq || headerFrameId != seq { return .dropped(.frameIdMismatch) }
        if !headerValid { return .dropped(.invalidHeader) }
        setHighestCommit(commitBefore, at: index)
        return .accepted
    }

    @usableFromInline var highestCommitCount: Int { highestCommit.count }
    @usableFromInline func highestCommitAt(_ index: Int) -> UInt64 { highestCommit[index] }
    @usableFromInline mutating func setHighestCommit(_ value: UInt64, at index: Int) { highestCommit[index] = value }
}
