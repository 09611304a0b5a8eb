import TensorPoolCore

extension DropReason {
    /// The drop reason of a failed `TensorPoolCore.SeqlockReader` read.
    ///
    /// QoS accounting note: `TensorPoolCore.FrameDrop.isLate` only covers overwrites seen during or
    /// after the read; `drops_late` here also counts odd and stale commit words and every frame-id
    /// mismatch (see ``DropReason/isLate``), because the consumer could not read the frame in time in
    /// all of those cases.
    @inlinable
    public init(_ drop: FrameDrop) {
        switch drop {
        case .headerIndexOutOfRange: self = .headerIndexOutOfRange
        case .notCommitted: self = .notCommitted
        case .stale: self = .staleCommit
        case .frameIdMismatch: self = .frameIdMismatch
        case .torn: self = .torn
        case .invalidHeader: self = .invalidHeader
        case .destinationTooSmall: self = .destinationTooSmall
        }
    }
}

extension SlotReadOutcome {
    /// The outcome of a `TensorPoolCore.SeqlockReader` read (`withFrame` / `copyFrame`).
    @inlinable
    public init<Value>(_ result: FrameReadResult<Value>) {
        switch result {
        case .accepted: self = .accepted
        case .dropped(let drop): self = .dropped(DropReason(drop))
        }
    }
}
