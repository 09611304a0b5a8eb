import SharedMemory

extension SeqlockReader {
    /// Runs `body` over the filled prefix `[0, bytesFilled)` of frame `frameId`, which the producer may still be
    /// writing (spec §10.2.2 `FrameProgress`), and returns its result only if the slot held that frame for the
    /// whole call.
    ///
    /// Why the bytes are safe to read: a producer stages the frame's whole header while the slot is WRITING (see
    /// ``SlotWriter/stage(_:header:)``), writes payload bytes, and only then offers the `FrameProgress` that says
    /// they are filled; the Aeron offer (release) and poll (acquire) order those stores before this call. What
    /// remains is the slot being reclaimed for a later frame, which the commit-word check before and after the
    /// read detects, as in ``withFrame(seq:headerIndex:_:)``.
    ///
    /// Sequence: acquire-load the commit word, which must name `frameId` (WRITING or COMMITTED, else
    /// ``FramePrefixRefusal/slotHoldsOtherFrame(found:)``); decode the header, whose `frame_id` must be `frameId`
    /// (else ``FramePrefixRefusal/headerNotStaged(found:)``) and which must pass §8.2 validation against its pool;
    /// `payload_offset` must be 0 and the strides dense (else the progress is informational only, §10.2.2);
    /// `bytesFilled` must not exceed `values_len_bytes`; run `body`; then an acquire fence and a second load of the
    /// commit word: still naming `frameId` (WRITING or COMMITTED) → ``FramePrefixRead/intact(_:)``, anything else →
    /// ``FramePrefixRead/torn``. A refusal found while the commit word moved is reported as torn too. Nothing here
    /// waits or allocates, and the per-slot history of ``withFrame(seq:headerIndex:_:)`` is not touched.
    ///
    /// As with ``withFrame(seq:headerIndex:_:)``, after a `.torn` result the closure's side effects are the
    /// caller's problem: only its value is discarded. The header's `timestamp_ns` is not meaningful before the
    /// commit (the producer stamps it then).
    @inlinable
    public func withPrefix<R>(
        frameId: UInt64, headerIndex: UInt32, bytesFilled: UInt64,
        _ body: (_ header: TensorSlotHeader, _ prefix: RawSpan) -> R
    ) -> FramePrefixRead<R> {
        let slot: StagedSlot
        switch lookUpStaged(frameId: frameId, headerIndex: headerIndex) {
        case .staged(let staged): slot = staged
        case .refused(let reason): return .refused(reason)
        case .torn: return .torn
        }
        let header = slot.header
        let commitOffset = slot.commitOffset
        if header.payloadOffset != 0 {
            return prefixRefusal(.payloadOffsetNotZero(header.payloadOffset), commitOffset, frameId)
        }
        if !header.hasDenseStrides { return prefixRefusal(.nonContiguousStrides, commitOffset, frameId) }
        if bytesFilled > UInt64(header.valuesLenBytes) {
            return prefixRefusal(.filledBeyondPayload(filled: bytesFilled, valuesLenBytes: header.valuesLenBytes),
                                 commitOffset, frameId)
        }
        // validate() passed: values_len_bytes (>= bytesFilled) fits the pool stride at payload_offset 0.
        let pool = poolTable.entries[slot.poolIndex]
        let bytes = pool.buffer.bytes(at: RegionLayout.payloadSlotOffset(slot.index, strideBytes: pool.strideBytes),
                                      count: Int(bytesFilled))
        let result = body(header, unsafe RawSpan(_unsafeBytes: bytes))
        // Same frame id: WRITING → COMMITTED of this frame changes no staged header field or filled byte.
        return stillNames(frameId, commitOffset: commitOffset) ? .intact(result) : .torn
    }

    /// The first half of a prefix or row read: the commit word must name `frameId` (WRITING or COMMITTED), the
    /// header must carry `frameId` and pass §8.2 validation against its mapped pool. A refusal found while the
    /// commit word moved is reported as `.torn`.
    @inlinable
    func lookUpStaged(frameId: UInt64, headerIndex: UInt32) -> StagedSlotLookup {
        let index = Int(headerIndex)
        guard index < nslots else { return .refused(.headerIndexOutOfRange(headerIndex)) }
        let ring = self.ring
        let slot = RegionLayout.headerSlotOffset(index)
        let commitOffset = slot + RegionLayout.SlotHeader.commitWord
        let first = UInt64(bitPattern: ring.int64Acquire(at: commitOffset))
        guard CommitWord.frameId(first) == frameId else {
            return .refused(.slotHoldsOtherFrame(found: CommitWord.frameId(first)))
        }
        let header: TensorSlotHeader
        do { header = try TensorSlotHeader(from: ring, slotOffset: slot) } catch {
            return .refused(.invalidHeader(.slotOutsideRegion(headerIndex: headerIndex)))
        }
        if header.frameId != frameId {
            return lookupRefusal(.headerNotStaged(found: header.frameId), commitOffset, frameId)
        }
        let p = poolTable.index(of: header.poolId)
        if let failure = header.validate(headerIndex: headerIndex, poolStrideBytes: p < 0 ? nil : poolTable.entries[p].strideBytes,
                                         cache: &shapeCache.pointee) {
            return lookupRefusal(.invalidHeader(failure), commitOffset, frameId)
        }
        guard p >= 0 else { return .refused(.invalidHeader(.unknownPool(header.poolId))) }
        return .staged(StagedSlot(header: header, poolIndex: p, index: index, commitOffset: commitOffset))
    }

    /// ``prefixRefusal(_:_:_:)`` for ``lookUpStaged(frameId:headerIndex:)``.
    @inlinable
    func lookupRefusal(_ reason: FramePrefixRefusal, _ commitOffset: Int, _ frameId: UInt64) -> StagedSlotLookup {
        stillNames(frameId, commitOffset: commitOffset) ? .refused(reason) : .torn
    }

    /// `reason`, or `.torn` if the commit word no longer names `frameId` (so a header that looked wrong was just
    /// being overwritten by a later frame).
    @inlinable
    func prefixRefusal<R>(_ reason: FramePrefixRefusal, _ commitOffset: Int, _ frameId: UInt64) -> FramePrefixRead<R> {
        stillNames(frameId, commitOffset: commitOffset) ? .refused(reason) : .torn
    }

    /// The closing half of a prefix or row read: after an acquire fence (every load made so far, the caller's
    /// included, is ordered before it) the commit word still names `frameId`, WRITING or COMMITTED.
    @inlinable
    func stillNames(_ frameId: UInt64, commitOffset: Int) -> Bool {
        AtomicBuffer.acquireFence()
        return CommitWord.frameId(UInt64(bitPattern: ring.int64Relaxed(at: commitOffset))) == frameId
    }
}

/// What ``SeqlockReader/lookUpStaged(frameId:headerIndex:)`` found in a slot.
@usableFromInline
enum StagedSlotLookup {
    /// The slot holds the frame and its staged, valid header.
    case staged(StagedSlot)
    /// No prefix can be read, for this reason.
    case refused(FramePrefixRefusal)
    /// The commit word moved during the check.
    case torn
}

/// A slot that holds the frame being read and its staged, valid header (``StagedSlotLookup/staged(_:)``).
@usableFromInline
struct StagedSlot {
    @usableFromInline let header: TensorSlotHeader
    /// Index of the header's pool in the reader's pool table.
    @usableFromInline let poolIndex: Int
    /// Header and payload slot index.
    @usableFromInline let index: Int
    /// Offset of the slot's commit word in the header ring.
    @usableFromInline let commitOffset: Int

    @inlinable
    init(header: TensorSlotHeader, poolIndex: Int, index: Int, commitOffset: Int) {
        self.header = header
        self.poolIndex = poolIndex
        self.index = index
        self.commitOffset = commitOffset
    }
}
