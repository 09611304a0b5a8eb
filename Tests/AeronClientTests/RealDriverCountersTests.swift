import Testing
import Synchronization
import AeronClient
import AeronConcurrent
import AeronInteropSupport
#if canImport(Glibc)
import Glibc
#endif

/// Client-allocated counters (ADD_COUNTER / ADD_STATIC_COUNTER / REMOVE_COUNTER) and the counters reader,
/// against the real C 1.53 media driver.
@Suite(.serialized) struct RealDriverCountersTests {
    @Test func addCounterIsVisibleToOtherReadersAndRemovable() throws {
        let driver = try RealAeronMediaDriver()
        let seen = Mutex<[(Int64, Int32)]>([])
        var context = ClientTestSupport.context(driver.path)
        context.availableCounterHandler = { registrationId, counterId in seen.withLock { $0.append((registrationId, counterId)) } }
        let aeron = try Aeron.connect(context)
        defer { aeron.close() }
        let counter = try aeron.addCounter(typeId: 4321, key: [1, 2, 3, 4], label: "tp: frames published")
        counter.set(10)
        counter.increment(by: 5)
        #expect(counter.value == 15)
        let reader = aeron.countersReader
        #expect(reader.state(counter.id) == .allocated)
        #expect(reader.typeId(counter.id) == 4321)
        #expect(reader.label(counter.id) == "tp: frames published")
        #expect(reader.registrationId(counter.id) == counter.registrationId)
        #expect(reader.ownerId(counter.id) == aeron.clientId)
        #expect(Array(reader.keyBuffer(counter.id).bytes(at: 0, count: 4)) == [1, 2, 3, 4])
        #expect(reader.value(counter.id) == 15)
        #expect(ClientTestSupport.await(aeron) { seen.withLock { $0.contains { $0.0 == counter.registrationId && $0.1 == counter.id } } })
        // The real C tools see it too.
        let run = try AeronPeerProcess.run("counters", directory: driver.path, timeout: 30)
        #expect(run.all("counter").contains { $0.int("id") == Int64(counter.id) && $0.string("label") == "tp: frames published" && $0.int("value") == 15 })
        try counter.close()
        #expect(counter.isClosed)
        #expect(ClientTestSupport.await(aeron) { reader.state(counter.id) != .allocated })
    }

    @Test func staticCounterIsSharedAndOutlivesTheClient() throws {
        let driver = try RealAeronMediaDriver()
        let first = try Aeron.connect(ClientTestSupport.context(driver.path))
        let a = try first.addStaticCounter(typeId: 4322, label: "static one", registrationId: 777)
        let second = try Aeron.connect(ClientTestSupport.context(driver.path))
        defer { second.close() }
        let b = try second.addStaticCounter(typeId: 4322, label: "static one", registrationId: 777)
        #expect(a.id == b.id)
        #expect(second.countersReader.ownerId(b.id) == -1)
        a.set(3)
        first.close()
        usleep(2_500_000) // beyond a driver timer tick: a client-owned counter would be gone by now
        #expect(second.countersReader.state(b.id) == .allocated)
        #expect(b.value == 3)
    }

    @Test func heartbeatCounterIsFoundAndKeptFresh() throws {
        let driver = try RealAeronMediaDriver()
        var context = ClientTestSupport.context(driver.path)
        context.clientName = "swift-test"
        let aeron = try Aeron.connect(context)
        defer { aeron.close() }
        _ = try aeron.addSubscription(channel: "aeron:ipc", streamId: 1)
        let reader = aeron.countersReader
        var id: Int32?
        #expect(ClientTestSupport.await(aeron) {
            id = reader.findClientHeartbeat(clientId: aeron.clientId)
            return id.map { reader.label($0).contains("name=swift-test") } ?? false
        })
        if let id {
            let v1 = reader.value(id)
            #expect(ClientTestSupport.await(aeron, timeoutS: 5) { reader.value(id) > v1 })
        }
    }
}
