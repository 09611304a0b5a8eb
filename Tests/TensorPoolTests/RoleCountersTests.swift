import Testing
import AeronClient
import AeronConcurrent
@testable import TensorPool
import MallocCounter

@Suite("RoleCounters: tensor-pool figures as Aeron counters")
struct RoleCountersTests {
    @Test("type ids are in the tensor-pool range, unique and decodable")
    func typeIds() {
        var seen = Set<Int32>()
        func check<K: RoleCounterKind>(_: K.Type) {
            for kind in K.allCases {
                #expect(TensorPoolCounterTypeId.isTensorPool(kind.typeId))
                let decoded = TensorPoolCounterTypeId.decode(kind.typeId)
                #expect(decoded?.role == K.role && decoded?.index == kind.rawValue)
                #expect(seen.insert(kind.typeId).inserted)
            }
            // Dense raw values from 0: the raw value indexes the counter array.
            #expect(K.allCases.map(\.rawValue) == Array(0..<K.allCases.count))
        }
        check(ProducerCounter.self)
        check(ConsumerCounter.self)
        check(SupervisorCounter.self)
        #expect(ProducerCounter.framesPublished.typeId == 0x5450_0100)
        #expect(!TensorPoolCounterTypeId.isTensorPool(11))
        #expect(TensorPoolCounterTypeId.decode(0x5450_0900) == nil)
        for reason in DropReason.allCases {
            #expect(ConsumerCounter.drop(reason).name.replacingOccurrences(of: " ", with: "")
                .lowercased() == "drops" + reason.description.lowercased())
        }
    }

    @Test("labels and keys")
    func labelsAndKeys() {
        #expect(ProducerCounters.label(.framesPublished, streamId: 1100, instanceId: 7)
                == "tp producer frames published stream=1100 producer=7")
        #expect(SupervisorCounters.label(.configsSent, streamId: nil, instanceId: 1) == "tp supervisor configs sent supervisor=1")
        let key = RoleCounterKey(streamId: 9, instanceId: 0xDEAD_BEEF, role: .consumer)
        #expect(key.bytes == [9, 0, 0, 0, 0xEF, 0xBE, 0xAD, 0xDE, 2, 0, 0, 0])
    }

    @Test("allocated in the driver, visible through the Swift CountersReader with values, freed on close")
    func visibleInCountersReader() throws {
        let env = try EmbeddedAeron()
        defer { env.close() }
        let producer = try ProducerCounters(aeron: env.aeron, streamId: 1100, instanceId: 7)
        let consumer = try ConsumerCounters(aeron: env.aeron, streamId: 1100, instanceId: 3)
        producer.add(.framesPublished)
        producer.add(.framesPublished, 41)
        producer.add(.bytesPublished, 4096)
        consumer.set(.mode, Int64(ConsumerMode.latest.rawValue))
        consumer.add(ConsumerCounter.drop(.torn), 5)

        // A second, independent reader: the driver's own view of the counters file.
        let snapshots = TensorPoolCounterSnapshot.read(env.driver.countersReader)
        #expect(snapshots.count == ProducerCounter.allCases.count + ConsumerCounter.allCases.count)
        let frames = try #require(snapshots.first { $0.typeId == ProducerCounter.framesPublished.typeId })
        #expect(frames.value == 42)
        #expect(frames.label == "tp producer frames published stream=1100 producer=7")
        #expect(frames.key == RoleCounterKey(streamId: 1100, instanceId: 7, role: .producer))
        #expect(frames.counterId == producer.counterId(.framesPublished))
        #expect(snapshots.first { $0.typeId == ProducerCounter.bytesPublished.typeId }?.value == 4096)
        #expect(snapshots.first { $0.typeId == ConsumerCounter.mode.typeId }?.value == 2)
        #expect(snapshots.first { $0.typeId == ConsumerCounter.dropsTorn.typeId }?.value == 5)
        let reader = env.aeron.countersReader
        #expect(reader.registrationId(frames.counterId) == producer.counter(.framesPublished).registrationId)
        #expect(reader.ownerId(frames.counterId) == env.aeron.clientId)

        producer.close()
        #expect(eventually { TensorPoolCounterSnapshot.read(env.driver.countersReader).count == ConsumerCounter.allCases.count })
        consumer.close()
    }

    @Test("updates allocate nothing")
    func updatesAllocateNothing() throws {
        let env = try EmbeddedAeron()
        defer { env.close() }
        let counters = try SupervisorCounters(aeron: env.aeron, streamId: nil, instanceId: 1)
        defer { counters.close() }
        counters.add(.messagesReceived)
        counters.set(.producersLive, 1)
        let before = malloc_counter_thread_allocations()
        for i in 0..<1000 {
            counters.add(.messagesReceived)
            counters.set(.producersLive, Int64(i))
        }
        #expect(malloc_counter_thread_allocations() - before == 0)
        #expect(counters.value(.messagesReceived) == 1001)
    }
}
