/// Outcome of ``Publication/offer(_:)`` and friends: the new stream position, or why nothing was written.
/// Never thrown: the hot path returns it by value.
@frozen
public enum PublicationResult: Equatable, Sendable, CustomStringConvertible {
    /// Written; the stream position after the message.
    case position(Int64)
    /// No subscriber is connected.
    case notConnected
    /// Subscribers are too far behind; retry later.
    case backPressured
    /// The log is rotating a term (or similar); retry immediately.
    case adminAction
    /// The publication is closed.
    case closed
    /// The stream reached the largest position the term length allows.
    case maxPositionExceeded
    /// The message is longer than ``Publication/maxMessageLength`` (or claim longer than the max payload).
    case messageTooLong

    /// Aeron's numeric form: the position (> 0) or -1…-6.
    @inlinable public var rawValue: Int64 {
        switch self {
        case .position(let p): p
        case .notConnected: -1
        case .backPressured: -2
        case .adminAction: -3
        case .closed: -4
        case .maxPositionExceeded: -5
        case .messageTooLong: -6
        }
    }

    /// The position when the offer succeeded.
    @inlinable public var position: Int64? { if case .position(let p) = self { p } else { nil } }

    /// Aeron's upper-case name (`BACK_PRESSURED`...), or `position(<n>)` on success, as logged by roles.
    public var description: String {
        switch self {
        case .position(let p): "position(\(p))"
        case .notConnected: "NOT_CONNECTED"
        case .backPressured: "BACK_PRESSURED"
        case .adminAction: "ADMIN_ACTION"
        case .closed: "CLOSED"
        case .maxPositionExceeded: "MAX_POSITION_EXCEEDED"
        case .messageTooLong: "MESSAGE_TOO_LONG"
        }
    }
}
