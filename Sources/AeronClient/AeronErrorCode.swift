/// An error code the driver sends in ON_ERROR (PROTOCOL_FACTS §5.4).
///
/// A struct rather than an enum so that a code from a newer driver is carried through, not lost.
public struct AeronErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The numeric code as sent by the driver.
    public let rawValue: Int32
    /// Wraps a numeric code (unknown codes are kept as they are).
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Driver error code 1.
    public static let invalidChannel = AeronErrorCode(rawValue: 1)
    /// Driver error code 2.
    public static let unknownSubscription = AeronErrorCode(rawValue: 2)
    /// Driver error code 3.
    public static let unknownPublication = AeronErrorCode(rawValue: 3)
    /// Driver error code 4.
    public static let channelEndpointError = AeronErrorCode(rawValue: 4)
    /// Driver error code 5.
    public static let unknownCounter = AeronErrorCode(rawValue: 5)
    /// Driver error code 6.
    public static let unknownCommandTypeId = AeronErrorCode(rawValue: 6)
    /// Driver error code 7.
    public static let malformedCommand = AeronErrorCode(rawValue: 7)
    /// Driver error code 8.
    public static let notSupported = AeronErrorCode(rawValue: 8)
    /// Driver error code 9.
    public static let unknownHost = AeronErrorCode(rawValue: 9)
    /// Driver error code 10.
    public static let resourceTemporarilyUnavailable = AeronErrorCode(rawValue: 10)
    /// Driver error code 11.
    public static let genericError = AeronErrorCode(rawValue: 11)
    /// Driver error code 12.
    public static let storageSpace = AeronErrorCode(rawValue: 12)
    /// Driver error code 13.
    public static let imageRejected = AeronErrorCode(rawValue: 13)
    /// Driver error code 14.
    public static let publicationRevoked = AeronErrorCode(rawValue: 14)

    /// The driver's upper-case name of the code (as in Aeron C's error code names), or `UNKNOWN_CODE(<n>)` for a
    /// code from a newer driver, which is carried through rather than lost.
    public var description: String {
        switch rawValue {
        case 0: "UNUSED"
        case 1: "INVALID_CHANNEL"
        case 2: "UNKNOWN_SUBSCRIPTION"
        case 3: "UNKNOWN_PUBLICATION"
        case 4: "CHANNEL_ENDPOINT_ERROR"
        case 5: "UNKNOWN_COUNTER"
        case 6: "UNKNOWN_COMMAND_TYPE_ID"
        case 7: "MALFORMED_COMMAND"
        case 8: "NOT_SUPPORTED"
        case 9: "UNKNOWN_HOST"
        case 10: "RESOURCE_TEMPORARILY_UNAVAILABLE"
        case 11: "GENERIC_ERROR"
        case 12: "STORAGE_SPACE"
        case 13: "IMAGE_REJECTED"
        case 14: "PUBLICATION_REVOKED"
        default: "UNKNOWN_CODE(\(rawValue))"
        }
    }
}
