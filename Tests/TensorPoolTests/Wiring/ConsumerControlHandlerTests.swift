import Testing
import AeronClient
import TensorPoolCodecs
import TensorPoolCore
@testable import TensorPool

/// `TensorPoolConsumer.doWork` polls through `ConsumerControlHandler`, which must forward every message the
/// consumer handles: each message type is sent by a fake peer and its effect observed after the consumer's polls.
@Suite struct ConsumerControlHandlerTests {
    @Test func everyConsumerMessageReachesTheConsumerThroughItsDutyCycle() throws {
        let env = try WiringTestEnvironment("consumer-forwarding")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(), aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        var config = env.consumerConfiguration(consumerId: 41)
        config.supportsProgress = true
        let consumer = try TensorPoolConsumer(configuration: config, aeron: env.aeron, handler: VerifyingHandler(),
                                              options: env.consumerOptions)
        defer { consumer.close() }
        // ShmPoolAnnounce: the consumer maps only from what its polls deliver.
        try ProducerConsumerTests.connect(env, producer, [consumer]) { [consumer.mappedEpoch] }
        let epoch = producer.epoch

        let fake = try ControlPlane(aeron: env.aeron, endpoint: AeronEndpointConfiguration(aeronDir: env.aeronDir),
                                    roleName: "fake-peer", publishing: [.control, .descriptor, .qos, .metadata],
                                    subscribing: [], logSink: .discard)
        defer { fake.close() }
        func deliver(_ send: () -> PublicationResult, until effect: () -> Bool) throws -> Bool {
            let sent = env.pump(until: { send().position != nil }) { now in _ = try? consumer.doWork(nowNs: now) }
            guard sent else { return false }
            return try env.pump(until: effect) { now in _ = try consumer.doWork(nowNs: now) }
        }

        let seen = consumer.frameCounters.descriptorsSeen
        #expect(try deliver({ fake.sendFrameDescriptor(streamId: 1, epoch: epoch, seq: 1000, headerIndex: 8, timestampNs: 1,
                                                       metaVersion: nil) },
                            until: { consumer.frameCounters.descriptorsSeen > seen }), "FrameDescriptor")
        let progress = consumer.statistics[.progressDelivered]
        #expect(try deliver({ fake.sendFrameProgress(streamId: 1, epoch: epoch, frameId: 2000, headerIndex: 16,
                                                     payloadBytesFilled: 64, state: TensorPoolCodecs.FrameProgressState.progress, rowsFilled: nil) },
                            until: { consumer.statistics[.progressDelivered] > progress }), "FrameProgress")
        #expect(try deliver({ fake.sendConsumerConfig(ConsumerConfigCommand(streamId: 1, consumerId: 41, mode: .latest)) },
                            until: { consumer.statistics[.configsApplied] == 1 }), "ConsumerConfig")
        #expect(try deliver({ fake.sendDataSourceAnnounce(streamId: 1, producerId: 1, epoch: epoch, metaVersion: 0,
                                                          name: "forwarded-name", summary: nil) },
                            until: { consumer.dataSourceInfo?.name == "forwarded-name" }), "DataSourceAnnounce")
        let updates = consumer.statistics[.metadataUpdates]
        #expect(try deliver({ fake.sendDataSourceMeta(streamId: 1, metaVersion: 7, timestampNs: 1,
                                                      attributes: [MetaAttribute(key: "k", format: "text", value: Array("v".utf8))]) },
                            until: { consumer.statistics[.metadataUpdates] > updates }), "DataSourceMeta")
        #expect(try deliver({ fake.sendQosProducer(streamId: 1, producerId: 1, epoch: epoch, currentSeq: 12_345, watermark: nil) },
                            until: { consumer.state.pointee.coordinator.admission.producerSeqHighWater == 12_345 }),
                "QosProducer")
        #expect(try deliver({ fake.sendControlResponse(correlationId: 41, code: .rejected, errorMessage: "forwarded refusal") },
                            until: { env.logLines.lines.contains { $0.contains("forwarded refusal") } }), "ControlResponse")
    }
}
