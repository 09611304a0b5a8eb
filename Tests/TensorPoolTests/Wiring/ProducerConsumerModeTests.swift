import Testing
import AeronClient
import SBE
import TensorPoolCore
@testable import TensorPool

/// DECIMATED, runtime ConsumerConfig, zero-copy claims, oversize frames, hello validation.
@Suite struct ProducerConsumerModeTests {
    typealias Consumer = TensorPoolConsumer<VerifyingHandler>

    static func makeConsumer(_ env: WiringTestEnvironment, id: UInt32, mode: ConsumerMode = .stream,
                             decimation: UInt16 = 1, progress: (interval: UInt32, bytes: UInt32)? = nil) throws -> Consumer {
        var config = env.consumerConfiguration(consumerId: id, mode: mode, decimation: decimation)
        if let progress {
            config.supportsProgress = true
            config.progressIntervalUs = progress.interval
            config.progressBytesDelta = progress.bytes
        }
        return try TensorPoolConsumer(configuration: config, aeron: env.aeron, handler: VerifyingHandler(), options: env.consumerOptions)
    }

    /// Publishes one frame and polls `consumer` until it has seen its descriptor.
    static func publishOne(_ env: WiringTestEnvironment, _ producer: TensorPoolProducer, _ consumer: Consumer) throws {
        let before = consumer.frameCounters.descriptorsSeen
        ProducerConsumerTests.publish(producer, count: 1, nowNs: TensorPoolClock.monotonicNs())
        let ok = try env.pump(until: { consumer.frameCounters.descriptorsSeen > before }) { now in _ = try consumer.doWork(nowNs: now) }
        #expect(ok)
    }

    @Test func decimatedTakesEveryNthFrame() throws {
        let env = try WiringTestEnvironment("decimated")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(), aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        let consumer = try Self.makeConsumer(env, id: 21, mode: .decimated, decimation: 4)
        try ProducerConsumerTests.connect(env, producer, [consumer]) { [consumer.mappedEpoch] }
        for _ in 0..<40 { try Self.publishOne(env, producer, consumer) }
        #expect(consumer.handler.accepted == [0, 4, 8, 12, 16, 20, 24, 28, 32, 36])
        #expect(consumer.frameCounters.decimated == 30)
        #expect(consumer.handler.corrupt.isEmpty)
    }

    @Test func consumerConfigSwitchesModeAtRuntime() throws {
        let env = try WiringTestEnvironment("consumer-config")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(), aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        let consumer = try Self.makeConsumer(env, id: 22)
        try ProducerConsumerTests.connect(env, producer, [consumer]) { [consumer.mappedEpoch] }
        let authority = try ControlPlane(aeron: env.aeron, endpoint: AeronEndpointConfiguration(aeronDir: env.aeronDir),
                                         roleName: "test-authority", publishing: [.control], subscribing: [], logSink: env.logLines.sink)
        defer { authority.close() }
        // A config for another consumer id is ignored; ours switches STREAM -> LATEST.
        _ = authority.sendConsumerConfig(ConsumerConfigCommand(streamId: 1, consumerId: 999, mode: .decimated, decimation: 2))
        let sent = env.pump(until: { authority.sendConsumerConfig(ConsumerConfigCommand(streamId: 1, consumerId: 22, mode: .latest)).position != nil }) { _ in }
        #expect(sent)
        let applied = try env.pump(until: { consumer.modeSettings.mode == .latest }) { now in _ = try consumer.doWork(nowNs: now) }
        #expect(applied)
        #expect(consumer.statistics[.configsApplied] == 1)

        // Now LATEST: of a batch of 8 only the newest is read.
        let now = TensorPoolClock.monotonicNs()
        ProducerConsumerTests.publish(producer, count: 8, nowNs: now)
        env.pump(until: { consumer.frameCounters.descriptorsSeen >= 8 }) { now in _ = try? consumer.doWork(nowNs: now) }
        #expect(consumer.handler.accepted == [7])
        #expect(consumer.frameCounters.latestSuperseded == 7)

        // An invalid config (DECIMATED with decimation 0) is rejected and counted; the mode stays LATEST.
        _ = authority.sendConsumerConfig(ConsumerConfigCommand(streamId: 1, consumerId: 22, mode: .decimated, decimation: 0))
        let rejected = try env.pump(until: { consumer.statistics[.configsRejected] == 1 }) { now in _ = try consumer.doWork(nowNs: now) }
        #expect(rejected)
        #expect(consumer.modeSettings.mode == .latest)
    }

    @Test func zeroCopyClaimsInFlightCommitInOrderAndAbort() throws {
        let env = try WiringTestEnvironment("zero-copy")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(), aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        let consumer = try Self.makeConsumer(env, id: 23)
        try ProducerConsumerTests.connect(env, producer, [consumer]) { [consumer.mappedEpoch] }
        let layout = ProducerConsumerTests.layout
        let size = layout.contiguousByteCount
        let now = TensorPoolClock.monotonicNs()
        let a = try #require(producer.claim(byteCount: size, nowNs: now))
        let b = try #require(producer.claim(byteCount: size, nowNs: now))
        let c = try #require(producer.claim(byteCount: size, nowNs: now))
        #expect([a.seq, b.seq, c.seq] == [0, 1, 2])
        #expect(producer.claimsInFlight == 3)
        #expect(a.strideBytes == 1 << 16 && a.poolId == 1)
        for claim in [a, b, c] { SyntheticFramePattern.fill(claim.payload, count: size, epoch: producer.epoch, seq: claim.seq) }
        // Out of order: c before a is refused and nothing is sent.
        #expect(producer.commit(c, layout: layout, valuesLength: size, timestampNs: now, nowNs: now) == .dropped(.outOfOrder(expectedSeq: 0, claimSeq: 2)))
        // The copy path is refused too while claims are in flight.
        #expect(producer.publish(UnsafeRawBufferPointer(a.payload), layout: layout, timestampNs: now, nowNs: now).seq == nil)
        #expect(producer.commit(a, layout: layout, valuesLength: size, timestampNs: now, nowNs: now) == .published(seq: 0))
        producer.abort(b)
        #expect(producer.commit(c, layout: layout, valuesLength: size, timestampNs: now, nowNs: now) == .published(seq: 2))
        #expect(producer.commit(c, layout: layout, valuesLength: size, timestampNs: now, nowNs: now) == .dropped(.unknownClaim))
        #expect(producer.claimsInFlight == 0)
        let firstTwo = try env.pump(until: { consumer.frameCounters.descriptorsSeen >= 2 }) { now in _ = try consumer.doWork(nowNs: now) }
        #expect(firstTwo)
        #expect(consumer.handler.accepted == [0, 2])
        // A claim that would overwrite a slot still in flight is refused: at most nslots claims.
        var claims: [ProducerClaim] = []
        while let claim = producer.claim(byteCount: size, nowNs: now) { claims.append(claim) }
        #expect(claims.count == 64)
        #expect(producer.statistics[.claimsRefused] == 1)
        for claim in claims { producer.abort(claim) }
        #expect(producer.claimsInFlight == 0)
        let d = try #require(producer.claim(byteCount: size, nowNs: now))
        SyntheticFramePattern.fill(d.payload, count: size, epoch: producer.epoch, seq: d.seq)
        #expect(producer.commit(d, layout: layout, valuesLength: size, timestampNs: now, nowNs: now) == .published(seq: 67))

        let done = try env.pump(until: { consumer.frameCounters.descriptorsSeen >= 3 }) { now in _ = try consumer.doWork(nowNs: now) }
        #expect(done)
        #expect(consumer.handler.accepted == [0, 2, 67])
        #expect(consumer.handler.corrupt.isEmpty)
        #expect(consumer.frameCounters.dropsGap == 1 + 64)
        #expect(producer.statistics[.claimsAborted] == 65)
    }

    @Test func tooLargeFrameIsDroppedAndCounted() throws {
        let env = try WiringTestEnvironment("too-large")
        defer { env.close() }
        let producer = try TensorPoolProducer(
            configuration: env.producerConfiguration(pools: [.init(poolId: 1, strideBytes: 4096), .init(poolId: 2, strideBytes: 16384)]),
            aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        let big = UnsafeMutableRawBufferPointer.allocate(byteCount: 20_000, alignment: 8)
        defer { big.deallocate() }
        let now = TensorPoolClock.monotonicNs()
        let layout = TensorLayout(dtype: .uint8, shape: [20_000])
        #expect(producer.publish(UnsafeRawBufferPointer(big), layout: layout, timestampNs: now, nowNs: now) == .dropped(.tooLarge(bytes: 20_000)))
        #expect(producer.claim(byteCount: 20_000, nowNs: now) == nil)
        #expect(producer.statistics[.oversizeDrops] == 2)
        #expect(producer.nextSeq == 0)
        // Size classes: 3000 bytes go to the 4 KiB pool, 10000 to the 16 KiB one.
        let c1 = try #require(producer.claim(byteCount: 3000, nowNs: now))
        #expect(c1.poolId == 1 && c1.strideBytes == 4096)
        producer.abort(c1)
        let c2 = try #require(producer.claim(byteCount: 10_000, nowNs: now))
        #expect(c2.poolId == 2 && c2.strideBytes == 16384)
        producer.abort(c2)
        // A layout that does not describe the payload length is refused at commit and counted.
        let e = try #require(producer.claim(byteCount: 100, nowNs: now))
        let result = producer.commit(e, layout: TensorLayout(dtype: .float64, shape: [100]), valuesLength: 100, timestampNs: now, nowNs: now)
        guard case .dropped(.invalidLayout) = result else {
            Issue.record("expected invalidLayout, got \(result)")
            return
        }
        #expect(producer.statistics[.invalidLayoutDrops] == 1)
        #expect(producer.claimsInFlight == 0)
    }

    @Test func helloWithWrongLayoutVersionGetsInvalidParams() throws {
        let env = try WiringTestEnvironment("hello-invalid")
        defer { env.close() }
        var options = env.producerOptions
        options.rejectHellosForOtherStreams = true
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(), aeron: env.aeron, options: options)
        defer { producer.close() }
        let client = try ControlPlane(aeron: env.aeron, endpoint: AeronEndpointConfiguration(aeronDir: env.aeronDir),
                                      roleName: "test-client", publishing: [.control], subscribing: [.control], logSink: env.logLines.sink)
        defer { client.close() }
        var recorder = ResponseRecorder()
        let sent = try env.pump(until: { client.isConnected(.control) }) { now in _ = try producer.doWork(nowNs: now) }
        #expect(sent)
        _ = client.sendConsumerHello(ConsumerHint(streamId: 1, consumerId: 31, expectedLayoutVersion: 99))
        _ = client.sendConsumerHello(ConsumerHint(streamId: 77, consumerId: 32))
        let got = try env.pump(until: { recorder.responses.count >= 2 }) { now in
            _ = try producer.doWork(nowNs: now)
            _ = client.poll(&recorder, nowNs: now)
        }
        #expect(got)
        let byId = Dictionary(recorder.responses.map { ($0.correlationId, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byId[31]?.code == .invalidParams)
        #expect(byId[31]?.message.contains("expected_layout_version 99") == true)
        #expect(byId[32]?.code == .rejected)
        #expect(byId[32]?.message.contains("unknown stream_id 77") == true)
        #expect(producer.statistics[.hellosRejected] == 2)
        #expect(producer.consumerIds.isEmpty)
    }
}

/// Records `ControlResponse` messages.
struct ResponseRecorder: ControlMessageHandler {
    var responses: [(correlationId: Int64, code: ResponseCode, message: String)] = []
    mutating func onControlResponse(_ message: ControlResponseDecoder, nowNs: UInt64) throws(SBEError) {
        var d = message
        responses.append((message.correlationId, message.code, try d.errorMessageString()))
    }
}
