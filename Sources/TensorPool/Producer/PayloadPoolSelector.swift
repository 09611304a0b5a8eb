/// Chooses the payload pool for a frame (spec §9): the smallest `stride_bytes >= values_len_bytes`.
///
/// A frame larger than every stride is dropped and counted, never blocked. Allocation-free after init.
public struct PayloadPoolSelector: Sendable {
    /// A pool choice.
    public struct Pool: Sendable, Hashable {
        /// Pool id.
        public var poolId: UInt16
        /// Slot capacity in bytes.
        public var strideBytes: UInt32
        /// A pool of `strideBytes`-byte slots (spec §9). Not validated here: strides come from a configuration the
        /// loader has already checked.
        public init(poolId: UInt16, strideBytes: UInt32) {
            self.poolId = poolId
            self.strideBytes = strideBytes
        }
    }

    /// Pools sorted by increasing stride.
    public let pools: [Pool]
    /// Frames dropped because no pool was large enough.
    public private(set) var oversizeDrops: UInt64 = 0

    /// A selector over `pools` in any order; they are sorted once here (by stride, then id) so selection is a
    /// linear scan with no allocation on the publish path.
    public init(pools: [Pool]) {
        self.pools = pools.sorted { ($0.strideBytes, $0.poolId) < ($1.strideBytes, $1.poolId) }
    }

    /// The smallest pool whose stride holds `valuesLength` bytes, or `nil` (and one oversize drop counted).
    @inlinable
    public mutating func select(valuesLength: UInt64) -> Pool? {
        if let pool = smallestFitting(valuesLength) { return pool }
        countOversize()
        return nil
    }

    /// The smallest pool whose stride holds `valuesLength` bytes, without counting.
    @inlinable
    public func smallestFitting(_ valuesLength: UInt64) -> Pool? {
        var i = 0
        while i < pools.count {
            if UInt64(pools[i].strideBytes) >= valuesLength { return pools[i] }
            i += 1
        }
        return nil
    }

    @usableFromInline mutating func countOversize() { oversizeDrops &+= 1 }
}
