import Testing
@testable import TensorPool

@Suite struct BridgeFallbackURITests {
    @Test func streamIdParameterIsTakenOutOfTheChannel() throws {
        #expect(try BridgeFallbackURI.parse("aeron:udp?endpoint=10.0.0.5:40123|stream-id=7001", defaultStreamId: nil).get()
                == BridgeFallbackURI(channel: "aeron:udp?endpoint=10.0.0.5:40123", streamId: 7001))
        #expect(try BridgeFallbackURI.parse("aeron:udp?stream-id=-3|endpoint=h:1|mtu=8192", defaultStreamId: 5).get()
                == BridgeFallbackURI(channel: "aeron:udp?endpoint=h:1|mtu=8192", streamId: -3))
        #expect(try BridgeFallbackURI.parse("aeron:ipc?stream-id=9", defaultStreamId: nil).get()
                == BridgeFallbackURI(channel: "aeron:ipc", streamId: 9))
    }

    @Test func configuredStreamIdAppliesWithoutTheParameter() throws {
        #expect(try BridgeFallbackURI.parse("aeron:ipc", defaultStreamId: 77).get() == BridgeFallbackURI(channel: "aeron:ipc", streamId: 77))
        #expect(try BridgeFallbackURI.parse("aeron:udp?endpoint=h:1", defaultStreamId: 77).get()
                == BridgeFallbackURI(channel: "aeron:udp?endpoint=h:1", streamId: 77))
    }

    @Test func refusals() {
        #expect(BridgeFallbackURI.parse("bridge://cam", defaultStreamId: 1) == .failure(.bridgeIdUnsupported("bridge://cam")))
        #expect(BridgeFallbackURI.parse("shm:file?path=/x", defaultStreamId: 1) == .failure(.unsupportedScheme("shm:file?path=/x")))
        #expect(BridgeFallbackURI.parse("aeron:ipc", defaultStreamId: nil) == .failure(.noStreamId("aeron:ipc")))
        #expect(BridgeFallbackURI.parse("aeron:", defaultStreamId: 1).isFailure)
        #expect(BridgeFallbackURI.parse("aeron:ipc?stream-id=x", defaultStreamId: 1).isFailure)
        #expect(BridgeFallbackURI.parse("aeron:ipc?stream-id=99999999999", defaultStreamId: 1).isFailure)
        #expect(BridgeFallbackURI.parse("aeron:ipc?stream-id=1|stream-id=2", defaultStreamId: nil).isFailure)
        #expect("\(BridgeFallbackURIError.bridgeIdUnsupported("bridge://cam"))".contains("not supported"))
    }
}

extension Result {
    var isFailure: Bool { if case .failure = self { true } else { false } }
}
