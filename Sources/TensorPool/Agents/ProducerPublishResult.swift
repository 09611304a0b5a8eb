import AeronClient
import TensorPoolCore

/// Outcome of a producer publish or commit. Never thrown: returned by value from the hot path.
public enum ProducerPublishResult: Sendable, Equatable {
    /// Committed and announced with a `FrameDescriptor` (counted in `framesPublished`).
    case published(seq: UInt64)
    /// Committed in SHM but the descriptor offer failed (counted in `descriptorOfferFailures`): consumers will
    /// see a gap.
    case descriptorNotSent(seq: UInt64, PublicationResult)
    /// Not committed.
    case dropped(ProducerDropReason)

    /// The sequence number when the frame was committed.
    public var seq: UInt64? {
        switch self {
        case .published(let seq), .descriptorNotSent(let seq, _): seq
        case .dropped: nil
        }
    }
}

/// Why a producer did not commit a frame.
public enum ProducerDropReason: Sendable, Equatable, CustomStringConvertible {
    /// Larger than every pool's stride (§9: dropped, never blocked).
    case tooLarge(bytes: Int)
    /// The layout does not describe the payload (dtype, shape, strides vs `values_len_bytes`).
    case invalidLayout(String)
    /// A commit for a claim that is not the oldest one in flight (descriptors must go out in `seq` order).
    case outOfOrder(expectedSeq: UInt64, claimSeq: UInt64)
    /// Zero-copy commit: the claim does not belong to this producer's current epoch or was already
    /// committed/aborted. Copy-path publish: the slot writer refused the planned slot (its pool is not in the
    /// mapped regions, or `seq` reached 2^63), counted in `claimsRefused` as the zero-copy path counts it.
    case unknownClaim
    /// The producer is closed.
    case closed
    /// A commit of a claim whose header was staged at claim time
    /// (``TensorPoolProducer/claim(byteCount:layout:metaVersion:nowNs:)``) with another layout, values length or
    /// `meta_version` than the staged one. Nothing was written: consumers may already have read prefixes under the
    /// staged layout, so it cannot change. The claim stays open: commit it with the staged layout
    /// (``TensorPoolProducer/commit(_:timestampNs:nowNs:)``) or abort it.
    case stagedLayoutMismatch
    /// ``TensorPoolProducer/commit(_:timestampNs:nowNs:)`` for a claim made without a layout: there is no staged
    /// header to commit. Nothing was written; the claim stays open (commit it with a layout, or abort it).
    case noStagedLayout

    /// One-line reason for logs and `tp` output, with the sizes or sequence numbers involved.
    public var description: String {
        switch self {
        case .tooLarge(let bytes): "frame of \(bytes) bytes larger than every payload pool"
        case .invalidLayout(let why): "invalid layout: \(why)"
        case .outOfOrder(let expected, let seq): "commit of seq \(seq) while seq \(expected) is still in flight"
        case .unknownClaim: "unknown or finished claim"
        case .closed: "producer closed"
        case .stagedLayoutMismatch: "commit layout differs from the layout staged at claim"
        case .noStagedLayout: "claim has no staged layout"
        }
    }
}

/// A payload slot handed out for zero-copy writing (device DMA, in-place rendering). Fill `payload`, then
/// ``TensorPoolProducer/commit(_:layout:valuesLength:timestampNs:metaVersion:nowNs:)`` or
/// ``TensorPoolProducer/abort(_:)``. Claims are committed in the order they were made.
///
/// A claim made with a layout (``TensorPoolProducer/claim(byteCount:layout:metaVersion:nowNs:)``) already has its
/// slot header staged (``hasStagedLayout``): consumers that opted in can read the filled prefix while it is written;
/// commit it with ``TensorPoolProducer/commit(_:timestampNs:nowNs:)``.
public struct ProducerClaim: @unchecked Sendable {
    /// Frame sequence number (== `frame_id`).
    public let seq: UInt64
    /// Header ring slot (== payload slot).
    public let headerIndex: UInt32
    /// Payload pool the slot belongs to (spec §9): the smallest pool whose `stride_bytes` fits the requested size; it
    /// goes into the descriptor's slot header so consumers read the right pool.
    public let poolId: UInt16
    /// The whole payload slot (`stride_bytes`): write the frame at its start.
    public let payload: UnsafeMutableRawBufferPointer
    @usableFromInline let epoch: UInt64
    @usableFromInline let slot: SlotClaim
    /// The header staged at claim (layout, `values_len_bytes`, `meta_version`; frame id, slot and pool are the
    /// claim's), or `nil` when the layout comes at commit.
    @usableFromInline let stagedHeader: TensorSlotHeader?

    @usableFromInline
    init(slot: SlotClaim, headerIndex: UInt32, epoch: UInt64, stagedHeader: TensorSlotHeader? = nil) {
        seq = slot.frameId
        self.headerIndex = headerIndex
        poolId = slot.poolId
        payload = slot.payload
        self.epoch = epoch
        self.slot = slot
        self.stagedHeader = stagedHeader
    }

    /// Whether the slot header (layout, values length, `meta_version`) was staged at claim time, so the frame's
    /// filled prefix is readable by consumers while it is written (spec §10.2.2).
    public var hasStagedLayout: Bool { stagedHeader != nil }

    /// Bytes available (`stride_bytes`).
    public var strideBytes: Int { payload.count }
}
