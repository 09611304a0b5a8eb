import AeronConcurrent

/// One tensor-pool counter read from a counters file (for `tp stat` and monitoring).
public struct TensorPoolCounterSnapshot: Sendable, Hashable {
    public var counterId: Int32
    public var typeId: Int32
    public var role: CounterRole
    /// Position of the counter in its role's set (the enum raw value).
    public var index: Int
    public var key: RoleCounterKey?
    public var value: Int64
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
