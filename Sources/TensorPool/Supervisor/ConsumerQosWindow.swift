/// Windowed QoS rates of one consumer, from its cumulative `QosConsumer` counters.
///
/// A window opens at the first report and closes at the first report at least `windowNs` later;
/// the closed window's deltas become the reported rates and a new window opens. A counter going
/// backwards (consumer restart, new epoch) restarts the window without producing rates.
public struct ConsumerQosWindow: Sendable, Hashable {
    /// Deltas of the last completed window.
    public struct Completed: Sendable, Hashable {
        /// Window length actually covered.
        public var durationNs: UInt64
        /// Advance of `last_seq_seen`.
        public var frames: UInt64
        /// Advance of `drops_gap + drops_late`.
        public var drops: UInt64
        /// Drops per second.
        public var dropsPerSecond: Double {
            durationNs == 0 ? 0 : Double(drops) * 1e9 / Double(durationNs)
        }
        /// Frames (sequence advance) per second.
        public var framesPerSecond: Double {
            durationNs == 0 ? 0 : Double(frames) * 1e9 / Double(durationNs)
        }
        /// Fraction of frames dropped.
        public var dropFraction: Double { frames == 0 ? 0 : Double(drops) / Double(frames) }
    }

    /// Minimum window length.
    public var windowNs: UInt64
    /// Last completed window.
    public private(set) var last: Completed?
    private var startNs: UInt64?
    private var startSeq: UInt64 = 0
    private var startDrops: UInt64 = 0
    private var startEpoch: UInt64 = 0

    /// An empty window tracker; `windowNs` (nanoseconds) should cover several QoS reports (default policy: 5 s at
    /// 1 Hz), since a window of one report has too little evidence to judge.
    public init(windowNs: UInt64) {
        self.windowNs = windowNs
    }

    /// Adds a report; returns the window it completed, if any.
    public mutating func add(_ report: QosConsumerReport, nowNs: UInt64) -> Completed? {
        guard let start = startNs, report.epoch == startEpoch,
              report.lastSeqSeen >= startSeq, report.totalDrops >= startDrops, nowNs >= start else {
            restart(report, nowNs: nowNs)
            return nil
        }
        guard nowNs - start >= windowNs else { return nil }
        let completed = Completed(durationNs: nowNs - start, frames: report.lastSeqSeen - startSeq,
                                  drops: report.totalDrops - startDrops)
        last = completed
        restart(report, nowNs: nowNs)
        return completed
    }

    /// Forgets the open window (keeps the last completed rates).
    public mutating func reset() { startNs = nil }

    private mutating func restart(_ report: QosConsumerReport, nowNs: UInt64) {
        startNs = nowNs
        startSeq = report.lastSeqSeen
        startDrops = report.totalDrops
        startEpoch = report.epoch
    }
}
