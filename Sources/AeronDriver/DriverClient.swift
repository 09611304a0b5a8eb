/// The driver's record of one Aeron client: its heartbeat counter and what it owns.
final class DriverClient {
    let clientId: Int64
    let heartbeatCounterId: Int32
    /// CLIENT_CLOSE was received: removed at the next timer tick without ON_CLIENT_TIMEOUT.
    var closedByCommand = false
    /// One entry per ADD_PUBLICATION / ADD_EXCLUSIVE_PUBLICATION link (a shared publication may appear twice).
    var publicationLinks: [IpcPublication] = []
    /// Counters from ADD_COUNTER: registration id and counter id.
    var counterLinks: [(registrationId: Int64, counterId: Int32)] = []

    init(clientId: Int64, heartbeatCounterId: Int32) {
        self.clientId = clientId
        self.heartbeatCounterId = heartbeatCounterId
    }
}
