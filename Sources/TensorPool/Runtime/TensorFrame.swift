import TensorPoolCore

/// One committed frame as seen by a consumer, valid only during ``TensorFrameHandler/onFrame(_:)`` (it is
/// non-copyable and passed borrowed, so neither it nor its payload can escape the seqlock read).
///
/// The payload is read while the producer may already be overwriting the slot: only after `onFrame` returns
/// does the consumer re-check the commit word, then calls ``TensorFrameHandler/onFrameCompleted(seq:intact:)``.
/// With `intact == false` everything read in `onFrame` was torn and must be discarded. In FALLBACK the payload is
/// the consumer's private reassembly buffer of a bridged frame (nothing writes it during the callback), so
/// `intact` is always `true` there; the handler code is the same for both paths.
public struct TensorFrame: ~Copyable {
    /// Producer epoch.
    public let epoch: UInt64
    /// Frame sequence number (== header `frame_id`).
    public let seq: UInt64
    /// The decoded slot header (dtype, shape, strides, meta version, timestamp...).
    public let header: TensorSlotHeader
    /// Duty-cycle time at which the frame was read (`CLOCK_MONOTONIC`); latency = `nowNs - header.timestampNs`.
    public let nowNs: UInt64
    @usableFromInline let payload: UnsafeRawBufferPointer

    @usableFromInline
    init(epoch: UInt64, seq: UInt64, header: TensorSlotHeader, nowNs: UInt64, payload: UnsafeRawBufferPointer) {
        self.epoch = epoch
        self.seq = seq
        self.header = header
        self.nowNs = nowNs
        self.payload = payload
    }

    /// The element type.
    public var dtype: Dtype { header.dtype }
    /// Bytes of payload (`values_len_bytes`).
    public var byteCount: Int { payload.count }
    /// Shape as an array (allocates; for diagnostics).
    public var shape: [Int] { header.dims.prefix(Int(header.ndims)).map(Int.init) }
    /// Producer timestamp to read time, in nanoseconds (0 if the clocks disagree).
    public var latencyNs: UInt64 { nowNs >= header.timestampNs ? nowNs - header.timestampNs : 0 }

    /// Runs `body` over the raw payload bytes (do not keep the pointer).
    @inlinable
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(payload)
    }

    /// Runs `body` with a typed view of the tensor. Throws when `Element` does not match the dtype.
    ///
    /// ```swift
    /// let value = try frame.withTensor(of: Float.self) { tensor in tensor[1, 2] }
    /// ```
    @inlinable
    public func withTensor<Element: TensorElement, R>(
        of type: Element.Type, _ body: (borrowing TensorView<Element>) throws -> R
    ) throws -> R {
        let dtype = header.dtype
        guard dtype.elementSize != nil else { throw TensorAccessError.noElementSize(dtype) }
        guard dtype == Element.dtype else { throw TensorAccessError.dtypeMismatch(requested: Element.dtype, actual: dtype) }
        guard let base = payload.baseAddress else {
            let empty = UnsafeRawPointer(bitPattern: MemoryLayout<Element>.alignment)!
            return try body(TensorView<Element>(base: empty, header: header))
        }
        return try body(TensorView<Element>(base: base, header: header))
    }
}

/// `FrameProgress` for a frame being written (spec §10.2.2), delivered to consumers that opted in.
/// On its own informational: the frame is read when its `FrameDescriptor` arrives, through the seqlock. A handler
/// that sets ``TensorFrameHandler/readsProgressPrefixes`` also gets the filled prefix as a ``FramePrefix`` when the
/// producer staged the frame's layout at claim.
public struct FrameProgressUpdate: Sendable, Hashable {
    /// Epoch of the mapped regions; progress of any other epoch is not delivered.
    public var epoch: UInt64
    /// The frame being filled: the `seq` its `FrameDescriptor` will carry and the header `frame_id` (spec §10.2.2).
    public var frameId: UInt64
    /// Header ring slot being filled (`frame_id & (header_nslots - 1)`).
    public var headerIndex: UInt32
    /// Payload bytes written so far, counted from the start of the slot's payload. Readable only through a
    /// ``FramePrefix`` (checked against the staged header and the commit word), never from this number alone.
    public var payloadBytesFilled: UInt64
    /// Rows written so far, for row-major sources; `nil` when the producer did not send it (wire null value).
    /// Readable only through a ``FramePrefix`` row read (``TensorFrameHandler/readsProgressRows``), checked against
    /// the staged header's `dims[0]` and row layout.
    public var rowsFilled: UInt32?
    /// STARTED, PROGRESS or COMPLETE (UNKNOWN when the producer set none); never regresses within a frame
    /// (spec §10.2.2).
    public var state: FrameProgressState
}

/// Receives a consumer's frames: the generic `Handler` of ``TensorPoolConsumer`` (no existential), called from
/// ``TensorPoolConsumer/doWork(nowNs:)``.
public protocol TensorFrameHandler {
    /// A `FrameDescriptor` of this stream arrived: called before admission and before the slot is read, also for
    /// descriptors that will be dropped or held. For instrumentation, e.g. the descriptor's own latency from its
    /// `timestampNs` (the producer's commit stamp; `nil` when the producer sent none). Must not block.
    mutating func onDescriptor(seq: UInt64, timestampNs: UInt64?)
    /// A committed frame, inside the seqlock read. Keep results provisional until ``onFrameCompleted(seq:intact:)``.
    mutating func onFrame(_ frame: borrowing TensorFrame)
    /// After `onFrame`: `intact == true` when the commit word was unchanged (the frame is accepted), `false` when
    /// the producer overwrote the slot during the callback (torn: discard what `onFrame` computed).
    mutating func onFrameCompleted(seq: UInt64, intact: Bool)
    /// `FrameProgress` of the current frame (only when the consumer declared `supports_progress`; DECIMATED
    /// consumers skip frames they will not take, see ``FrameAdmission/wantsProgress(epoch:frameId:)``).
    mutating func onProgress(_ progress: FrameProgressUpdate)
    /// `true` to have the filled prefix of each `FrameProgress` read and handed to ``onProgressPrefix(_:)`` (after
    /// ``onProgress(_:)``); needs `supports_progress` in the consumer configuration. Default `false`.
    static var readsProgressPrefixes: Bool { get }
    /// `true` (with ``readsProgressPrefixes``) when the handler understands row layouts: a `FrameProgress` carrying
    /// `rows_filled` is then read as rows (``FramePrefix/rows``, ``FramePrefix/withRow(_:_:)``), also for row-major
    /// layouts with a padded row pitch or a `payload_offset`, which a byte prefix cannot cover (spec §10.2.2).
    /// Updates without `rows_filled` are still read as byte prefixes. Default `false`: `rows_filled` is ignored and
    /// the byte-prefix rules apply unchanged.
    static var readsProgressRows: Bool { get }
    /// The filled prefix of a frame being written (spec §10.2.2), inside the read: keep results provisional until
    /// ``onProgressPrefixCompleted(frameId:intact:)``. Called only when ``readsProgressPrefixes`` is `true`.
    mutating func onProgressPrefix(_ prefix: borrowing FramePrefix)
    /// After `onProgressPrefix`: `intact == true` when the slot still held the frame (the prefix was what the
    /// producer wrote), `false` when the producer reclaimed the slot during the callback (discard what was read).
    mutating func onProgressPrefixCompleted(frameId: UInt64, intact: Bool)
    /// A `FrameProgress` whose prefix was not handed out, and why (only when ``readsProgressPrefixes`` is `true`).
    mutating func onProgressPrefixRefused(_ progress: FrameProgressUpdate, reason: ProgressPrefixRefusal)
    /// New metadata of the data source (`DataSourceMeta`, spec §10.3.2): a new `meta_version`, or changed content.
    /// Not called again for the periodic re-sends of the same content. Called on the consumer's thread between
    /// frames (never inside ``onFrame(_:)``); the consumer keeps it as ``TensorPoolConsumer/metadata``.
    mutating func onMetadata(_ metadata: DataSourceMetadata)
    /// A new data-source beacon (`DataSourceAnnounce`, spec §10.3.1: producer, epoch, `meta_version`, name,
    /// summary), or one bridged in FALLBACK. Not called again for re-sends of the same beacon. Called on the
    /// consumer's thread between frames; the consumer keeps it as ``TensorPoolConsumer/dataSourceInfo``.
    mutating func onDataSourceInfo(_ info: DataSourceInfo)
}

extension TensorFrameHandler {
    /// Does nothing: the generic consumer is specialised per handler, so this call costs nothing.
    @inlinable public mutating func onDescriptor(seq: UInt64, timestampNs: UInt64?) {}
    /// Does nothing: enough for a handler that keeps nothing from `onFrame` (or tolerates a torn read). A handler that
    /// computes from the payload overrides it to discard the result when `intact` is `false`.
    public mutating func onFrameCompleted(seq: UInt64, intact: Bool) {}
    /// Ignores progress: a handler that does not render partial frames relies on `onFrame` alone.
    public mutating func onProgress(_ progress: FrameProgressUpdate) {}
    /// `false`: prefixes are not read (no cost, no refusal counted) unless a handler opts in.
    public static var readsProgressPrefixes: Bool { false }
    /// `false`: `rows_filled` is ignored (byte prefixes only) unless a handler opts in.
    public static var readsProgressRows: Bool { false }
    /// Ignores prefixes (never called unless ``readsProgressPrefixes`` is `true`).
    public mutating func onProgressPrefix(_ prefix: borrowing FramePrefix) {}
    /// Ignores the verdict: enough for a handler that keeps nothing from `onProgressPrefix`.
    public mutating func onProgressPrefixCompleted(frameId: UInt64, intact: Bool) {}
    /// Ignores refusals (they are still counted in ``ConsumerStatistics``).
    public mutating func onProgressPrefixRefused(_ progress: FrameProgressUpdate, reason: ProgressPrefixRefusal) {}
    /// Ignores metadata: a handler that does not interpret `meta_version` needs nothing more (the consumer still
    /// keeps the latest in ``TensorPoolConsumer/metadata``).
    public mutating func onMetadata(_ metadata: DataSourceMetadata) {}
    /// Ignores the beacon (the consumer still keeps the latest in ``TensorPoolConsumer/dataSourceInfo``).
    public mutating func onDataSourceInfo(_ info: DataSourceInfo) {}
}
