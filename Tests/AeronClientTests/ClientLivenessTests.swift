import Testing
import SharedMemory
import AeronConcurrent
@testable import AeronClient
#if canImport(Glibc)
import Glibc
#endif

/// Liveness rules on a hand-built driver directory (no real driver: the test plays the driver).
@Suite struct ClientLivenessTests {
    func connect(_ fake: FakeDriverDirectory, keepaliveMs: Int64 = 1) throws -> Aeron {
        var context = AeronContext(directory: fake.path)
        context.useConductorAgentInvoker = true
        context.driverTimeoutMs = 10_000
        context.keepaliveIntervalNs = keepaliveMs * 1_000_000
        return try Aeron.connect(context)
    }

    @Test func driverShutdownMarkerClosesTheClient() throws {
        let fake = try FakeDriverDirectory()
        let aeron = try connect(fake)
        defer { aeron.close() }
        fake.ring.setConsumerHeartbeatTime(-1)
        usleep(5_000)
        aeron.doWork()
        guard case .driverTimeout(let text)? = aeron.closeReason else { Issue.record("\(String(describing: aeron.closeReason))"); return }
        #expect(text.contains("shut down"))
    }

    @Test func staleDriverHeartbeatClosesTheClient() throws {
        let fake = try FakeDriverDirectory()
        let aeron = try connect(fake)
        defer { aeron.close() }
        fake.ring.setConsumerHeartbeatTime(AeronClock.epochMillis() - 60_000)
        usleep(5_000)
        aeron.doWork()
        guard case .driverTimeout(let text)? = aeron.closeReason else { Issue.record("\(String(describing: aeron.closeReason))"); return }
        #expect(text.contains("keepalive"))
    }

    @Test func clientTimeoutFromDriverClosesOnlyTheNamedClient() throws {
        let fake = try FakeDriverDirectory()
        let aeron = try connect(fake, keepaliveMs: 60_000)
        defer { aeron.close() }
        fake.inject(aeron, ControlResponseTypeId.onClientTimeout, ClientTimeout(clientId: aeron.clientId + 1000))
        #expect(aeron.closeReason == nil)
        fake.inject(aeron, ControlResponseTypeId.onClientTimeout, ClientTimeout(clientId: aeron.clientId))
        #expect(aeron.closeReason == .clientTimeout(clientId: aeron.clientId))
    }

    @Test func pendingRegistrationTimesOutWithoutADriverAnswer() throws {
        let fake = try FakeDriverDirectory()
        var context = AeronContext(directory: fake.path)
        context.useConductorAgentInvoker = true
        context.driverTimeoutMs = 200
        context.keepaliveIntervalNs = 60_000_000_000 // the fake driver's heartbeat is never refreshed
        let aeron = try Aeron.connect(context)
        defer { aeron.close() }
        #expect(throws: AeronError.self) { _ = try aeron.addSubscription(channel: "aeron:ipc", streamId: 1) }
    }

    @Test func heartbeatCounterIsAdoptedAndItsLossCloses() throws {
        let fake = try FakeDriverDirectory()
        let aeron = try connect(fake)
        defer { aeron.close() }
        // Play the driver: allocate the client's heartbeat counter (type 11, key = client id).
        let manager = CountersManager(metadataBuffer: fake.cnc.countersMetadataBuffer, valuesBuffer: fake.cnc.countersValuesBuffer)
        let clientId = aeron.clientId
        var key = clientId
        let id = try withUnsafeBytes(of: &key) { try manager.allocate(typeId: AeronCounterTypeId.clientHeartbeat, key: $0, label: "client-heartbeat: id=\(clientId)", nowMs: 0) }
        usleep(3_000)
        fake.ring.setConsumerHeartbeatTime(AeronClock.epochMillis())
        aeron.doWork()
        #expect(manager.reader.value(id) > 0)
        #expect(manager.reader.label(id).contains("version="))
        try manager.free(id, nowMs: 0)
        usleep(3_000)
        fake.ring.setConsumerHeartbeatTime(AeronClock.epochMillis())
        aeron.doWork()
        guard case .closed(let text)? = aeron.closeReason else { Issue.record("\(String(describing: aeron.closeReason))"); return }
        #expect(text.contains("heartbeat"))
    }
}
