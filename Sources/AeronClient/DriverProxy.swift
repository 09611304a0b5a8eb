#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SharedMemory
import AeronConcurrent

/// Encodes client commands into the driver's to-driver ring buffer (PROTOCOL_FACTS §5.2).
struct DriverProxy: @unchecked Sendable {
    let ring: ManyToOneRingBuffer
    let clientId: Int64
    /// Longest channel URI the driver accepts.
    static let maxChannelLength = 4095

    func nextCorrelationId() -> Int64 { ring.nextCorrelationId() }

    /// Writes one command, retrying a full buffer a few times (as the C client does) before giving up.
    func send<M: ControlMessage>(_ typeId: Int32, _ message: M) throws(AeronError) {
        let length = message.encodedLength
        var attempts = 0
        while true {
            let index: Int
            do { index = try ring.tryClaim(messageTypeId: typeId, length: length) }
            catch { throw .invalidArgument("command of \(length) bytes rejected by the to-driver buffer: \(error)") }
            if index >= 0 {
                message.encode(into: ring.buffer, at: index)
                ring.commit(index: index)
                return
            }
            attempts += 1
            if attempts >= 10 { throw .driverBufferFull }
            sched_yield()
        }
    }

    static func checkChannel(_ channel: String) throws(AeronError) {
        let count = channel.utf8.count
        guard count > 0, count <= maxChannelLength else {
            throw .invalidArgument("channel length \(count) not in 1...\(maxChannelLength)")
        }
    }

    func addPublication(channel: String, streamId: Int32, exclusive: Bool) throws(AeronError) -> Int64 {
        try Self.checkChannel(channel)
        let correlationId = nextCorrelationId()
        try send(exclusive ? ControlCommandTypeId.addExclusivePublication : ControlCommandTypeId.addPublication,
                 PublicationMessage(clientId: clientId, correlationId: correlationId, streamId: streamId, channel: channel))
        return correlationId
    }

    func removePublication(registrationId: Int64, revoke: Bool = false) throws(AeronError) -> Int64 {
        let correlationId = nextCorrelationId()
        try send(ControlCommandTypeId.removePublication,
                 RemovePublicationMessage(clientId: clientId, correlationId: correlationId, registrationId: registrationId,
                                          flags: revoke ? RemovePublicationMessage.revokeFlag : 0))
        return correlationId
    }

    func addSubscription(channel: String, streamId: Int32) throws(AeronError) -> Int64 {
        try Self.checkChannel(channel)
        let correlationId = nextCorrelationId()
        try send(ControlCommandTypeId.addSubscription,
                 SubscriptionMessage(clientId: clientId, correlationId: correlationId, registrationCorrelationId: -1, streamId: streamId, channel: channel))
        return correlationId
    }

    func removeSubscription(registrationId: Int64) throws(AeronError) -> Int64 {
        let correlationId = nextCorrelationId()
        try send(ControlCommandTypeId.removeSubscription, RemoveMessage(clientId: clientId, correlationId: correlationId, registrationId: registrationId))
        return correlationId
    }

    static func checkCounter(key: [UInt8], label: String) throws(AeronError) {
        guard key.count <= CounterDescriptor.maxKeyLength else { throw .invalidArgument("counter key longer than \(CounterDescriptor.maxKeyLength) bytes") }
        guard label.utf8.count <= CounterDescriptor.maxLabelLength else { throw .invalidArgument("counter label longer than \(CounterDescriptor.maxLabelLength) bytes") }
    }

    func addCounter(typeId: Int32, key: [UInt8], label: String) throws(AeronError) -> Int64 {
        try Self.checkCounter(key: key, label: label)
        let correlationId = nextCorrelationId()
        try send(ControlCommandTypeId.addCounter, CounterMessage(clientId: clientId, correlationId: correlationId, typeId: typeId, key: key, label: label))
        return correlationId
    }

    func addStaticCounter(typeId: Int32, key: [UInt8], label: String, registrationId: Int64) throws(AeronError) -> Int64 {
        try Self.checkCounter(key: key, label: label)
        let correlationId = nextCorrelationId()
        try send(ControlCommandTypeId.addStaticCounter,
                 StaticCounterMessage(clientId: clientId, correlationId: correlationId, registrationId: registrationId, typeId: typeId, key: key, label: label))
        return correlationId
    }

    func removeCounter(registrationId: Int64) throws(AeronError) -> Int64 {
        let correlationId = nextCorrelationId()
        try send(ControlCommandTypeId.removeCounter, RemoveMessage(clientId: clientId, correlationId: correlationId, registrationId: registrationId))
        return correlationId
    }

    /// Longest reason text the driver accepts in REJECT_IMAGE (C `AERON_ERROR_MAX_TEXT_LENGTH`).
    static let maxRejectReasonLength = 1023

    func rejectImage(imageCorrelationId: Int64, position: Int64, reason: String) throws(AeronError) -> Int64 {
        let count = reason.utf8.count
        guard count <= Self.maxRejectReasonLength else {
            throw .invalidArgument("reject reason of \(count) bytes is longer than \(Self.maxRejectReasonLength)")
        }
        let correlationId = nextCorrelationId()
        try send(ControlCommandTypeId.rejectImage,
                 RejectImageMessage(clientId: clientId, correlationId: correlationId, imageCorrelationId: imageCorrelationId,
                                    position: position, reason: reason))
        return correlationId
    }

    func getNextAvailableSessionId(streamId: Int32) throws(AeronError) -> Int64 {
        let correlationId = nextCorrelationId()
        try send(ControlCommandTypeId.getNextAvailableSessionId,
                 GetNextAvailableSessionIdMessage(clientId: clientId, correlationId: correlationId, streamId: streamId))
        return correlationId
    }

    func clientClose() throws(AeronError) {
        try send(ControlCommandTypeId.clientClose, CorrelatedMessage(clientId: clientId, correlationId: -1))
    }
}
