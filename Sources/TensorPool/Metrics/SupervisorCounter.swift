/// The counters of a supervisor (type ids `0x5450_03nn`). Population figures are values refreshed at
/// every liveness sweep; the others are running counts.
public enum SupervisorCounter: Int, RoleCounterKind {
    case producersLive = 0
    case producersStale = 1
    case producersExpired = 2
    case consumersLive = 3
    case consumersStale = 4
    case consumersExpired = 5
    /// Consumer id collisions detected (messages from a second source with a bound id).
    case consumerCollisions = 6
    /// `ConsumerConfig` messages sent (API, command line or drop-rate policy).
    case configsSent = 7
    /// `ConsumerConfig` messages that could not be offered (back pressure, not connected).
    case configsFailed = 8
    /// Tensor-pool messages received on all subscribed streams.
    case messagesReceived = 9
    /// Messages that failed to decode or had an unknown schema/template.
    case messagesMalformed = 10
    /// Header rings currently mapped read-only to read `activity_timestamp_ns`.
    case regionsMapped = 11
    /// Announced header rings not mapped (outside the configured root, unreadable or invalid).
    case regionsRejected = 12

    public static var role: CounterRole { .supervisor }

    public var name: String {
        switch self {
        case .producersLive: "producers live"
        case .producersStale: "producers stale"
        case .producersExpired: "producers expired"
        case .consumersLive: "consumers live"
        case .consumersStale: "consumers stale"
        case .consumersExpired: "consumers expired"
        case .consumerCollisions: "consumer collisions"
        case .configsSent: "configs sent"
        case .configsFailed: "configs failed"
        case .messagesReceived: "messages received"
        case .messagesMalformed: "messages malformed"
        case .regionsMapped: "regions mapped"
        case .regionsRejected: "regions rejected"
        }
    }
}
