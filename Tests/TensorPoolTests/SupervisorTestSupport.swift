import Foundation
import Testing
import Synchronization
import AeronClient
import SBE
import TensorPoolCodecs
import TensorPoolCore
@testable import TensorPool

/// A supervisor agent on an embedded driver, driven by the test with explicit (synthetic) times, plus fake
/// peers that publish through real control planes.
final class SupervisorHarness {
    static let t0: UInt64 = 1_000_000_000_000
    static let ms: UInt64 = 1_000_000

    let env: EmbeddedAeron
    let agent: SupervisorAgent
    let log = SupervisorLogCollector()

    /// Cadences 100 ms, STALE after 3, EXPIRED after 6; housekeeping every 10 ms of synthetic time.
    init(_ tag: String = #function, shmRoot: String? = nil, policy: DropRatePolicy? = nil, statusIntervalNs: UInt64 = 0,
         purgeExpiredAfterNs: UInt64 = 0, maxPeers: Int = 4096) throws {
        env = try EmbeddedAeron(tag)
        var configuration = SupervisorConfiguration(user: "test")
        configuration.aeron.aeronDir = env.directory
        configuration.announceIntervalMs = 100
        configuration.qosIntervalMs = 100
        configuration.staleMultiple = 3
        configuration.expiredMultiple = 6
        if let policy { configuration.policy = policy } else { configuration.policy.enabled = false }
        let settings = SupervisorSettings(configuration: configuration, shmRoot: shmRoot, supervisorId: 1,
                                          statusIntervalNs: statusIntervalNs, housekeepingIntervalNs: 10 * Self.ms,
                                          purgeExpiredAfterNs: purgeExpiredAfterNs, maxPeers: maxPeers,
                                          logSink: log.sink)
        do { agent = try SupervisorAgent(aeron: env.aeron, settings: settings) } catch { env.close(); throw error }
    }

    var endpoint: AeronEndpointConfiguration { agent.settings.configuration.aeron }

    /// A control plane publishing every stream (a fake producer or consumer).
    func peer(_ name: String) throws -> ControlPlane {
        let plane = try ControlPlane(aeron: env.aeron, endpoint: endpoint, roleName: name,
                                     publishing: [.control, .qos, .metadata], subscribing: [], logSink: .discard)
        #expect(eventually { plane.isConnected(.control) && plane.isConnected(.qos) })
        return plane
    }

    /// Runs duty cycles at the fixed time `nowNs` until `condition` holds (real-time bounded).
    @discardableResult
    func pump(at nowNs: UInt64, until condition: () -> Bool) -> Bool {
        eventually {
            _ = agent.doWork(nowNs: nowNs)
            return condition()
        }
    }

    func producer(_ stream: UInt32, _ id: UInt32) -> SupervisorRegistry.ProducerRecord? {
        agent.registry.producers[ProducerKey(streamId: stream, producerId: id)]
    }

    func consumer(_ stream: UInt32, _ id: UInt32) -> SupervisorRegistry.ConsumerRecord? {
        agent.registry.consumers[ConsumerKey(streamId: stream, consumerId: id)]
    }

    func close() {
        agent.onClose()
        env.close()
    }
}

/// Collects log lines from any thread.
final class SupervisorLogCollector: Sendable {
    private let lines = Mutex<[String]>([])
    var sink: TensorPoolLogSink { TensorPoolLogSink { [self] line in lines.withLock { $0.append(line) } } }
    var all: [String] { lines.withLock { $0 } }
    func contains(_ text: String) -> Bool { all.contains { $0.contains(text) } }
}

/// An announce for a header ring at `uri`.
func fakeAnnounce(stream: UInt32, producer: UInt32, epoch: UInt64, uri: String, nslots: UInt32 = 16) -> AnnounceSummary {
    AnnounceSummary(streamId: stream, producerId: producer, epoch: epoch, layoutVersion: RegionLayout.layoutVersion,
                    headerRegionUri: uri, headerNslots: nslots,
                    pools: [.init(poolId: 1, nslots: nslots, strideBytes: 4096, regionUri: "shm:file?path=/nonexistent/pool")])
}

/// Receives `ConsumerConfig` messages on the control stream, as a consumer would.
struct ConsumerConfigCollector: ControlMessageHandler {
    var received: [ConsumerConfigCommand] = []

    mutating func onConsumerConfig(_ message: ConsumerConfigDecoder, nowNs: UInt64) throws(SBEError) {
        var decoder = message
        let uri = SBEText.string(try decoder.payloadFallbackUri())
        received.append(ConsumerConfigCommand(
            streamId: decoder.streamId, consumerId: decoder.consumerId, useShm: decoder.useShm == .true,
            mode: ConsumerMode(rawValue: decoder.mode.rawValue) ?? .stream, decimation: decoder.decimation,
            payloadFallbackUri: uri.isEmpty ? nil : uri))
    }
}

/// A unique empty directory under /dev/shm, removed by `remove()`.
struct TemporaryRoot {
    let path: String
    init(_ tag: String = #function) throws {
        let clean = tag.filter { $0.isLetter || $0.isNumber }
        path = "/dev/shm/tp-root-\(clean.prefix(24))-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
