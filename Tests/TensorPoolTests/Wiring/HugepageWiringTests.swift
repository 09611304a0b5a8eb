import AeronInteropSupport
import Foundation
import Testing
import TensorPoolCore
@testable import TensorPool
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A producer that requires hugepages, on a real hugetlbfs mount (`TP_HUGETLBFS_DIR`, see `scripts/hugetlbfs.sh`):
/// its regions are whole hugepages, it announces `require_hugepages=true`, and a consumer maps and verifies
/// full-stride frames that cross a hugepage boundary. With too few free hugepages the producer does not start
/// and says why.
@Suite(.enabled(if: HugetlbfsDirectory.isEnabled, "TP_HUGETLBFS_DIR=off"))
struct HugepageWiringTests {
    static let hugepage = 2 << 20

    @Test func aConsumerVerifiesFramesFromHugepageRegions() throws {
        let base = try HugetlbfsDirectory("tp-wiring")
        let env = try WiringTestEnvironment("hugepages", shmBase: base.path)
        defer { env.close() }
        var configuration = env.producerConfiguration(nslots: 4, pools: [.init(poolId: 1, strideBytes: UInt32(Self.hugepage))])
        configuration.requireHugepages = true
        // hugetlbfs takes no written files: the epoch is persisted on /dev/shm, under a name for this root.
        let epochs = EpochAllocator.defaultDirectory(shmRootDir: env.shmRoot)
        #expect(epochs == "/dev/shm/tp-epochs/" + env.shmRoot.dropFirst().replacingOccurrences(of: "/", with: "_"))
        #expect(EpochAllocator.defaultDirectory(shmRootDir: "/dev/shm") == "/dev/shm/epochs")
        defer { try? FileManager.default.removeItem(atPath: epochs) }
        let producer = try TensorPoolProducer(configuration: configuration, aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        #expect(try EpochAllocator(directory: epochs).lastEpoch(streamId: 1, producerId: configuration.producerId) == producer.epoch)
        let consumer = try TensorPoolConsumer(configuration: env.consumerConfiguration(consumerId: 21), aeron: env.aeron,
                                              handler: VerifyingHandler(), options: env.consumerOptions)
        try ProducerConsumerTests.connect(env, producer, [consumer]) { [consumer.mappedEpoch] }

        let pool = env.shmRoot + "/1/\(producer.epoch)/pool-1.pool"
        #expect(try HugepageBacking.of(path: pool).isHugetlbfs)
        var st = stat()
        #expect(stat(pool, &st) == 0 && Int(st.st_size) == 5 * Self.hugepage)

        // 512 × 1024 float32 = one whole stride: every frame spans two hugepages.
        let layout = TensorLayout(dtype: .float32, shape: [512, 1024])
        for _ in 0..<12 {
            let now = TensorPoolClock.monotonicNs()
            ProducerConsumerTests.publish(producer, count: 1, layout: layout, nowNs: now)
            try env.pump(timeoutS: 5, until: { consumer.handler.accepted.count + consumer.handler.corrupt.count == Int(producer.nextSeq) }) { now in
                _ = try producer.doWork(nowNs: now)
                _ = try consumer.doWork(nowNs: now)
            }
        }
        #expect(producer.statistics[.framesPublished] == 12)
        #expect(consumer.handler.accepted == Array(0..<12))
        #expect(consumer.handler.corrupt.isEmpty && consumer.handler.torn == 0)
    }

    @Test func tooFewHugepagesStopsTheProducerWithTheReason() throws {
        let base = try HugetlbfsDirectory("tp-wiring-none")
        let env = try WiringTestEnvironment("hugepages-none", shmBase: base.path)
        defer { env.close() }
        let nslots = try HugetlbfsDirectory.slotCountBeyondFreeHugepages()
        var configuration = env.producerConfiguration(nslots: UInt32(nslots), pools: [.init(poolId: 1, strideBytes: UInt32(Self.hugepage))])
        configuration.requireHugepages = true
        defer { try? FileManager.default.removeItem(atPath: EpochAllocator.defaultDirectory(shmRootDir: env.shmRoot)) }
        do {
            let producer = try TensorPoolProducer(configuration: configuration, aeron: env.aeron, options: env.producerOptions)
            producer.close()
            Issue.record("the producer started with \(nslots) hugepage slots")
        } catch {
            #expect("\(error)".contains("free hugepages"), "\(error)")
        }
        // Nothing is left in the SHM root for this stream.
        let entries = (try? FileManager.default.subpathsOfDirectory(atPath: env.shmRoot)) ?? []
        #expect(!entries.contains { $0.hasSuffix(".pool") || $0.hasSuffix(".ring") }, "\(entries)")
    }
}
