/// A client's IPC subscription: which publications it matches and the images linked to it.
final class SubscriptionLink {
    let registrationId: Int64
    let streamId: Int32
    let channel: String
    unowned let client: DriverClient
    /// Only this session's publication matches (`session-id` param, or — for a response subscription — the
    /// session of the response publication paired with it).
    var sessionId: Int32?
    let isTether: Bool
    let isRejoin: Bool
    let isResponse: Bool

    init(registrationId: Int64, streamId: Int32, channel: IpcChannel, client: DriverClient) {
        self.registrationId = registrationId
        self.streamId = streamId
        self.channel = channel.uri
        self.client = client
        self.sessionId = channel.sessionId
        self.isTether = channel.tether ?? true
        self.isRejoin = channel.rejoin ?? true
        self.isResponse = channel.isResponse
    }

    /// Whether this subscription receives `publication`'s stream (§9.4).
    func matches(_ publication: IpcPublication) -> Bool {
        guard streamId == publication.streamId else { return false }
        if let sessionId { return sessionId == publication.sessionId }
        return !isResponse
    }
}
