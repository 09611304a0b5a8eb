/// Record type ids of commands a client writes into the to-driver ring buffer (PROTOCOL_FACTS §5.2).
public enum ControlCommandTypeId {
    /// ADD_PUBLICATION.
    public static let addPublication: Int32 = 0x01
    /// REMOVE_PUBLICATION.
    public static let removePublication: Int32 = 0x02
    /// ADD_EXCLUSIVE_PUBLICATION.
    public static let addExclusivePublication: Int32 = 0x03
    /// ADD_SUBSCRIPTION.
    public static let addSubscription: Int32 = 0x04
    /// REMOVE_SUBSCRIPTION.
    public static let removeSubscription: Int32 = 0x05
    /// CLIENT_KEEPALIVE.
    public static let clientKeepalive: Int32 = 0x06
    /// ADD_DESTINATION.
    public static let addDestination: Int32 = 0x07
    /// REMOVE_DESTINATION.
    public static let removeDestination: Int32 = 0x08
    /// ADD_COUNTER.
    public static let addCounter: Int32 = 0x09
    /// REMOVE_COUNTER.
    public static let removeCounter: Int32 = 0x0A
    /// CLIENT_CLOSE.
    public static let clientClose: Int32 = 0x0B
    /// ADD_RCV_DESTINATION.
    public static let addRcvDestination: Int32 = 0x0C
    /// REMOVE_RCV_DESTINATION.
    public static let removeRcvDestination: Int32 = 0x0D
    /// TERMINATE_DRIVER.
    public static let terminateDriver: Int32 = 0x0E
    /// ADD_STATIC_COUNTER.
    public static let addStaticCounter: Int32 = 0x0F
    /// REJECT_IMAGE.
    public static let rejectImage: Int32 = 0x10
    /// REMOVE_DESTINATION_BY_ID.
    public static let removeDestinationById: Int32 = 0x11
    /// GET_NEXT_AVAILABLE_SESSION_ID.
    public static let getNextAvailableSessionId: Int32 = 0x12
}

/// Record type ids of responses the driver broadcasts to clients (PROTOCOL_FACTS §5.3).
public enum ControlResponseTypeId {
    /// ON_ERROR.
    public static let onError: Int32 = 0x0F01
    /// ON_AVAILABLE_IMAGE.
    public static let onAvailableImage: Int32 = 0x0F02
    /// ON_PUBLICATION_READY.
    public static let onPublicationReady: Int32 = 0x0F03
    /// ON_OPERATION_SUCCESS.
    public static let onOperationSuccess: Int32 = 0x0F04
    /// ON_UNAVAILABLE_IMAGE.
    public static let onUnavailableImage: Int32 = 0x0F05
    /// ON_EXCLUSIVE_PUBLICATION_READY.
    public static let onExclusivePublicationReady: Int32 = 0x0F06
    /// ON_SUBSCRIPTION_READY.
    public static let onSubscriptionReady: Int32 = 0x0F07
    /// ON_COUNTER_READY.
    public static let onCounterReady: Int32 = 0x0F08
    /// ON_UNAVAILABLE_COUNTER.
    public static let onUnavailableCounter: Int32 = 0x0F09
    /// ON_CLIENT_TIMEOUT.
    public static let onClientTimeout: Int32 = 0x0F0A
    /// ON_STATIC_COUNTER.
    public static let onStaticCounter: Int32 = 0x0F0B
    /// ON_PUBLICATION_ERROR.
    public static let onPublicationError: Int32 = 0x0F0C
    /// ON_NEXT_AVAILABLE_SESSION_ID.
    public static let onNextAvailableSessionId: Int32 = 0x0F0D
}
