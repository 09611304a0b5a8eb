/// The counters of one role's ``RoleStatistics``: an `Int`-backed enum whose cases are the counters.
///
/// Raw values are dense and start at 0: a case's raw value is its index in the statistics' storage. A role that
/// keeps more counters than it has cases (the consumer's per-``DropReason`` drops) reserves them with
/// ``trailingCounterCount`` and reads them through its own constrained extension of ``RoleStatistics``.
public protocol RoleStatisticsCounter: RawRepresentable, CaseIterable, Sendable where RawValue == Int {
    /// Counters stored after the cases (indices `allCases.count...`), for the role's own extension to use.
    static var trailingCounterCount: Int { get }
}

extension RoleStatisticsCounter {
    /// No counters beyond the cases: the usual shape of a role's statistics.
    public static var trailingCounterCount: Int { 0 }
}
