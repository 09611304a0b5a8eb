/// Record layouts of the counters metadata and values buffers (PROTOCOL_FACTS §10.1).
public enum CounterDescriptor {
    /// Length of one values record (two cache lines, avoiding false sharing between counters).
    public static let counterLength = 128
    /// Length of one metadata record.
    public static let metadataLength = 512

    /// Values record: the counter value.
    public static let valueOffset = 0
    /// Values record: registration id of the owning resource.
    public static let registrationIdOffset = 8
    /// Values record: owner (client) id.
    public static let ownerIdOffset = 16
    /// Values record: reference id (e.g. the publication an image's sub-pos refers to).
    public static let referenceIdOffset = 24

    /// Metadata record: record state (``CounterState``).
    public static let stateOffset = 0
    /// Metadata record: type id.
    public static let typeIdOffset = 4
    /// Metadata record: free-for-reuse deadline in epoch ms (`Int64.max` when not free).
    public static let freeForReuseDeadlineOffset = 8
    /// Metadata record: key bytes.
    public static let keyOffset = 16
    /// Maximum key length.
    public static let maxKeyLength = 112
    /// Metadata record: label length (release-written).
    public static let labelLengthOffset = 128
    /// Metadata record: label bytes.
    public static let labelOffset = 132
    /// Maximum label length.
    public static let maxLabelLength = 380

    /// Id meaning "no counter".
    public static let nullCounterId: Int32 = -1
    /// Registration id of a counter nobody registered.
    public static let defaultRegistrationId: Int64 = 0
    /// Owner id of a counter nobody owns.
    public static let defaultOwnerId: Int64 = 0
    /// Reference id of a counter that refers to nothing.
    public static let defaultReferenceId: Int64 = 0
    /// Deadline of a counter that is not waiting to be reused.
    public static let notFreeToReuse: Int64 = .max

    /// Offset of counter `id`'s values record.
    @inlinable public static func valueRecordOffset(_ id: Int32) -> Int { Int(id) * counterLength }
    /// Offset of counter `id`'s metadata record.
    @inlinable public static func metadataRecordOffset(_ id: Int32) -> Int { Int(id) * metadataLength }
}

/// State of a counter's metadata record.
public enum CounterState: Int32, Sendable {
    /// Never allocated: readers stop scanning here.
    case unused = 0
    /// In use.
    case allocated = 1
    /// Freed; reusable after its free-for-reuse deadline.
    case reclaimed = -1
}

/// Counter type ids used by Aeron (C `aeron_counters.h`, Java `AeronCounters`; PROTOCOL_FACTS §10.3).
public enum AeronCounterTypeId {
    /// A driver system counter; key = i32 system counter id.
    public static let systemCounter: Int32 = 0
    /// Publisher limit (`pub-lmt`).
    public static let publisherLimit: Int32 = 1
    /// Sender position (network).
    public static let senderPosition: Int32 = 2
    /// Receiver high-water mark (network).
    public static let receiverHighWaterMark: Int32 = 3
    /// Subscriber position (`sub-pos`).
    public static let subscriberPosition: Int32 = 4
    /// Receiver position (network).
    public static let receiverPosition: Int32 = 5
    /// Send channel status (network).
    public static let sendChannelStatus: Int32 = 6
    /// Receive channel status (network).
    public static let receiveChannelStatus: Int32 = 7
    /// Sender limit (network).
    public static let senderLimit: Int32 = 9
    /// Per-image type (network).
    public static let perImage: Int32 = 10
    /// Client heartbeat timestamp; key = i64 client id.
    public static let clientHeartbeat: Int32 = 11
    /// Publisher position (`pub-pos`).
    public static let publisherPosition: Int32 = 12
    /// Sender back-pressure events (network).
    public static let senderBackPressureEvents: Int32 = 13
    /// Local socket address (network).
    public static let localSocketAddress: Int32 = 14

    /// Short name for display, or nil for a type this list does not know.
    public static func name(_ typeId: Int32) -> String? {
        switch typeId {
        case systemCounter: "system"
        case publisherLimit: "pub-lmt"
        case senderPosition: "snd-pos"
        case receiverHighWaterMark: "rcv-hwm"
        case subscriberPosition: "sub-pos"
        case receiverPosition: "rcv-pos"
        case sendChannelStatus: "snd-channel"
        case receiveChannelStatus: "rcv-channel"
        case senderLimit: "snd-lmt"
        case perImage: "per-image"
        case clientHeartbeat: "client-heartbeat"
        case publisherPosition: "pub-pos"
        case senderBackPressureEvents: "snd-bpe"
        case localSocketAddress: "local-sockaddr"
        default: nil
        }
    }
}

/// Ids of driver system counters a client cares about (PROTOCOL_FACTS §10.4).
public enum AeronSystemCounterId {
    /// Errors observed by the driver.
    public static let errors: Int32 = 15
    /// Client liveness timeouts.
    public static let clientTimeouts: Int32 = 24
    /// Driver software version (semantic version int).
    public static let softwareVersion: Int32 = 34
    /// Control protocol version (1.49+; 65536 = 1.0.0).
    public static let controlProtocolVersion: Int32 = 43
}
