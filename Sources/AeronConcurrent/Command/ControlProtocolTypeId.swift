/// Record type ids of commands a client writes into the to-driver ring buffer (PROTOCOL_FACTS §5.2).
public enum ControlCommandTypeId {
    public static let addPublication: Int32 = 0x01
    public static let removePublication: Int32 = 0x02
    public static let addExclusivePublication: Int32 = 0x03
    public static let addSubscription: Int32 = 0x04
    public static let removeSubscription: Int32 = 0x05
    public static let clientKeepalive: Int32 = 0x06
    public static let addDestination: Int32 = 0x07
    public static let removeDestination: Int32 = 0x08
    public static let addCounter: Int32 = 0x09
    public static let removeCounter: Int32 = 0x0A
    public static let clientClose: Int32 = 0x0B
    public static let addRcvDestination: Int32 = 0x0C
    public static let removeRcvDestination: Int32 = 0x0D
    public static let terminateDriver: Int32 = 0x0E
    public static let addStaticCounter: Int32 = 0x0F
    public static let rejectImage: Int32 = 0x10
    public static let removeDestinationById: Int32 = 0x11
    public static let getNextAvailableSessionId: Int32 = 0x12
}

/// Record type ids of responses the driver broadcasts to clients (PROTOCOL_FACTS §5.3).
public enum ControlResponseTypeId {
    public static let onError: Int32 = 0x0F01
    public static let onAvailableImage: Int32 = 0x0F02
    public static let onPublicationReady: Int32 = 0x0F03
    public static let onOperationSuccess: Int32 = 0x0F04
    public static let onUnavailableImage: Int32 = 0x0F05
    public static let onExclusivePublicationReady: Int32 = 0x0F06
    public static let onSubscriptionReady: Int32 = 0x0F07
    public static let onCounterReady: Int32 = 0x0F08
    public static let onUnavailableCounter: Int32 = 0x0F09
    public static let onClientTimeout: Int32 = 0x0F0A
    public static let onStaticCounter: Int32 = 0x0F0B
    public static let onPublicationError: Int32 = 0x0F0C
    public static let onNextAvailableSessionId: Int32 = 0x0F0D
}
