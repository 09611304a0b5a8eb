/// Configuration of an ``Aeron`` client. Defaults match the C client.
public struct AeronContext: Sendable {
    /// The driver's directory (see ``AeronDirectory/defaultPath(environment:)``).
    public var aeronDirectory: String = AeronDirectory.defaultPath()
    /// How long to wait for a driver at connect, for a command's response, and how old the driver's heartbeat
    /// may get before the driver is declared dead.
    public var driverTimeoutMs: Int64 = 10_000
    /// How often the client heartbeat is written and the driver's liveness checked.
    public var keepaliveIntervalNs: Int64 = 500_000_000
    /// How long closed images and replaced image lists stay mapped before release (so a poll in progress on
    /// another thread never touches unmapped memory).
    public var resourceLingerNs: Int64 = 3_000_000_000
    /// When true the application drives the conductor by calling ``Aeron/doWork(nowNs:)``; when false the client
    /// starts a background conductor thread.
    public var useConductorAgentInvoker: Bool = false
    /// Name appended to the client heartbeat counter's label.
    public var clientName: String = ""
    /// Receives errors that happen on the conductor (asynchronous driver errors, malformed responses, timeouts).
    public var errorHandler: (@Sendable (AeronError) -> Void)?
    /// Called on the conductor when any counter becomes available: (registration id, counter id).
    public var availableCounterHandler: (@Sendable (Int64, Int32) -> Void)?
    /// Called on the conductor when any counter goes away: (registration id, counter id).
    public var unavailableCounterHandler: (@Sendable (Int64, Int32) -> Void)?
    /// Called on the conductor (never on an offer path) when the driver reports an error against one of this
    /// client's publications (ON_PUBLICATION_ERROR), e.g. a subscriber rejected its image. When nil, such errors
    /// go to ``errorHandler`` as ``AeronError/driver(code:message:correlationId:)`` instead.
    public var publicationErrorHandler: (@Sendable (PublicationError) -> Void)?

    /// Default settings (directory from `AERON_DIR` or the platform default).
    public init() {}

    /// Settings for the driver in `directory`.
    public init(directory: String) { aeronDirectory = directory }
}
