import Foundation
import Testing
import MallocCounter
import AeronConcurrent
@testable import AeronDriver

@Suite struct DutyCycleAllocationTests {
    /// With a live publication and subscriber moving data, the duty cycle (limits, cleaning, timer checks,
    /// heartbeat, empty command reads) allocates nothing once warmed up.
    @Test func dutyCycleAllocatesNothingInSteadyState() throws {
        let context = testContext()
        let driver = try MediaDriver(context: context)
        defer { driver.close() }
        let client = try ProtocolClient(directory: context.aeronDirectory)
        _ = try client.addPublication("aeron:ipc", stream: 21)
        _ = try client.addSubscription("aeron:ipc", stream: 21)
        _ = try client.addSubscription("aeron:ipc?tether=false", stream: 21)
        let responses = try client.pump(driver, count: 6)
        let ready = try #require(responses.ofType(ControlResponseTypeId.onPublicationReady).first).decode(PublicationBuffersReady.self)
        let images = try responses.ofType(ControlResponseTypeId.onAvailableImage).map { try $0.decode(ImageBuffersReady.self) }
        try #require(images.count == 2)
        let log = try LogBuffers(path: ready.logFileName)
        let initialTermId = LogBufferDescriptor.initialTermId(log.metadata)
        let values = client.cnc.countersValuesBuffer
        let limitOffset = Int(ready.publicationLimitCounterId) * 128
        let positionOffsets = images.map { Int($0.subscriberPositionId) * 128 }

        var nowNs = DriverClock.nanoTime()
        var position: Int64 = 0
        func cycle() {
            // Publisher advances by one frame; both subscribers consume it; the driver moves the limit and cleans.
            position += 32
            let offset = Int32(position & 0xFFFF)
            log.metadata.setInt64Release(LogBufferDescriptor.packTail(termId: initialTermId, termOffset: offset), at: 0)
            var i = 0 // indexed: a `for … in` iterator allocates in debug builds and would be counted here
            while i < positionOffsets.count { values.setInt64Release(position, at: positionOffsets[i]); i += 1 }
            nowNs += 1_000_000 // 1 ms per cycle: the 20 ms timer fires every 20 cycles
            driver.doWork(nowNs: nowNs)
        }
        for _ in 0..<200 { cycle() }
        let limitBefore = values.int64Acquire(at: limitOffset)
        let before = malloc_counter_thread_allocations()
        for _ in 0..<1500 { cycle() }
        let allocations = malloc_counter_thread_allocations() - before
        #expect(allocations == 0)
        #expect(values.int64Acquire(at: limitOffset) > limitBefore, "the limit really moved during the measured cycles")
    }
}
