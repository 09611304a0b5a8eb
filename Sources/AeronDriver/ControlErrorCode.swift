/// Error codes carried by ON_ERROR responses (C `aeron_client_error.h`, Java `ErrorCode`).
public enum ControlErrorCode: Int32, Sendable {
    /// Any failure without a more specific code (Aeron's `GENERIC_ERROR` is 11; 0 is unused).
    case genericError = 11
    /// The channel URI could not be parsed or uses an unsupported media or parameter.
    case invalidChannel = 1
    /// REMOVE_SUBSCRIPTION named a registration id the driver does not know for this client.
    case unknownSubscription = 2
    /// REMOVE_PUBLICATION named a registration id the driver does not know for this client.
    case unknownPublication = 3
    /// The channel's endpoint could not be set up (e.g. the address is in use).
    case channelEndpointError = 4
    /// REMOVE_COUNTER named a registration id the driver does not know for this client.
    case unknownCounter = 5
    /// The driver does not implement the command's type id (a newer client).
    case unknownCommandTypeId = 6
    /// The command's body was truncated or its lengths were inconsistent.
    case malformedCommand = 7
    /// The command is understood but this driver does not support what it asks (e.g. a UDP channel here).
    case notSupported = 8
    /// A host name in the channel could not be resolved.
    case unknownHost = 9
    /// A transient shortage of a driver resource; the client may retry.
    case resourceTemporarilyUnavailable = 10
    /// Not enough storage space for the log buffer.
    case storageSpace = 12
    /// A subscriber rejected the image (REJECT_IMAGE); sent to the publication's client.
    case imageRejected = 13
    /// The publication was revoked (REMOVE_PUBLICATION with the revoke flag).
    case publicationRevoked = 14
}

/// A command the conductor refuses: the code and text sent back in ON_ERROR and recorded in the error log.
public struct ControlError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The ON_ERROR code.
    public let code: ControlErrorCode
    /// Human-readable reason (clients show it; they do not parse it).
    public let message: String

    /// An error with `code` and `message`.
    public init(_ code: ControlErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `"(-code) message"`, the shape of the C driver's error text.
    public var description: String { "(-\(code.rawValue)) \(message)" }
}
