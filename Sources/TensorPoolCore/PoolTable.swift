import SharedMemory

/// A ring's pools as a fixed table behind a pointer (id, mapped bytes, stride per pool), for the per-frame pool
/// lookup of ``SlotWriter`` and ``SeqlockReader``: reading them through `[PayloadPool]` retained and released a
/// pool object or an array buffer on every frame. The owner keeps the mappings alive (its `pools` array) and
/// calls ``deallocate()`` in its `deinit`.
@usableFromInline
struct PoolTable {
    @usableFromInline
    struct Entry {
        @usableFromInline let poolId: UInt16
        @usableFromInline let buffer: AtomicBuffer
        @usableFromInline let strideBytes: Int
    }

    @usableFromInline let entries: UnsafeMutablePointer<Entry>
    @usableFromInline let count: Int

    init(_ pools: [PayloadPool]) {
        count = pools.count
        entries = .allocate(capacity: max(pools.count, 1))
        for (i, pool) in pools.enumerated() {
            (entries + i).initialize(to: Entry(poolId: pool.poolId, buffer: pool.buffer, strideBytes: pool.strideBytes))
        }
    }

    func deallocate() {
        entries.deinitialize(count: count)
        entries.deallocate()
    }

    /// Index of pool `id`, or -1.
    @inlinable
    func index(of id: UInt16) -> Int {
        var i = 0
        while i < count {
            if entries[i].poolId == id { return i }
            i += 1
        }
        return -1
    }
}
