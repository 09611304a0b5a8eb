/// Aeron counter type ids used by tensor-pool roles.
///
/// Aeron reserves small type ids (0–21 driver/client, 100+ archive, 200+ cluster; PROTOCOL_FACTS §10.3);
/// tensor-pool counters live in `0x5450_0000 ... 0x5450_FFFF` ("TP" in the high half-word):
///
/// `typeId = 0x5450_0000 | role << 8 | index`, with `role` a ``CounterRole`` raw value and `index` the
/// counter's position in its role's fixed set (``ProducerCounter``, ``ConsumerCounter``,
/// ``SupervisorCounter``). Ids are part of the observable interface: never renumber an existing counter.
public enum TensorPoolCounterTypeId {
    /// First type id of the tensor-pool range.
    public static let base: Int32 = 0x5450_0000
    /// Mask selecting the range prefix.
    public static let rangeMask: Int32 = Int32(bitPattern: 0xFFFF_0000)

    /// The type id of counter `index` of `role`.
    @inlinable
    public static func make(role: CounterRole, index: Int) -> Int32 {
        base | (Int32(role.rawValue) << 8) | Int32(index & 0xFF)
    }

    /// True when `typeId` is in the tensor-pool range.
    @inlinable
    public static func isTensorPool(_ typeId: Int32) -> Bool { typeId & rangeMask == base }

    /// Splits a tensor-pool type id into role and index; `nil` outside the range or for an unknown role.
    public static func decode(_ typeId: Int32) -> (role: CounterRole, index: Int)? {
        guard isTensorPool(typeId), let role = CounterRole(rawValue: UInt8((typeId >> 8) & 0xFF)) else { return nil }
        return (role, Int(typeId & 0xFF))
    }
}
