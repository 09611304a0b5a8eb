/// Allocates frame sequence numbers and their header slots (spec §8.3, §10.2.1, §15.2).
///
/// `seq` starts at 0 for each epoch and `header_index = seq & (nslots - 1)`. A 64-bit sequence
/// cannot wrap in practice (584 years at 1 GHz), so overflow is not handled beyond Swift's trap.
public struct SequenceAllocator: Sendable, Hashable {
    /// Header ring slot count (a power of two).
    public let headerNslots: UInt32
    /// Sequence number the next call to ``next()`` returns.
    public private(set) var nextSeq: UInt64 = 0
    private let mask: UInt64

    /// Creates an allocator; returns `nil` when `headerNslots` is not a non-zero power of two.
    public init?(headerNslots: UInt32) {
        guard headerNslots != 0, headerNslots & (headerNslots - 1) == 0 else { return nil }
        self.headerNslots = headerNslots
        mask = UInt64(headerNslots) - 1
    }

    /// The next `(seq, headerIndex)`.
    @inlinable
    public mutating func next() -> (seq: UInt64, headerIndex: UInt32) {
        let seq = nextSeq
        advance()
        return (seq, headerIndex(of: seq))
    }

    /// The header slot of `seq`.
    @inlinable
    public func headerIndex(of seq: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: seq & indexMask)
    }

    /// New epoch: restart at 0 (§15.2).
    public mutating func resetForNewEpoch() { nextSeq = 0 }

    @usableFromInline var indexMask: UInt64 { mask }
    @usableFromInline mutating func advance() { nextSeq += 1 }
}
