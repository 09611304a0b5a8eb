import Testing
import MallocCounter
import TensorPoolCore
@testable import TensorPool

/// Counts frames without allocating (the malloc-counting tests' handler).
struct CountingHandler: TensorFrameHandler {
    var delivered = 0
    var corrupt = 0
    var torn = 0
    private var lastOK = false
    mutating func onFrame(_ frame: borrowing TensorFrame) {
        lastOK = frame.withBytes { SyntheticFramePattern.matches($0, epoch: frame.epoch, seq: frame.seq) }
            && (try? frame.withTensor(of: Float.self) { tensor in tensor[0, 0] }) != nil
    }
    mutating func onFrameCompleted(seq: UInt64, intact: Bool) {
        if !intact { torn += 1 } else if lastOK { delivered += 1 } else { corrupt += 1 }
    }
}

/// Producer publish (copy path), claim/commit (zero-copy) and consumer poll + read allocate nothing after warm-up.
@Suite struct WiringAllocationTests {
    @Test(arguments: [false, true])
    func steadyStateAllocatesNothing(zeroCopy: Bool) throws {
        let env = try WiringTestEnvironment("alloc-\(zeroCopy)")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(nslots: 1024), aeron: env.aeron,
                                              options: env.producerOptions)
        defer { producer.close() }
        let consumer = try TensorPoolConsumer(configuration: env.consumerConfiguration(consumerId: 51), aeron: env.aeron,
                                              handler: CountingHandler(), options: env.consumerOptions)
        defer { consumer.close() }
        try ProducerConsumerTests.connect(env, producer, [consumer]) { [consumer.mappedEpoch] }

        let layout = ProducerConsumerTests.layout
        let size = layout.contiguousByteCount
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
        defer { buffer.deallocate() }
        // One fixed duty-cycle time: periodic work (announce, hello, QoS) is not due during the measurement.
        let now = TensorPoolClock.monotonicNs()
        let frames = zeroCopy ? 10_000 : 100_000

        func step() throws -> Bool {
            if zeroCopy {
                guard let claim = producer.claim(byteCount: size, nowNs: now) else { return false }
                SyntheticFramePattern.fill(claim.payload, count: size, epoch: producer.epoch, seq: claim.seq)
                producer.reportProgress(claim, bytesFilled: UInt64(size / 2), nowNs: now)
                let result = producer.commit(claim, layout: layout, valuesLength: size, timestampNs: now, nowNs: now)
                guard case .published = result else { return result.seq != nil }
            } else {
                SyntheticFramePattern.fill(buffer, count: size, epoch: producer.epoch, seq: producer.nextSeq)
                let result = producer.publish(UnsafeRawBufferPointer(buffer), layout: layout, timestampNs: now, nowNs: now)
                // A descriptor refused by back pressure is a counted producer outcome, not a test failure.
                guard case .published = result else { return result.seq != nil }
            }
            _ = try producer.doWork(nowNs: now)
            let target = consumer.frameCounters.descriptorsSeen + 1
            var spins = 0
            while consumer.frameCounters.descriptorsSeen < target && spins < 1_000_000 {
                _ = try consumer.doWork(nowNs: now)
                spins += 1
            }
            return spins < 1_000_000
        }

        for _ in 0..<500 { #expect(try step()) }
        let before = malloc_counter_thread_allocations()
        var failures = 0
        for _ in 0..<frames where !(try step()) { failures += 1 }
        let allocations = malloc_counter_thread_allocations() - before
        #expect(failures == 0)
        #expect(allocations == 0, "\(allocations) allocations over \(frames) frames")
        let published = producer.statistics[.framesPublished]
        #expect(published + producer.statistics[.descriptorOfferFailures] == UInt64(frames + 500))
        #expect(UInt64(consumer.handler.delivered) == published)
        #expect(consumer.handler.corrupt == 0)
    }
}
