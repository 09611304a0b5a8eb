import CSystemShims
import SharedMemory
import TensorPoolCodecs

/// The producer side of the commit protocol (§8.3, §15.19), for one header ring and its pools.
///
/// Single writer: one `SlotWriter` per ring, used from one thread. Publishing a frame:
/// ```swift
/// guard let claim = writer.claim(frameId: seq, poolId: 1) else { return }  // commit word = (seq << 1) | 1
/// fill(claim.payload)                                                      // memcpy or device DMA
/// if let problem = writer.commit(claim, header: header) { log(problem) }   // header, then (seq << 1), release
/// ```
/// or ``publish(frameId:header:payload:)`` which does the three steps with a memcpy.
///
/// Ordering: the WRITING word is stored and followed by a release fence, so no payload or header store can
/// become visible before it; the COMMITTED word is a release store, so every payload and header store is
/// visible before it. An aborted claim (``abort(_:)``) leaves the slot WRITING: readers drop it as
/// ``FrameDrop/notCommitted`` until the next claim of that slot overwrites it.
public final class SlotWriter: @unchecked Sendable {
    /// The ring written (kept alive by the writer).
    public let headerRing: HeaderRing
    /// The pools written, with the ring's slot count.
    public let pools: [PayloadPool]
    /// The last valid header shape, so an unchanged layout is not walked again every frame (one writer thread;
    /// behind a pointer: a class's stored `var` pays a dynamic exclusivity check per access).
    @usableFromInline let shapeCache: UnsafeMutablePointer<HeaderShapeCache>
    /// The ring's bytes and the pools' ids, bytes and strides, read per frame without retaining the ring or a pool
    /// object (the mappings are kept alive by `headerRing` and `pools`).
    @usableFromInline let ring: AtomicBuffer
    @usableFromInline let ringMask: Int
    @usableFromInline let poolTable: PoolTable

    /// A writer over writable mappings; every pool must have the ring's slot count (§15.5).
    public init(headerRing: HeaderRing, pools: [PayloadPool]) throws(RegionError) {
        guard headerRing.file.isWritable, pools.allSatisfy({ $0.file.isWritable }) else {
            throw .invalidConfiguration("SlotWriter needs writable mappings")
        }
        for pool in pools where pool.nslots != headerRing.nslots {
            throw .invalidSlotCount(nslots: pool.nslots, reason: "pool \(pool.poolId) has \(pool.nslots) slots, the header ring \(headerRing.nslots)")
        }
        self.headerRing = headerRing
        self.pools = pools
        self.shapeCache = .allocate(capacity: 1)
        self.shapeCache.initialize(to: HeaderShapeCache())
        self.ring = headerRing.buffer
        self.ringMask = headerRing.mask
        self.poolTable = PoolTable(pools)
    }

    deinit {
        shapeCache.deinitialize(count: 1)
        shapeCache.deallocate()
        poolTable.deallocate()
    }

    /// A writer over a ``RegionSet``'s regions.
    public convenience init(regions: RegionSet) throws(RegionError) {
        try self.init(headerRing: regions.headerRing, pools: regions.pools)
    }

    /// Asks for the lines frame `frameId`'s claim and commit will store to, in a writable state, ahead of the
    /// claim: the slot header's first two lines (the commit word and fixed fields; `dims`/`strides`) and the first
    /// line of its payload slot in pool `poolId`. The last reader of those lines (a consumer, `nslots` frames ago)
    /// holds them; without this, the first store to each waits for it in the store buffer and every later store of
    /// the frame, its descriptor's included, waits behind (x86 keeps stores in order). A hint only: no data
    /// changes; a reader still on the slot keeps reading (its seqlock decides).
    @inlinable
    public func prefetchSlot(frameId: UInt64, poolId: UInt16) {
        let index = Int(truncatingIfNeeded: frameId) & ringMask
        let header = UnsafeRawPointer(ring.base) + RegionLayout.headerSlotOffset(index)
        shims_prefetch_for_write(header)
        shims_prefetch_for_write(header + 64)
        let p = poolTable.index(of: poolId)
        guard p >= 0 else { return }
        let pool = poolTable.entries[p]
        shims_prefetch_for_write(UnsafeRawPointer(pool.buffer.base) + RegionLayout.payloadSlotOffset(index, strideBytes: pool.strideBytes))
    }

    /// Marks slot `frameId & mask` WRITING and hands out its payload slot in pool `poolId`.
    /// Returns `nil` (nothing written) when the pool is unknown or `frameId >= 2^63`.
    @inlinable
    public func claim(frameId: UInt64, poolId: UInt16) -> SlotClaim? {
        let p = poolTable.index(of: poolId)
        guard frameId < 1 << 63, p >= 0 else { return nil }
        let pool = poolTable.entries[p]
        let index = Int(truncatingIfNeeded: frameId) & ringMask
        let commitOffset = RegionLayout.headerSlotOffset(index) + RegionLayout.SlotHeader.commitWord
        ring.setInt64Relaxed(Int64(bitPattern: CommitWord.writing(frameId)), at: commitOffset)
        // Orders the WRITING store before every later payload/header store (store-store barrier).
        AtomicBuffer.releaseFence()
        let payload = pool.buffer.mutableBytes(
            at: RegionLayout.payloadSlotOffset(index, strideBytes: pool.strideBytes), count: pool.strideBytes)
        return SlotClaim(frameId: frameId, headerIndex: index, poolId: poolId, payload: payload)
    }

    /// Writes the header (with `frame_id`, `payload_slot` and `pool_id` taken from the claim) and then the
    /// COMMITTED word with release ordering. The header is validated first: an invalid header is not
    /// committed (the slot stays WRITING, as after ``abort(_:)``) and the reason is returned.
    @inlinable @discardableResult
    public func commit(_ claim: SlotClaim, header: TensorSlotHeader) -> HeaderValidationFailure? {
        if let failure = stage(claim, header: header) { return failure }
        ring.setInt64Release(
            Int64(bitPattern: CommitWord.committed(claim.frameId)),
            at: RegionLayout.headerSlotOffset(claim.headerIndex) + RegionLayout.SlotHeader.commitWord)
        return nil
    }

    /// Validates and writes the whole header of a claimed slot (with `frame_id`, `payload_slot` and `pool_id`
    /// taken from the claim) without committing it; finish with ``commitStaged(_:timestampNs:)``. Lets a
    /// producer write the header lines before it reads the frame's clock, so the cache misses a large payload
    /// fill left on them are not inside the stamped latency.
    ///
    /// Safe while the commit word says WRITING, which it does from ``claim(frameId:poolId:)`` (a store followed
    /// by a release fence, so it is visible no later than these header stores) until the COMMITTED release store:
    /// a reader that loads WRITING drops the slot as not committed; a reader that loaded the slot's previous
    /// COMMITTED word before the claim finds a different word at its re-check and drops the read as torn. No
    /// reader can therefore accept header fields staged here before the COMMITTED store, which is ordered
    /// after them. Returns the validation failure (nothing written) for an invalid header.
    @inlinable
    public func stage(_ claim: SlotClaim, header: TensorSlotHeader) -> HeaderValidationFailure? {
        var header = header
        header.frameId = claim.frameId
        header.payloadSlot = UInt32(claim.headerIndex)
        header.poolId = claim.poolId
        if let failure = header.validate(headerIndex: UInt32(claim.headerIndex), poolStrideBytes: claim.strideBytes,
                                         cache: &shapeCache.pointee) {
            return failure
        }
        let offset = RegionLayout.headerSlotOffset(claim.headerIndex)
        do { try header.write(to: ring, slotOffset: offset) } catch {
            return .slotOutsideRegion(headerIndex: UInt32(claim.headerIndex))
        }
        return nil
    }

    /// Commits a slot whose header ``stage(_:header:)`` wrote: stores `timestamp_ns`, then the COMMITTED word
    /// with release ordering (every header and payload store is visible before it).
    @inlinable
    public func commitStaged(_ claim: SlotClaim, timestampNs: UInt64) {
        let offset = RegionLayout.headerSlotOffset(claim.headerIndex)
        // In bounds: stage() wrote the whole 256-byte slot at this offset.
        (ring.base + offset + RegionLayout.SlotHeader.timestampNs).storeBytes(of: timestampNs.littleEndian, as: UInt64.self)
        ring.setInt64Release(
            Int64(bitPattern: CommitWord.committed(claim.frameId)), at: offset + RegionLayout.SlotHeader.commitWord)
    }

    /// Gives up a claim. The slot keeps its WRITING word (its previous frame is gone, its payload may be
    /// partial), so every reader drops it as not committed until the slot is claimed again.
    @inlinable
    public func abort(_ claim: SlotClaim) {
        let offset = RegionLayout.headerSlotOffset(claim.headerIndex) + RegionLayout.SlotHeader.commitWord
        ring.setInt64Release(Int64(bitPattern: CommitWord.writing(claim.frameId)), at: offset)
    }

    /// Claim, copy `payload` to the start of the payload slot, set `values_len_bytes` to its size and commit.
    /// Returns `false` (nothing committed) for an unknown pool, a payload larger than the stride or an invalid
    /// header.
    @inlinable @discardableResult
    public func publish(frameId: UInt64, header: TensorSlotHeader, payload: UnsafeRawBufferPointer) -> Bool {
        let p = poolTable.index(of: header.poolId)
        guard p >= 0, payload.count <= poolTable.entries[p].strideBytes else { return false }
        guard let claim = claim(frameId: frameId, poolId: header.poolId) else { return false }
        if let base = payload.baseAddress, payload.count > 0 {
            claim.payload.baseAddress!.copyMemory(from: base, byteCount: payload.count)
        }
        var header = header
        header.valuesLenBytes = UInt32(payload.count)
        header.payloadOffset = 0
        return commit(claim, header: header) == nil
    }
}
