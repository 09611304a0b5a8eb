/// The tensor-pool role that owns a ``RoleCounters`` set; part of every tensor-pool counter type id.
public enum CounterRole: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Producer counters, type ids `0x5450_01nn` (``ProducerCounter``).
    case producer = 1
    /// Consumer counters, type ids `0x5450_02nn` (``ConsumerCounter``).
    case consumer = 2
    /// Supervisor counters, type ids `0x5450_03nn` (``SupervisorCounter``).
    case supervisor = 3

    /// Lower-case role name used in counter labels (`tp producer ...`).
    public var name: String {
        switch self {
        case .producer: "producer"
        case .consumer: "consumer"
        case .supervisor: "supervisor"
        }
    }

    /// The lower-case name, as in counter labels.
    public var description: String { name }
}
