import Testing
import SharedMemory
import AeronConcurrent
@testable import AeronClient

/// Replaced image lists linger for `resourceLingerNs` and are then released by the duty cycle, each at its own
/// deadline (the expiry keeps the resources whose deadline has not passed).
@Suite struct LingeringResourceTests {
    @Test func replacedImageListsAreReleasedEachAtItsOwnDeadline() throws {
        let fake = try FakeDriverDirectory()
        var context = AeronContext(directory: fake.path)
        context.useConductorAgentInvoker = true
        context.driverTimeoutMs = 60_000
        let lingerNs: Int64 = 50_000_000
        context.resourceLingerNs = lingerNs
        let aeron = try Aeron.connect(context)
        defer { aeron.close() }
        let logPath = try fake.createLog(name: "linger")
        fake.setCounter(1, 0)
        let subId = try aeron.asyncAddSubscription(channel: "aeron:ipc", streamId: 1001)
        fake.inject(aeron, ControlResponseTypeId.onSubscriptionReady, SubscriptionReady(correlationId: subId, channelStatusIndicatorId: -1))
        let subscription = try #require(try aeron.subscription(registrationId: subId))
        #expect(aeron.conductor.lingeringResourceCount == 0)

        /// Adds one image (the previous image list lingers) and returns a time no earlier than its deadline's base.
        func addImage(_ correlationId: Int64) -> (before: Int64, after: Int64) {
            let before = AeronClock.nanoTime()
            fake.inject(aeron, ControlResponseTypeId.onAvailableImage,
                        ImageBuffersReady(correlationId: correlationId, sessionId: Int32(correlationId), streamId: 1001,
                                          subscriptionRegistrationId: subId, subscriberPositionId: 1, logFileName: logPath,
                                          sourceIdentity: "aeron:ipc"))
            return (before, AeronClock.nanoTime())
        }
        let first = addImage(9001)
        var second = addImage(9002)
        while second.before <= first.after { second = addImage(9003 + Int64(subscription.imageCount)) }
        let third = addImage(9100)
        let lingered = aeron.conductor.lingeringResourceCount
        #expect(lingered == subscription.imageCount)

        // Before any deadline: nothing released.
        _ = aeron.doWork(nowNs: first.before + lingerNs - 1)
        #expect(aeron.conductor.lingeringResourceCount == lingered)
        // Past the first deadline only: exactly the first list is released, the later ones stay.
        _ = aeron.doWork(nowNs: first.after + lingerNs)
        #expect(aeron.conductor.lingeringResourceCount == lingered - 1)
        // Past every deadline: all released.
        _ = aeron.doWork(nowNs: third.after + lingerNs)
        #expect(aeron.conductor.lingeringResourceCount == 0)
        #expect(subscription.imageCount == lingered)
        #expect(!aeron.isClosed)
    }
}
