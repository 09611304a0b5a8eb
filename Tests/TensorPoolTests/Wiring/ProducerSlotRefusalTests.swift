import Testing
import AeronClient
import TensorPoolCore
@testable import TensorPool

/// A slot the `SlotWriter` refuses is counted in `claimsRefused` on both publish paths.
///
/// The writer refuses a pool id absent from the mapped regions (or a `seq` at 2^63, unreachable in a test). A producer
/// built from one configuration never plans such a pool, so the test swaps in a planner whose only pool (id 99) the
/// regions do not have: the mismatch the writer's check guards against.
@Suite struct ProducerSlotRefusalTests {
    @Test func copyAndZeroCopyPathsCountAWriterRefusal() throws {
        let env = try WiringTestEnvironment("slot-refusal")
        defer { env.close() }
        let configuration = env.producerConfiguration()
        let producer = try TensorPoolProducer(configuration: configuration, aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        producer.state.pointee.planner = try #require(
            ProducerFramePlanner(headerNslots: configuration.headerNslots, pools: [.init(poolId: 99, strideBytes: 1 << 16)]))
        let bytes = 256
        let layout = TensorLayout(dtype: .uint8, shape: [bytes])
        let payload = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes, alignment: 64)
        defer { payload.deallocate() }
        payload.initializeMemory(as: UInt8.self, repeating: 1)
        let now = TensorPoolClock.monotonicNs()

        let copied = producer.publish(UnsafeRawBufferPointer(payload), layout: layout, timestampNs: now, nowNs: now)
        #expect(copied == .dropped(.unknownClaim))
        #expect(producer.statistics[.claimsRefused] == 1)

        #expect(producer.claim(byteCount: bytes, nowNs: now) == nil)
        #expect(producer.statistics[.claimsRefused] == 2)

        // Neither refusal leaves a claim open or publishes anything.
        #expect(producer.claimsInFlight == 0)
        #expect(producer.statistics[.framesPublished] == 0)
    }
}
