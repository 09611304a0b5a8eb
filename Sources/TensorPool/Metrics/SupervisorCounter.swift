/// The counters of a supervisor (type ids `0x5450_03nn`). Population figures are values refreshed at
/// every liveness sweep; the others are running counts.
public enum SupervisorCounter: Int, RoleCounterKind {
    /// Producers seen within `stale_multiple` announce cadences at the last sweep (a value, spec §15.14).
    case producersLive = 0
    /// Producers silent for more than `stale_multiple` cadences but not yet expired: suspect, e.g. stalled or paused.
    case producersStale = 1
    /// Producers silent beyond `expired_multiple` cadences and not yet purged from the registry: treated as gone.
    case producersExpired = 2
    /// Consumers seen (hello or QoS) within `stale_multiple` QoS cadences at the last sweep (a value).
    case consumersLive = 3
    /// Consumers silent for more than `stale_multiple` QoS cadences but not yet expired.
    case consumersStale = 4
    /// Consumers silent beyond `expired_multiple` QoS cadences and not yet purged: treated as gone.
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

    /// Places these counters in the supervisor block of type ids (`0x5450_03nn`).
    public static var role: CounterRole { .supervisor }

    /// Counter label words after `tp supervisor `, lower case, as shown by `AeronStat`-like tools.
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
