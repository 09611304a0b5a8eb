/// The tensor-pool role that owns a ``RoleCounters`` set; part of every tensor-pool counter type id.
public enum CounterRole: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case producer = 1
    case consumer = 2
    case supervisor = 3

    /// Lower-case role name used in counter labels (`tp producer ...`).
    public var name: String {
        switch self {
        case .producer: "producer"
        case .consumer: "consumer"
        case .supervisor: "supervisor"
        }
    }

    public var description: String { name }
}
