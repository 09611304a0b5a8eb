/// Error codes carried by ON_ERROR responses (C `aeron_client_error.h`, Java `ErrorCode`).
public enum ControlErrorCode: Int32, Sendable {
    case genericError = 11
    case invalidChannel = 1
    case unknownSubscription = 2
    case unknownPublication = 3
    case channelEndpointError = 4
    case unknownCounter = 5
    case unknownCommandTypeId = 6
    case malformedCommand = 7
    case notSupported = 8
    case unknownHost = 9
    case resourceTemporarilyUnavailable = 10
    case storageSpace = 12
    case imageRejected = 13
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
