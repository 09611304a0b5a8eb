import Histogram
import Synchronization
import TensorPool

/// Counters of a `tp` consumer's handler, read by the main thread while the consumer runs.
final class ConsumerHandlerCounters: Sendable {
    enum Index: Int, CaseIterable {
        case verified, corrupt, torn, bytes, latencySumNs
        /// Frames counted corrupt by the exact check that are whole synthetic frames of another (epoch, seq): the
        /// signature of a republished stream (decimator, bridge receiver), which renumbers frames.
        case wholeOtherFrame
        /// Intact progress prefixes (`--progress`) equal to the synthetic pattern of their frame (with `--verify`).
        case prefixVerified
        /// Intact progress prefixes that differ from the pattern (with `--verify`): a prefix-read bug.
        case prefixCorrupt
    }
    let values = SingleWriterCounters(count: Index.allCases.count)
    /// Largest latency since the last ``takeIntervalMaxNs()`` (written by the agent, swapped by the reader).
    let intervalMaxNs = Atomic<UInt64>(0)
    subscript(index: Index) -> UInt64 { values[index.rawValue] }
    func takeIntervalMaxNs() -> UInt64 { intervalMaxNs.exchange(0, ordering: .relaxed) }
}

/// Checks each frame against ``SyntheticFramePattern`` (with `--verify`: the pattern of the frame's own epoch and
/// seq; with `--verify-republished`: a whole pattern of any epoch/seq, for decimated or bridged streams that
/// renumber the source's frames; a padded row layout is checked row by row, never its padding), measures descriptor → callback latency
/// from the header timestamp, and accepts a result only when the seqlock held (`onFrameCompleted(intact:)`).
struct ConsumerVerifyingHandler: TensorFrameHandler {
    let verify: Bool
    /// Accept a whole synthetic frame of any (epoch, seq) (republished streams).
    let republished: Bool
    let counters = ConsumerHandlerCounters()
    /// Latency of accepted frames (ns), on the consumer's thread; read it after the consumer stopped.
    var latency = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
    /// Epochs frames were received from, in order.
    private(set) var epochs: [UInt64] = []
    /// First frame that failed verification (seq, epoch), if any.
    private(set) var firstCorrupt: (seq: UInt64, epoch: UInt64)?
    private var pending: (seq: UInt64, epoch: UInt64, ok: Bool, latencyNs: UInt64, bytes: Int)?
    /// Receives one line per metadata change (on the consumer's thread).
    let printMetadata: @Sendable (String) -> Void

    init(verify: Bool, republished: Bool = false, printMetadata: @escaping @Sendable (String) -> Void = { _ in }) {
        self.verify = verify || republished
        self.republished = republished
        self.printMetadata = printMetadata
    }

    mutating func onMetadata(_ metadata: DataSourceMetadata) {
        printMetadata(Self.metadataLine(metadata))
    }

    /// `metadata version 3: camera_serial, intrinsics` (`(no attributes)` when empty).
    static func metadataLine(_ metadata: DataSourceMetadata) -> String {
        let keys = metadata.attributes.isEmpty ? "(no attributes)" : metadata.attributes.map(\.key).joined(separator: ", ")
        return "metadata version \(metadata.metaVersion): \(keys)"
    }

    /// Prefixes are read only when the consumer is configured with `supports_progress` (`tp consumer --progress`).
    static var readsProgressPrefixes: Bool { true }
    /// Updates with `rows_filled` are read as rows; each row is checked at its own payload offset (`row * pitch`).
    static var readsProgressRows: Bool { true }
    private var pendingPrefixOK: Bool?

    mutating func onProgressPrefix(_ prefix: borrowing FramePrefix) {
        // Republished streams renumber frames: their prefixes cannot be checked against a (epoch, seq) pattern.
        guard verify && !republished else {
            pendingPrefixOK = nil
            return
        }
        let epoch = prefix.progress.epoch, seq = prefix.frameId
        if let rows = prefix.rows {
            var ok = true
            for r in 0..<rows.count where ok {
                ok = prefix.withRow(r) { SyntheticFramePattern.matches($0, epoch: epoch, seq: seq, byteOffset: r * rows.pitch) }
            }
            pendingPrefixOK = ok
        } else {
            pendingPrefixOK = prefix.withBytes { SyntheticFramePattern.matches($0, epoch: epoch, seq: seq) }
        }
    }

    mutating func onProgressPrefixCompleted(frameId: UInt64, intact: Bool) {
        defer { pendingPrefixOK = nil }
        guard intact, let ok = pendingPrefixOK else { return }
        counters.values.add((ok ? ConsumerHandlerCounters.Index.prefixVerified : .prefixCorrupt).rawValue)
    }

    mutating func onFrame(_ frame: borrowing TensorFrame) {
        var ok = true
        if verify, case .rows(let g) = frame.header.rowGeometry, g.pitch > g.rowBytes, frame.header.ndims >= 2 {
            // A padded row layout: only the rows are the pattern, the padding between them is not.
            let rows = Int(frame.header.dims[0])
            if republished {
                ok = frame.withBytes { SyntheticFramePattern.isWholeFrame($0, rows: rows, rowBytes: g.rowBytes, pitch: g.pitch) }
            } else {
                ok = frame.withBytes {
                    SyntheticFramePattern.matchesRows($0, rows: rows, rowBytes: g.rowBytes, pitch: g.pitch,
                                                      epoch: frame.epoch, seq: frame.seq)
                }
                if !ok, frame.withBytes({ SyntheticFramePattern.isWholeFrame($0, rows: rows, rowBytes: g.rowBytes, pitch: g.pitch) }) {
                    counters.values.add(ConsumerHandlerCounters.Index.wholeOtherFrame.rawValue)
                }
            }
        } else if republished {
            ok = frame.withBytes { SyntheticFramePattern.isWholeFrame($0) }
        } else if verify {
            ok = frame.withBytes { SyntheticFramePattern.matches($0, epoch: frame.epoch, seq: frame.seq) }
            if !ok, frame.withBytes({ SyntheticFramePattern.isWholeFrame($0) }) {
                counters.values.add(ConsumerHandlerCounters.Index.wholeOtherFrame.rawValue)
            }
        }
        pending = (frame.seq, frame.epoch, ok, frame.latencyNs, frame.byteCount)
    }

    mutating func onFrameCompleted(seq: UInt64, intact: Bool) {
        guard let p = pending, p.seq == seq else { return }
        pending = nil
        guard intact else {
            counters.values.add(ConsumerHandlerCounters.Index.torn.rawValue)
            return
        }
        if epochs.last != p.epoch { epochs.append(p.epoch) }
        if p.ok {
            counters.values.add(ConsumerHandlerCounters.Index.verified.rawValue)
        } else {
            counters.values.add(ConsumerHandlerCounters.Index.corrupt.rawValue)
            if firstCorrupt == nil { firstCorrupt = (p.seq, p.epoch) }
        }
        counters.values.add(ConsumerHandlerCounters.Index.bytes.rawValue, UInt64(p.bytes))
        counters.values.add(ConsumerHandlerCounters.Index.latencySumNs.rawValue, p.latencyNs)
        _ = latency.record(p.latencyNs)
        if p.latencyNs > counters.intervalMaxNs.load(ordering: .relaxed) {
            counters.intervalMaxNs.store(p.latencyNs, ordering: .relaxed)
        }
    }
}
