/// The fixed set of counters of one role: an enum whose cases are the counters, in type-id order.
///
/// Conformers are `Int`-backed enums with dense raw values starting at 0; the raw value is the index in
/// the role's counter array and the low byte of its type id (``TensorPoolCounterTypeId``).
public protocol RoleCounterKind: RawRepresentable, CaseIterable, Sendable, Hashable where RawValue == Int {
    /// The role these counters belong to.
    static var role: CounterRole { get }
    /// Words of the label after `tp <role> `, e.g. `frames published`.
    var name: String { get }
}

extension RoleCounterKind {
    /// Aeron counter type id of this counter.
    public var typeId: Int32 { TensorPoolCounterTypeId.make(role: Self.role, index: rawValue) }
}
