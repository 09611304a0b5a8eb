#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Testing
import MallocCounter
import AeronDriver
@testable import AeronClient

/// The client conductor's duty cycle (invoker mode) allocates nothing in steady state: an embedded media driver
/// and the client share one thread, a publication and a subscription are open and traffic flows, and the
/// keepalive fires every millisecond so the heartbeat path is measured too. Only the client's `doWork` is counted.
@Suite struct ConductorAllocationTests {
    @Test func clientConductorDutyCycleAllocatesNothingInSteadyState() throws {
        let directory = "/dev/shm/aeron-client-conductor-alloc-\(getpid())-\(UInt32.random(in: 0..<UInt32.max))"
        var driverContext = MediaDriverContext()
        driverContext.aeronDirectory = directory
        driverContext.setCountersValuesBufferLength(1 << 20)
        driverContext.ipcTermLength = 64 * 1024
        driverContext.timerIntervalNs = 10_000_000
        driverContext.deleteDirectoryOnShutdown = true
        let driver = try MediaDriver(context: driverContext)
        defer { driver.close() }
        var clientContext = AeronContext(directory: directory)
        clientContext.useConductorAgentInvoker = true
        clientContext.keepaliveIntervalNs = 1_000_000
        clientContext.driverTimeoutMs = 60_000
        let aeron = try Aeron.connect(clientContext)
        defer { aeron.close() }

        let pubId = try aeron.asyncAddPublication(channel: "aeron:ipc", streamId: 4242)
        let subId = try aeron.asyncAddSubscription(channel: "aeron:ipc", streamId: 4242)
        var publication: Publication?
        var subscription: Subscription?
        var attempts = 0
        while (publication == nil || subscription == nil || subscription?.imageCount == 0) && attempts < 100_000 {
            let now = AeronClock.nanoTime()
            driver.doWork(nowNs: now)
            _ = aeron.doWork(nowNs: now)
            if publication == nil { publication = try aeron.publication(registrationId: pubId) }
            if subscription == nil { subscription = try aeron.subscription(registrationId: subId) }
            attempts += 1
        }
        let pub = try #require(publication)
        let sub = try #require(subscription)
        try #require(sub.imageCount == 1)

        let message = UnsafeMutableRawBufferPointer.allocate(byteCount: 200, alignment: 8)
        defer { message.deallocate() }
        message.initializeMemory(as: UInt8.self, repeating: 0x3C)
        var received = 0
        var sent = 0
        var clientAllocations = 0
        var clientWork = 0
        func cycle() {
            let now = AeronClock.nanoTime()
            driver.doWork(nowNs: now)
            let before = malloc_counter_thread_allocations()
            clientWork += aeron.doWork(nowNs: now)
            clientAllocations += Int(malloc_counter_thread_allocations() - before)
            if pub.offer(UnsafeRawBufferPointer(message)).position != nil { sent += 1 }
            received += sub.poll(fragmentLimit: 10) { _, _ in }
        }
        for _ in 0..<5_000 { cycle() }
        clientAllocations = 0
        clientWork = 0
        let receivedBefore = received
        let start = AeronClock.nanoTime()
        for _ in 0..<20_000 { cycle() }
        let elapsedMs = (AeronClock.nanoTime() - start) / 1_000_000
        #expect(clientAllocations == 0, "client conductor: \(clientAllocations) allocations over 20000 duty cycles")
        #expect(received - receivedBefore > 10_000, "traffic flowed during the measured cycles")
        // The keepalive (1 ms) fired during the measured cycles, so its path was counted too.
        #expect(clientWork > 0 || elapsedMs < 2)
        #expect(aeron.isClosed == false)
    }
}
