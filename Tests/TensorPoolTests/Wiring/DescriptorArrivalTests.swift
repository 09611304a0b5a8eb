import Testing
import AeronClient
import SBE
import TensorPoolCodecs
import TensorPoolCore
@testable import TensorPool

/// `TensorFrameHandler.onDescriptor` (the descriptor's arrival, before admission and the slot read) and the
/// prioritized descriptor polling it relies on for a short idle loop.
@Suite struct DescriptorArrivalTests {
    /// Records the order of handler calls.
    struct ArrivalRecorder: TensorFrameHandler {
        enum Event: Equatable {
            case descriptor(seq: UInt64, timestampNs: UInt64?)
            case frame(seq: UInt64, timestampNs: UInt64)
        }
        var events: [Event] = []

        mutating func onDescriptor(seq: UInt64, timestampNs: UInt64?) {
            events.append(.descriptor(seq: seq, timestampNs: timestampNs))
        }

        mutating func onFrame(_ frame: borrowing TensorFrame) {
            events.append(.frame(seq: frame.seq, timestampNs: frame.header.timestampNs))
        }
    }

    @Test func everyDescriptorIsAnnouncedBeforeItsFrameWithTheCommitStamp() throws {
        let env = try WiringTestEnvironment("descriptor-arrival")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(), aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        // DECIMATED by 2: the odd descriptors are dropped by admission, but still arrive.
        let consumer = try TensorPoolConsumer(configuration: env.consumerConfiguration(consumerId: 31, mode: .decimated, decimation: 2),
                                              aeron: env.aeron, handler: ArrivalRecorder(), options: env.consumerOptions)
        defer { consumer.close() }
        try ProducerConsumerTests.connect(env, producer, [consumer]) { [consumer.mappedEpoch] }

        let stamps: [UInt64] = [1_000, 2_000, 3_000, 4_000]
        for stamp in stamps {
            ProducerConsumerTests.publish(producer, count: 1, nowNs: stamp)
        }
        let seen = try env.pump(until: { consumer.frameCounters.descriptorsSeen >= 4 }) { now in _ = try consumer.doWork(nowNs: now) }
        #expect(seen)
        #expect(consumer.handler.events == [
            .descriptor(seq: 0, timestampNs: 1_000), .frame(seq: 0, timestampNs: 1_000),
            .descriptor(seq: 1, timestampNs: 2_000),
            .descriptor(seq: 2, timestampNs: 3_000), .frame(seq: 2, timestampNs: 3_000),
            .descriptor(seq: 3, timestampNs: 4_000),
        ])
    }

    @Test func descriptorOfAnotherStreamIsNotAnnounced() throws {
        let env = try WiringTestEnvironment("descriptor-other-stream")
        defer { env.close() }
        let consumer = try TensorPoolConsumer(configuration: env.consumerConfiguration(consumerId: 32),
                                              aeron: env.aeron, handler: ArrivalRecorder(), options: env.consumerOptions)
        defer { consumer.close() }
        let sender = try ControlPlane(aeron: env.aeron, endpoint: AeronEndpointConfiguration(aeronDir: env.aeronDir),
                                      roleName: "other-producer", publishing: [.descriptor], subscribing: [], logSink: .discard)
        defer { sender.close() }
        let sent = env.pump(until: {
            sender.sendFrameDescriptor(streamId: 99, epoch: 1, seq: 5, headerIndex: 1, timestampNs: 7, metaVersion: nil).position != nil
        }) { now in _ = try? consumer.doWork(nowNs: now) }
        #expect(sent)
        for _ in 0..<(4 * Int(ControlPlane.secondaryPollInterval)) { _ = try consumer.doWork(nowNs: TensorPoolClock.monotonicNs()) }
        #expect(consumer.handler.events.isEmpty)
    }

    @Test func idleControlPlaneSpinsOnThePrioritizedStreamAndPollsTheOthersOnceInAnInterval() throws {
        let env = try WiringTestEnvironment("prioritized-idle")
        defer { env.close() }
        let endpoint = AeronEndpointConfiguration(aeronDir: env.aeronDir)
        let receiver = try ControlPlane(aeron: env.aeron, endpoint: endpoint, roleName: "receiver", publishing: [],
                                        subscribing: [.control, .descriptor], prioritizing: .descriptor, logSink: .discard)
        defer { receiver.close() }
        let sender = try ControlPlane(aeron: env.aeron, endpoint: endpoint, roleName: "sender", publishing: [.control],
                                      subscribing: [], logSink: .discard)
        defer { sender.close() }
        var collector = ConsumerConfigCollector()
        let command = ConsumerConfigCommand(streamId: 1, consumerId: 2, mode: .latest)
        let sent = env.pump(until: { sender.sendConsumerConfig(command).position != nil }) { _ in }
        #expect(sent)
        let arrived = env.pump(until: { !collector.received.isEmpty }) { now in _ = receiver.poll(&collector, nowNs: now) }
        #expect(arrived)
        // Nothing is pending now: align the cycle so that the next poll is the first of an interval.
        while receiver.pollCycle.pointee % ControlPlane.secondaryPollInterval != 0 {
            _ = receiver.poll(&collector, nowNs: TensorPoolClock.monotonicNs())
        }
        collector.received = []
        // On IPC the offer writes into the log the receiver's image reads: the message is there once it returns.
        let again = env.pump(until: { sender.sendConsumerConfig(command).position != nil }) { _ in }
        #expect(again)
        for _ in 1..<ControlPlane.secondaryPollInterval {
            #expect(receiver.poll(&collector, nowNs: TensorPoolClock.monotonicNs()) == 0)
        }
        #expect(collector.received.isEmpty)
        #expect(receiver.poll(&collector, nowNs: TensorPoolClock.monotonicNs()) == 1)
        #expect(collector.received == [command])
    }

    /// A descriptor in the exact version-1 shape takes `ControlPlane`'s one-comparison path; every other shape (a
    /// longer block, a later version, a short fragment) the field-by-field dispatch. Both must decode the same
    /// fields, and a fragment one byte short of a descriptor must be rejected, not read past its end.
    @Test func descriptorsOfEveryShapeAreDecodedOrRejectedAlike() throws {
        let env = try WiringTestEnvironment("descriptor-shapes")
        defer { env.close() }
        let consumer = try TensorPoolConsumer(configuration: env.consumerConfiguration(consumerId: 33), aeron: env.aeron,
                                              handler: ArrivalRecorder(), options: env.consumerOptions)
        defer { consumer.close() }
        let raw = try env.aeron.addPublication(channel: "aeron:ipc", streamId: AeronEndpointConfiguration(aeronDir: env.aeronDir).descriptorStreamId)
        defer { try? raw.close() }
        #expect(try env.pump(until: { raw.isConnected }) { now in _ = try consumer.doWork(nowNs: now) })

        func descriptor(seq: UInt64, timestampNs: UInt64, blockLength: UInt16 = 36, version: UInt16 = 1) -> [UInt8] {
            var bytes = ProgressAndHostileTests.header(blockLength: blockLength, template: 4, schema: 900, version: version)
            func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
            put(UInt32(1)); put(UInt64(0)); put(seq); put(UInt32(3)); put(timestampNs); put(UInt32.max)
            bytes += [UInt8](repeating: 0xAB, count: Int(blockLength) - 36)
            return bytes
        }
        var short = descriptor(seq: 9, timestampNs: 9)
        short.removeLast()
        let messages = [
            descriptor(seq: 1, timestampNs: 100),                       // exact shape
            short,                                                      // one byte short: rejected
            descriptor(seq: 2, timestampNs: 200, blockLength: 40),      // a later schema's longer block
            descriptor(seq: 3, timestampNs: 300, version: 2),           // a later version
            descriptor(seq: 4, timestampNs: .max),                      // exact shape, null timestamp
        ]
        for message in messages {
            #expect(env.pump(until: { message.withUnsafeBytes { raw.offer($0) }.position != nil }) { _ in })
        }
        let counters = consumer.controlPlane.counters
        let done = try env.pump(until: { counters.received(templateId: 4) + counters.rejectedTotal >= 5 }) { now in
            _ = try consumer.doWork(nowNs: now)
        }
        #expect(done)
        #expect(counters.received(templateId: 4) == 4)
        #expect(counters.rejected(.truncated) == 1)
        #expect(counters.rejectedTotal == 1)
        #expect(consumer.handler.events == [
            .descriptor(seq: 1, timestampNs: 100), .descriptor(seq: 2, timestampNs: 200),
            .descriptor(seq: 3, timestampNs: 300), .descriptor(seq: 4, timestampNs: nil),
        ])
    }
}
