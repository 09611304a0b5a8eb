/// Plans producer frames: pool choice by size class, then sequence number and slots.
/// Allocation-free after init.
///
/// A frame larger than every stride is dropped and counted *before* a sequence number is taken,
/// so an oversize frame never shows up as a `drops_gap` at consumers. Reservations for DMA
/// (``reserve(poolId:)``) take the next sequence number in order; publish them in the same order
/// to avoid sequence gaps (USE_CASES "Device DMA into SHM").
public struct ProducerFramePlanner: Sendable {
    /// Sequence and header-slot allocation.
    public private(set) var sequence: SequenceAllocator
    /// Pool choice by size class.
    public private(set) var selector: PayloadPoolSelector

    /// `nil` when `headerNslots` is not a power of two.
    public init?(headerNslots: UInt32, pools: [PayloadPoolConfiguration]) {
        guard let sequence = SequenceAllocator(headerNslots: headerNslots) else { return nil }
        self.sequence = sequence
        selector = PayloadPoolSelector(pools: pools.map { .init(poolId: $0.poolId, strideBytes: $0.strideBytes) })
    }

    /// Plans a frame of `valuesLength` bytes, or returns `nil` (counted in ``oversizeDrops``).
    public mutating func plan(valuesLength: UInt64) -> FramePlan? {
        guard let pool = selector.select(valuesLength: valuesLength) else { return nil }
        return take(pool)
    }

    /// Reserves the next slot in pool `poolId` before the length is known (DMA), or `nil` for an unknown pool.
    public mutating func reserve(poolId: UInt16) -> FramePlan? {
        var i = 0
        while i < selector.pools.count {
            if selector.pools[i].poolId == poolId { return take(selector.pools[i]) }
            i += 1
        }
        return nil
    }

    /// Frames dropped because no pool was large enough.
    public var oversizeDrops: UInt64 { selector.oversizeDrops }

    /// New epoch: sequence restarts at 0 (§15.2).
    public mutating func resetForNewEpoch() { sequence.resetForNewEpoch() }

    private mutating func take(_ pool: PayloadPoolSelector.Pool) -> FramePlan {
        let slot = sequence.next()
        return FramePlan(seq: slot.seq, headerIndex: slot.headerIndex, poolId: pool.poolId, payloadSlot: slot.headerIndex,
                         strideBytes: pool.strideBytes)
    }
}
