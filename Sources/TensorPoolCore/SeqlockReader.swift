import SharedMemory
import TensorPoolCodecs

/// The consumer side of the commit protocol (§8.3, §15.3, §15.19, §15.21) over mapped (read-only) regions.
///
/// Payload bytes are reachable only inside ``withFrame(seq:headerIndex:_:)``'s closure, as a `RawSpan` that
/// cannot escape it, and the commit word is re-validated *after* the closure returns:
/// ```swift
/// switch reader.withFrame(seq: d.seq, headerIndex: d.headerIndex) { header, payload in checksum(payload) } {
/// case .accepted(let sum): use(sum)          // the frame was stable during the whole closure
/// case .dropped(let why): count(why)         // torn / overwritten / not committed ...
/// }
/// ```
/// **When the result is `.dropped(.torn)`, the closure ran over bytes that the producer was overwriting: the
/// closure must not have side effects that outlive it (publishing, writing to shared state) based on those
/// bytes.** Only the returned value is discarded by the reader; anything else the closure did cannot be
/// undone. To keep data, use ``copyFrame(seq:headerIndex:into:)``, which copies under the lock and reports a
/// torn copy as dropped.
///
/// Read sequence: acquire-load the commit word (odd → ``FrameDrop/notCommitted``; lower than the highest word
/// seen for this slot → ``FrameDrop/stale``; not `seq << 1` → ``FrameDrop/frameIdMismatch(expected:found:)``),
/// decode and validate the header, run the closure over the payload, then an acquire fence and a second load
/// of the commit word: any change → ``FrameDrop/torn``. Nothing here waits or allocates.
///
/// One reader per consumer thread (it keeps per-slot state).
public final class SeqlockReader {
    /// The ring read (kept alive by the reader).
    public let headerRing: HeaderRing
    /// The pools read, with the ring's slot count.
    public let pools: [PayloadPool]
    /// Highest commit word accepted per slot (§15.3 stale detection), `nslots` words owned by the reader. Behind a
    /// pointer rather than in a stored `[UInt64]` var: every access to a class's stored `var` pays a dynamic
    /// exclusivity check (and an array uniqueness check on write), twice per frame read.
    @usableFromInline let highestCommitSeen: UnsafeMutablePointer<UInt64>
    /// The last valid header shape (validated once per shape, not per frame); behind a pointer for the same
    /// reason as `highestCommitSeen`.
    @usableFromInline let shapeCache: UnsafeMutablePointer<HeaderShapeCache>
    /// The ring mapping's bytes (the mapping is kept alive by `headerRing`).
    @usableFromInline let ring: AtomicBuffer
    @usableFromInline let nslots: Int
    /// Pool ids, mapped bytes and strides (the mappings are kept alive by `pools`).
    @usableFromInline let poolTable: PoolTable

    /// A reader over a mapped ring and its pools; every pool must have the ring's slot count (§15.5).
    public init(headerRing: HeaderRing, pools: [PayloadPool]) throws(RegionError) {
        for pool in pools where pool.nslots != headerRing.nslots {
            throw .invalidSlotCount(nslots: pool.nslots, reason: "pool \(pool.poolId) has \(pool.nslots) slots, the header ring \(headerRing.nslots)")
        }
        var ids = Set<UInt16>()
        for pool in pools where !ids.insert(pool.poolId).inserted {
            throw .invalidConfiguration("duplicate pool_id \(pool.poolId)")
        }
        self.headerRing = headerRing
        self.pools = pools
        self.highestCommitSeen = .allocate(capacity: max(headerRing.nslots, 1))
        self.highestCommitSeen.initialize(repeating: 0, count: max(headerRing.nslots, 1))
        self.shapeCache = .allocate(capacity: 1)
        self.shapeCache.initialize(to: HeaderShapeCache())
        self.ring = headerRing.buffer
        self.nslots = headerRing.nslots
        self.poolTable = PoolTable(pools)
    }

    deinit {
        highestCommitSeen.deallocate()
        shapeCache.deinitialize(count: 1)
        shapeCache.deallocate()
        poolTable.deallocate()
    }

    /// Forgets the per-slot history (after a remap the reader is normally recreated instead).
    public func resetTracking() {
        highestCommitSeen.update(repeating: 0, count: max(nslots, 1))
    }

    /// Runs `body` over frame `seq` in slot `headerIndex` and returns its result only if the slot held that
    /// committed frame, unchanged, for the whole call. See the type documentation for what a `.torn` result
    /// means for the closure's side effects.
    @inlinable
    public func withFrame<R>(
        seq: UInt64, headerIndex: UInt32, _ body: (_ header: TensorSlotHeader, _ payload: RawSpan) -> R
    ) -> FrameReadResult<R> {
        let index = Int(headerIndex)
        guard index < nslots else { return .dropped(.headerIndexOutOfRange(headerIndex)) }
        let ring = self.ring
        let slot = RegionLayout.headerSlotOffset(index)
        let commitOffset = slot + RegionLayout.SlotHeader.commitWord
        let first = UInt64(bitPattern: ring.int64Acquire(at: commitOffset))
        if CommitWord.isWriting(first) { return .dropped(.notCommitted) }
        if first < highestCommitSeen[index] { return .dropped(.stale) }
        if CommitWord.frameId(first) != seq { return .dropped(.frameIdMismatch(expected: seq, found: CommitWord.frameId(first))) }

        let header: TensorSlotHeader
        do { header = try TensorSlotHeader(from: ring, slotOffset: slot) } catch {
            return .dropped(.invalidHeader(.slotOutsideRegion(headerIndex: headerIndex)))
        }
        let p = poolTable.index(of: header.poolId)
        if header.frameId != seq {
            return unstable(ring, commitOffset, first) ?? .dropped(.frameIdMismatch(expected: seq, found: header.frameId))
        }
        if let failure = header.validate(headerIndex: headerIndex, poolStrideBytes: p < 0 ? nil : poolTable.entries[p].strideBytes,
                                         cache: &shapeCache.pointee) {
            return unstable(ring, commitOffset, first) ?? .dropped(.invalidHeader(failure))
        }
        // validate() returned nil, so the pool exists and offset + length fits in its stride.
        guard p >= 0 else { return .dropped(.invalidHeader(.unknownPool(header.poolId))) }
        let pool = poolTable.entries[p]
        let payloadStart = RegionLayout.payloadSlotOffset(index, strideBytes: pool.strideBytes) + Int(header.payloadOffset)
        let bytes = pool.buffer.bytes(at: payloadStart, count: Int(header.valuesLenBytes))
        let result = body(header, unsafe RawSpan(_unsafeBytes: bytes))

        // Orders every load made by `body` before the re-check of the commit word.
        AtomicBuffer.acquireFence()
        let second = UInt64(bitPattern: ring.int64Relaxed(at: commitOffset))
        guard second == first else { return .dropped(.torn) }
        highestCommitSeen[index] = first
        return .accepted(result)
    }

    /// Copies frame `seq`'s payload (`values_len_bytes` bytes) to the start of `destination` under the seqlock
    /// and returns its header. A torn copy is reported as dropped (the destination then holds garbage).
    @inlinable
    public func copyFrame(seq: UInt64, headerIndex: UInt32, into destination: UnsafeMutableRawBufferPointer) -> FrameReadResult<TensorSlotHeader> {
        var tooSmall = -1
        let result = withFrame(seq: seq, headerIndex: headerIndex) { header, payload -> TensorSlotHeader in
            let count = payload.byteCount
            if count > destination.count {
                tooSmall = count
            } else if count > 0 {
                payload.withUnsafeBytes { source in
                    destination.baseAddress!.copyMemory(from: source.baseAddress!, byteCount: count)
                }
            }
            return header
        }
        if tooSmall >= 0, case .accepted = result { return .dropped(.destinationTooSmall(required: tooSmall)) }
        return result
    }

    /// `.torn` if the commit word moved away from `first` (so a header that looked wrong was just torn).
    @inlinable
    func unstable<R>(_ ring: AtomicBuffer, _ commitOffset: Int, _ first: UInt64) -> FrameReadResult<R>? {
        AtomicBuffer.acquireFence()
        return UInt64(bitPattern: ring.int64Relaxed(at: commitOffset)) == first ? nil : .dropped(.torn)
    }
}
