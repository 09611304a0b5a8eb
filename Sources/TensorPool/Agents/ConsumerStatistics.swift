/// A consumer's counters, readable from any thread while the consumer runs (single writer: the consumer).
/// Drop counters are refreshed once per duty cycle that did work.
public struct ConsumerStatistics: Sendable {
    /// Counter indices (drop reasons follow at ``dropReasonBase`` + `DropReason.rawValue`).
    public enum Counter: Int, CaseIterable, Sendable {
        case framesDelivered
        case bytesDelivered
        /// Sum and count of `now - header.timestamp_ns` over delivered frames, and the largest value.
        case latencySumNs
        case latencyCount
        case latencyMaxNs
        /// `drops_gap` and `drops_late` as reported in `QosConsumer`.
        case dropsGap
        case dropsLate
        /// Regions mapped / unmapped / mapping attempts refused.
        case maps
        case unmaps
        case mapFailures
        /// Epoch currently mapped (0 = none).
        case mappedEpoch
        /// `FrameProgress` messages delivered to the handler.
        case progressDelivered
        /// `ConsumerConfig` messages applied / rejected.
        case configsApplied
        case configsRejected
        /// Resynchronisations (`max_outstanding_seq_gap`).
        case resyncs
        /// `QosConsumer` messages sent.
        case qosSent
    }

    static let dropReasonBase = Counter.allCases.count
    @usableFromInline let values = SingleWriterCounters(count: Counter.allCases.count + DropReason.allCases.count)

    public init() {}

    public subscript(counter: Counter) -> UInt64 { values[counter.rawValue] }
    /// Frames dropped for `reason`.
    public subscript(reason: DropReason) -> UInt64 { values[Self.dropReasonBase + Int(reason.rawValue)] }

    @inlinable func add(_ counter: Counter, _ delta: UInt64 = 1) { values.add(counter.rawValue, delta) }
    @inlinable func set(_ counter: Counter, _ value: UInt64) { values.set(counter.rawValue, value) }

    func mirror(_ counters: ConsumerFrameCounters) {
        set(.dropsGap, counters.dropsGap)
        set(.dropsLate, counters.dropsLate)
        set(.resyncs, counters.resyncs)
        // Raw-value loop: `allCases` builds an array on every access.
        var raw: UInt8 = 0
        while let reason = DropReason(rawValue: raw) {
            values.set(Self.dropReasonBase + Int(raw), counters[reason])
            raw += 1
        }
    }
}
