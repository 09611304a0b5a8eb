import Testing
@testable import TensorPool

@Suite struct ProgressPolicyAggregatorTests {
    let aggregator = ProgressPolicyAggregator(
        defaults: ProgressPolicy(intervalNs: 250_000, bytesDelta: 65_536, rowsDelta: 0),
        floors: ProgressPolicy(intervalNs: 50_000, bytesDelta: 4_096, rowsDelta: 2))

    func hint(_ id: UInt32, progress: Bool = true, us: UInt32? = nil, bytes: UInt32? = nil, rows: UInt32? = nil) -> ConsumerHint {
        ConsumerHint(streamId: 1, consumerId: id, supportsProgress: progress, progressIntervalUs: us,
                     progressBytesDelta: bytes, progressRowsDelta: rows)
    }

    @Test func noHintsGivesDefaults() {
        #expect(aggregator.aggregate([ConsumerHint]()) == aggregator.defaults)
        #expect(!aggregator.isProgressWanted([ConsumerHint]()))
    }

    @Test func takesSmallestPerFieldIndependently() {
        let p = aggregator.aggregate([hint(1, us: 400, bytes: 8_192), hint(2, us: 100, bytes: 1 << 20, rows: 16), hint(3, rows: 8)])
        #expect(p == ProgressPolicy(intervalNs: 100_000, bytesDelta: 8_192, rowsDelta: 8))
    }

    @Test func neverBelowFloors() {
        let p = aggregator.aggregate([hint(1, us: 1, bytes: 1, rows: 1)])
        #expect(p == ProgressPolicy(intervalNs: 50_000, bytesDelta: 4_096, rowsDelta: 2))
    }

    @Test func hintsOfConsumersWithoutProgressAreIgnored() {
        let hints = [hint(1, progress: false, us: 60, bytes: 5_000), hint(2, us: 300)]
        #expect(aggregator.aggregate(hints) == ProgressPolicy(intervalNs: 300_000, bytesDelta: 65_536, rowsDelta: 0))
        #expect(aggregator.isProgressWanted(hints))
        #expect(!aggregator.isProgressWanted([hint(1, progress: false)]))
    }

    @Test func zeroRowsHintMeansUnset() {
        #expect(aggregator.aggregate([hint(1, rows: 0)]).rowsDelta == 0)
    }

    @Test func largerHintThanDefaultIsHonoured() {
        // The hint is the consumer's wish; the most aggressive common policy of one consumer is its own.
        #expect(aggregator.aggregate([hint(1, us: 1_000)]).intervalNs == 1_000_000)
    }
}

@Suite struct ProducerConsumerRegistryTests {
    func hint(_ id: UInt32, progress: Bool = true, us: UInt32? = nil, stream: UInt32 = 1) -> ConsumerHint {
        ConsumerHint(streamId: stream, consumerId: id, supportsProgress: progress, progressIntervalUs: us)
    }

    @Test func joinLeaveExpireRecomputePolicy() {
        let r = ProducerConsumerRegistry(streamId: 1, cadenceNs: 1_000, expiryMultiple: 3)
        #expect(!r.progressWanted)
        #expect(r.onHello(hint(1, us: 500), nowNs: 0))
        #expect(r.progressWanted)
        #expect(r.policy.intervalNs == 500_000)
        #expect(r.onHello(hint(2, us: 100), nowNs: 0))
        #expect(r.policy.intervalNs == 100_000)
        #expect(!r.onHello(hint(2, us: 100), nowNs: 1_000))   // same hint: no change
        r.onQos(streamId: 1, consumerId: 2, nowNs: 3_500)
        #expect(!r.expire(nowNs: 3_500))                      // consumer 1 (500 µs) expires; policy stays 100 µs
        #expect(r.consumerIds == [2])
        #expect(r.policy.intervalNs == 100_000)
        #expect(r.expire(nowNs: 6_600))
        #expect(r.consumerIds.isEmpty)
        #expect(!r.progressWanted)
        #expect(r.policy == r.aggregator.defaults)
        #expect(r.expiredCount == 2)
    }

    @Test func otherStreamIgnoredAndUnknownQosDoesNotRegister() {
        let r = ProducerConsumerRegistry(streamId: 1, cadenceNs: 1_000, expiryMultiple: 3)
        #expect(!r.onHello(hint(1, stream: 2), nowNs: 0))
        r.onQos(streamId: 1, consumerId: 5, nowNs: 0)
        #expect(r.consumerIds.isEmpty)
        #expect(r.ignoredCount == 1)
    }

    @Test func hintChangeFromProgressToNoneDisablesProgress() {
        let r = ProducerConsumerRegistry(streamId: 1, cadenceNs: 1_000, expiryMultiple: 3)
        r.onHello(hint(1), nowNs: 0)
        #expect(r.onHello(hint(1, progress: false), nowNs: 1))
        #expect(!r.progressWanted)
    }
}
