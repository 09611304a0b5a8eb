import TensorPoolCore

/// The decimator's source-consumer handler: copies each delivered source frame straight into a claimed slot
/// of the target producer while the source seqlock read is open, then commits the claim only when the source
/// read validated (`intact`), and aborts it otherwise. One copy per frame, no allocation.
///
/// The target frame keeps the source frame's tensor layout (dtype, major order, shape, strides) and its
/// `timestamp_ns` (so target consumers measure latency from the original capture); `meta_version` is the
/// target stream's current one (source metadata is forwarded by ``TensorPoolDecimator``).
public struct DecimatorForwarder: TensorFrameHandler {
    /// The producer of the target stream.
    public let target: TensorPoolProducer
    /// The decimator's counters.
    public let statistics: DecimatorStatistics

    @usableFromInline var pending: ProducerClaim?
    @usableFromInline var pendingSeq: UInt64 = 0
    @usableFromInline var pendingHeader: TensorSlotHeader?
    @usableFromInline var pendingNowNs: UInt64 = 0
    /// Reused for every commit (building a `TensorLayout` from arrays would allocate).
    @usableFromInline var layout = TensorLayout(dtype: .uint8, shape: [1])

    init(target: TensorPoolProducer, statistics: DecimatorStatistics) {
        self.target = target
        self.statistics = statistics
    }

    /// Claims a target slot and copies the source payload into it, inside the source seqlock read.
    public mutating func onFrame(_ frame: borrowing TensorFrame) {
        if let stale = pending {
            // onFrameCompleted always follows onFrame; a leftover claim would block the target's claim order.
            target.abort(stale)
            pending = nil
            statistics.add(.aborted)
        }
        let count = frame.byteCount
        guard let claim = target.claim(byteCount: count, nowNs: frame.nowNs) else {
            statistics.add(.targetRejected)
            return
        }
        if count > 0, let destination = claim.payload.baseAddress {
            frame.withBytes { source in
                if let from = source.baseAddress { destination.copyMemory(from: from, byteCount: count) }
            }
        }
        pending = claim
        pendingSeq = frame.seq
        pendingHeader = frame.header
        pendingNowNs = frame.nowNs
    }

    /// Claims a target slot and copies the source payload into it, inside the source seqlock read.
    public mutating func onFrameCompleted(seq: UInt64, intact: Bool) {
        guard let claim = pending, pendingSeq == seq, let header = pendingHeader else { return }
        pending = nil
        pendingHeader = nil
        guard intact else {
            // The copy may hold bytes of a newer frame: never publish it.
            target.abort(claim)
            statistics.add(.aborted)
            return
        }
        layout.dtype = header.dtype
        layout.majorOrder = header.majorOrder
        layout.ndims = header.ndims
        layout.dims = header.dims
        layout.strides = header.strides
        let length = Int(header.valuesLenBytes)
        switch target.commit(claim, layout: layout, valuesLength: length, timestampNs: header.timestampNs,
                             nowNs: pendingNowNs) {
        case .published:
            statistics.add(.republished)
            statistics.add(.bytesRepublished, UInt64(length))
        case .descriptorNotSent:
            statistics.add(.descriptorFailures)
        case .dropped:
            statistics.add(.targetRejected)
        }
    }
}
