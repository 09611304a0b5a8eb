/// Every failure the client reports. Driver errors keep the driver's code and text.
public enum AeronError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The driver answered a command with ON_ERROR.
    case driver(code: AeronErrorCode, message: String, correlationId: Int64)
    /// No driver appeared in time, or the running driver stopped heart-beating (or shut down).
    case driverTimeout(String)
    /// The driver declared this client timed out (ON_CLIENT_TIMEOUT).
    case clientTimeout(clientId: Int64)
    /// The driver's CnC file has an incompatible version or layout.
    case incompatibleDriver(String)
    /// The driver did not answer a command within the driver timeout.
    case registrationTimeout(correlationId: Int64, what: String)
    /// The client (or the resource) is closed.
    case closed(String)
    /// The to-driver buffer stayed full; the command was not sent.
    case driverBufferFull
    /// An argument was rejected before anything was sent.
    case invalidArgument(String)
    /// A file the driver named could not be mapped or is malformed.
    case logBuffer(String)
    /// The client could not keep up with the driver's broadcast buffer and lost responses.
    case unableToKeepUp
    /// A driver response was malformed (counted and reported, the client continues).
    case malformedResponse(String)
    /// The application did not call the conductor within the client liveness timeout.
    case conductorServiceTimeout(String)

    /// One line with the driver's code, name and correlation id where there is one, so a failure can be matched to
    /// the driver's own error log.
    public var description: String {
        switch self {
        case let .driver(code, message, correlationId): "driver error \(code) (\(code.rawValue)) for correlation id \(correlationId): \(message)"
        case .driverTimeout(let why): "driver timeout: \(why)"
        case .clientTimeout(let id): "client timeout from driver: clientId=\(id)"
        case .incompatibleDriver(let why): "incompatible driver: \(why)"
        case let .registrationTimeout(id, what): "no response from driver for \(what) (correlation id \(id))"
        case .closed(let why): "closed: \(why)"
        case .driverBufferFull: "to-driver buffer full: the driver is not consuming commands"
        case .invalidArgument(let why): "invalid argument: \(why)"
        case .logBuffer(let why): "log buffer: \(why)"
        case .unableToKeepUp: "unable to keep up with the driver's broadcast buffer"
        case .malformedResponse(let why): "malformed driver response: \(why)"
        case .conductorServiceTimeout(let why): "conductor service timeout: \(why)"
        }
    }
}
