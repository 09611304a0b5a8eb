/// The counters of a producer (type ids `0x5450_01nn`).
///
/// Frames are counted once committed in SHM; a frame whose descriptor could not be offered is still
/// published in SHM but invisible to consumers, so descriptor failures are counted by reason.
public enum ProducerCounter: Int, RoleCounterKind {
    /// Frames committed and announced by a `FrameDescriptor`.
    case framesPublished = 0
    /// Payload bytes of published frames.
    case bytesPublished = 1
    /// Frames rejected before a slot was claimed: no payload pool is large enough.
    case dropsNoPool = 2
    /// Frames rejected before a slot was claimed: invalid shape, dtype or strides.
    case dropsInvalidFrame = 3
    /// Committed frames whose descriptor offer was back-pressured (or ADMIN_ACTION) and given up.
    case descriptorBackPressure = 4
    /// Committed frames whose descriptor found no subscriber connected.
    case descriptorNotConnected = 5
    /// Committed frames whose descriptor offer failed otherwise (closed, max position).
    case descriptorFailed = 6
    /// Frame claims aborted by the application.
    case framesAborted = 7
    /// `ShmPoolAnnounce` messages sent.
    case announcesSent = 8
    /// `QosProducer` messages sent.
    case qosSent = 9
    /// Current epoch (a value, not a count).
    case epoch = 10
    /// Consumers currently known from hellos/QoS (a value).
    case consumersKnown = 11

    /// Places these counters in the producer block of type ids (`0x5450_01nn`).
    public static var role: CounterRole { .producer }

    /// Counter label words after `tp producer `, lower case, as shown by `AeronStat`-like tools.
    public var name: String {
        switch self {
        case .framesPublished: "frames published"
        case .bytesPublished: "bytes published"
        case .dropsNoPool: "drops no pool"
        case .dropsInvalidFrame: "drops invalid frame"
        case .descriptorBackPressure: "descriptor back pressure"
        case .descriptorNotConnected: "descriptor not connected"
        case .descriptorFailed: "descriptor failed"
        case .framesAborted: "frames aborted"
        case .announcesSent: "announces sent"
        case .qosSent: "qos sent"
        case .epoch: "epoch"
        case .consumersKnown: "consumers known"
        }
    }
}
