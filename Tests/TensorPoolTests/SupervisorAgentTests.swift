import Testing
import Foundation
import AeronClient
import AeronDriver
import TensorPoolCodecs
@testable import TensorPool

/// The supervisor agent against the embedded Aeron driver: hello and QoS in, ConsumerConfig out.
@Suite struct SupervisorAgentTests {
    @Test func consumesHelloAndQosAndPublishesPolicyCommand() throws {
        var driverContext = MediaDriverContext()
        driverContext.aeronDirectory = "/dev/shm/tp-roles-supervisor-\(UUID().uuidString)"
        driverContext.ipcTermLength = 64 * 1024
        driverContext.deleteDirectoryOnShutdown = true
        let driver = try MediaDriver.launch(driverContext)
        defer { driver.close() }
        var clientContext = AeronContext(directory: driverContext.aeronDirectory)
        clientContext.driverTimeoutMs = 5_000
        let aeron = try Aeron.connect(clientContext)
        defer { aeron.close() }

        var config = SupervisorConfiguration(user: "test")
        config.policy = DropRatePolicy(windowNs: 2_000_000_000, maxDropFraction: 0.05, minFrames: 10, action: .decimated, decimation: 3)
        let agent = try SupervisorAgent(configuration: config, aeron: aeron)

        let control = try aeron.addPublication(channel: "aeron:ipc", streamId: config.aeron.controlStreamId)
        let qos = try aeron.addPublication(channel: "aeron:ipc", streamId: config.aeron.qosStreamId)
        let commands = try aeron.addSubscription(channel: "aeron:ipc", streamId: config.aeron.controlStreamId)
        let m = MessageBuffer()

        var received: [ConsumerConfigCommand] = []
        let second: UInt64 = 1_000_000_000
        var simulatedNow: UInt64 = 0
        let deadline = Date().addingTimeInterval(20)
        var step: UInt64 = 0
        while received.isEmpty && Date() < deadline {
            // Simulated time advances one second per step; the consumer drops 20% of its frames.
            simulatedNow = step * second
            try m.hello(ConsumerHint(streamId: 1, consumerId: 77, mode: .stream))
            _ = control.offer(UnsafeRawBufferPointer(start: m.raw, count: m.length))
            try m.qos(QosConsumerReport(streamId: 1, consumerId: 77, epoch: 1, lastSeqSeen: step * 100, dropsGap: step * 20, dropsLate: 0, mode: .stream))
            _ = qos.offer(UnsafeRawBufferPointer(start: m.raw, count: m.length))
            for _ in 0..<20 { agent.doWork(nowNs: simulatedNow) }
            _ = commands.poll(fragmentLimit: 16) { payload, _ in
                guard let base = payload.baseAddress,
                      MessageHeaderPeek.templateId(base, length: payload.count) == TensorPoolSchema.TemplateId.consumerConfig,
                      var d = try? ConsumerConfigDecoder(wrapAndCheckHeader: base, offset: 0, capacity: payload.count),
                      let command = try? ConsumerConfigCommand(&d) else { return }
                received.append(command)
            }
            step += 1
            usleep(2_000)
        }
        #expect(received.first == ConsumerConfigCommand(streamId: 1, consumerId: 77, useShm: true, mode: .decimated, decimation: 3))
        #expect(agent.commandsSent >= 1)
        let status = agent.status(nowNs: simulatedNow)
        #expect(status.consumers.map(\.key) == [ConsumerKey(streamId: 1, consumerId: 77)])
        #expect(status.consumers.first?.commandedMode == .decimated)
        #expect(agent.inbox.counters.malformed == 0)
        #expect(agent.inbox.counters.applied >= 4)
    }
}
