import AeronConcurrent

/// One tensor-pool counter read from a counters file (for `tp stat` and monitoring).
public struct TensorPoolCounterSnapshot: Sendable, Hashable {
    /// Aeron counter id (index in the counters file), unique only while the counter is allocated: a restarted role
    /// may get another id, so identify counters by ``key`` and ``typeId`` instead.
    public var counterId: Int32
    /// Aeron type id (`0x5450_RRnn`: role byte, counter index), see ``TensorPoolCounterTypeId``.
    public var typeId: Int32
    /// Role decoded from ``typeId``.
    public var role: CounterRole
    /// Position of the counter in its role's set (the enum raw value).
    public var index: Int
    /// Stream, instance and role from the counter's key bytes; `nil` when the key does not decode (a foreign
    /// counter that happens to use a type id in the range).
    public var key: RoleCounterKey?
    /// Value at the time of the read: a running count, or a current value such as an epoch or a mode.
    public var value: Int64
    /// Label as written by the allocating role (`tp <role> <words> ...`), for display only.
    public var label: String

    /// Every ALLOCATED counter in the tensor-pool type-id range, in counter-id order.
    public static func read(_ reader: CountersReader) -> [TensorPoolCounterSnapshot] {
        var out: [TensorPoolCounterSnapshot] = []
        reader.forEach { id, typeId, label in
            guard let (role, index) = TensorPoolCounterTypeId.decode(typeId) else { return }
            out.append(TensorPoolCounterSnapshot(counterId: id, typeId: typeId, role: role, index: index,
                                                 key: RoleCounterKey(decoding: reader.keyBuffer(id)),
                                                 value: reader.value(id), label: label))
        }
        return out
    }
}
