import TensorPoolCore

/// The filled prefix `[0, payload_bytes_filled)` of a frame still being written, as seen by a consumer whose
/// handler reads progress prefixes (spec §10.2.2), valid only during ``TensorFrameHandler/onProgressPrefix(_:)``:
/// it is non-copyable and passed borrowed, so neither it nor its bytes can escape the read.
///
/// The safety rule: the producer staged the frame's header at claim
/// (``TensorPoolProducer/claim(byteCount:layout:metaVersion:nowNs:)``) and sent the `FrameProgress` only after
/// these bytes were written, so they are final, unless the producer reclaims the slot for a later frame during
/// the callback. The consumer re-checks the slot's commit word after the callback and then calls
/// ``TensorFrameHandler/onProgressPrefixCompleted(frameId:intact:)``: with `intact == false` everything read here
/// may be torn and must be discarded. Only contiguous layouts with `payload_offset == 0` are handed out.
public struct FramePrefix: ~Copyable {
    /// The `FrameProgress` update this prefix belongs to (frame id, slot, bytes and rows filled, state).
    public let progress: FrameProgressUpdate
    /// The slot header staged by the producer for this frame (dtype, shape, strides, `values_len_bytes`,
    /// `meta_version`); its `timestamp_ns` is not meaningful before the commit.
    public let header: TensorSlotHeader
    /// Duty-cycle time at which the prefix was read (`CLOCK_MONOTONIC`).
    public let nowNs: UInt64
    @usableFromInline let payload: UnsafeRawBufferPointer

    @usableFromInline
    init(progress: FrameProgressUpdate, header: TensorSlotHeader, nowNs: UInt64, payload: UnsafeRawBufferPointer) {
        self.progress = progress
        self.header = header
        self.nowNs = nowNs
        self.payload = payload
    }

    /// The frame's sequence number (`frame_id`, the `seq` its `FrameDescriptor` will carry).
    public var frameId: UInt64 { progress.frameId }
    /// Bytes in the prefix (`payload_bytes_filled`, at most `values_len_bytes`).
    public var byteCount: Int { payload.count }
    /// Complete slices along the outermost dimension in the prefix (rows of a row-major image, columns of a
    /// column-major one): `byteCount` divided by the bytes of one slice. 0 for BIT tensors (packed bits).
    public var completeOuterSlices: Int {
        guard let elementSize = header.dtype.elementSize, header.ndims >= 1 else { return 0 }
        let n = Int(header.ndims)
        let outer = header.majorOrder == .column ? n - 1 : 0
        var sliceBytes = elementSize
        for i in 0..<n where i != outer { sliceBytes = sliceBytes.multipliedReportingOverflow(by: Int(header.dims[i])).partialValue }
        return sliceBytes > 0 ? payload.count / sliceBytes : 0
    }

    /// Runs `body` over the prefix bytes (do not keep the pointer).
    @inlinable
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(payload)
    }
}
