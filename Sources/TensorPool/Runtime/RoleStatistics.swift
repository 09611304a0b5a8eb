/// A role's statistics: one 64-bit counter per case of `CounterKind`, written by the role's thread and readable from
/// any thread while the role runs.
///
/// Each role names its own specialisation (``ProducerStatistics``, ``ConsumerStatistics``,
/// ``DecimatorStatistics``, ``BridgeSenderStatistics``, ``BridgeReceiverStatistics``, ``FallbackStatistics``), so
/// a monitoring thread writes:
///
/// ```swift
/// let statistics = producer.statistics
/// print(statistics[.framesPublished], statistics[.bytesPublished])
/// for counter in ProducerStatistics.Counter.allCases { print(counter, statistics[counter]) }
/// ```
///
/// Storage is a ``SingleWriterCounters`` object: copies of this value share it, so a copy held by a monitoring
/// thread sees the owner's updates. Only the role itself writes (relaxed load and store, no locked instruction, no
/// allocation), which is why the writers are not public.
public struct RoleStatistics<CounterKind: RoleStatisticsCounter>: Sendable {
    /// The counters of this role (e.g. `ProducerStatistics.Counter.framesPublished`).
    public typealias Counter = CounterKind

    @usableFromInline let values: SingleWriterCounters

    /// Counters all at zero.
    public init() {
        values = SingleWriterCounters(count: Counter.allCases.count + Counter.trailingCounterCount)
    }

    /// Current value of `counter`: a relaxed load, possibly one duty cycle old, never torn.
    public subscript(counter: Counter) -> UInt64 { values[counter.rawValue] }

    @inlinable func add(_ counter: Counter, _ delta: UInt64 = 1) { values.add(counter.rawValue, delta) }
    @inlinable func set(_ counter: Counter, _ value: UInt64) { values.set(counter.rawValue, value) }
}
