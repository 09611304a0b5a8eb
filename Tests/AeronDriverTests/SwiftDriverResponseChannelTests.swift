import Foundation
import Testing
import AeronClient
@testable import AeronDriver

/// IPC response channels on the Swift driver, driven by the Swift client: the driver pairs the response
/// subscription with the publication that answers the request image, as the C driver does.
@Suite(.serialized) struct SwiftDriverResponseChannelTests {
    @Test func ipcResponseChannelPairsARequestWithItsResponse() throws {
        let driver = try RealCClientsOnSwiftDriverTests.launchDriver()
        defer { driver.close() }
        var context = AeronContext(directory: driver.aeronDirectory)
        context.driverTimeoutMs = 5_000
        let client = try Aeron.connect(context)
        defer { client.close() }
        let server = try Aeron.connect(context)
        defer { server.close() }
        let requests = try server.addSubscription(channel: "aeron:ipc", streamId: 80)
        let responseChannel = try ChannelUriStringBuilder(media: .ipc).controlMode(.response).build()
        let responses = try client.addSubscription(channel: responseChannel, streamId: 81)
        let bystander = try client.addSubscription(channel: responseChannel, streamId: 81)
        let plain = try client.addSubscription(channel: "aeron:ipc", streamId: 81)
        let request = try client.addExclusivePublication(
            channel: try ChannelUriStringBuilder(media: .ipc).responseCorrelationId(responses.registrationId).build(), streamId: 80)
        #expect(awaitCondition { requests.imageCount == 1 })
        let requestImage = try #require(requests.images.first)
        #expect(requestImage.correlationId == request.registrationId)
        // Before the response publication exists, a response subscription matches nothing on its stream.
        let other = try server.addExclusivePublication(channel: "aeron:ipc", streamId: 81)
        #expect(awaitCondition { plain.imageCount == 1 })
        #expect(responses.imageCount == 0 && bystander.imageCount == 0)
        let reply = try server.addExclusivePublication(
            channel: try ChannelUriStringBuilder(media: .ipc).responseCorrelationId(requestImage.correlationId).build(), streamId: 81)
        #expect(awaitCondition { responses.imageCount == 1 && plain.imageCount == 2 })
        #expect(responses.images.first?.sessionId == reply.sessionId)
        #expect(bystander.imageCount == 0)
        let answer = [UInt8]("pong!".utf8)
        #expect(answer.withUnsafeBytes { b in awaitCondition { reply.offer(b).position != nil } })
        var back: [UInt8] = []
        #expect(awaitCondition { _ = responses.poll(fragmentLimit: 1) { p, _ in back = Array(p) }; return !back.isEmpty })
        #expect(back == answer)
        _ = other
    }
}
