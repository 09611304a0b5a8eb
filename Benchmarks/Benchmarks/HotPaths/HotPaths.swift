import AeronClient
import AeronDriver
import Benchmark
import Foundation
import TensorPoolCodecs
import TensorPoolCore

// Each benchmark measures one hot primitive `scaledIterations` times per sample; malloc counts are reported per
// operation (the ~16 harness allocations per sample vanish at scalingFactor .kilo).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .instructions],
        scalingFactor: .kilo, maxDuration: .seconds(3), maxIterations: 1_000)

    Benchmark("encode FrameDescriptor") { benchmark in
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 256, alignment: 64)
        defer { buffer.deallocate() }
        var seq: UInt64 = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            seq &+= 1
            let encoder = try FrameDescriptorEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: 256)
            encoder.streamId = 1; encoder.epoch = 2; encoder.seq = seq
            encoder.headerIndex = UInt32(truncatingIfNeeded: seq & 63); encoder.timestampNs = seq; encoder.metaVersion = nil
        }
        benchmark.stopMeasurement()
        blackHole(buffer.load(fromByteOffset: 16, as: UInt64.self))
    }

    Benchmark("decode FrameDescriptor") { benchmark in
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 256, alignment: 64)
        defer { buffer.deallocate() }
        let encoder = try FrameDescriptorEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: 256)
        encoder.streamId = 1; encoder.epoch = 2; encoder.seq = 3; encoder.headerIndex = 4; encoder.timestampNs = 5
        encoder.metaVersion = 6
        var sum: UInt64 = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let decoder = try FrameDescriptorDecoder(wrapAndCheckHeader: UnsafeRawPointer(buffer), offset: 0, capacity: 256)
            sum &+= decoder.seq &+ UInt64(decoder.headerIndex) &+ (decoder.timestampNs ?? 0)
        }
        benchmark.stopMeasurement()
        blackHole(sum)
    }

    for size in [64, 64 << 10, 4 << 20] {
        let box = FixtureBox<SeqlockBenchFixture>()
        Benchmark("seqlock read \(size) B (withFrame, sum every byte)", closure: { benchmark in
            guard let fixture = box.value else { return }
            var sum: UInt64 = 0
            for _ in benchmark.scaledIterations {
                if case .accepted(let s) = fixture.reader.withFrame(seq: 0, headerIndex: 0, { _, span in
                    span.withUnsafeBytes { SeqlockBenchFixture.sum($0) }
                }) { sum &+= s }
            }
            blackHole(sum)
        }, setup: { box.value = try SeqlockBenchFixture(size: size) }, teardown: { box.value?.close(); box.value = nil })
    }

    let offerBox = FixtureBox<AeronBenchFixture>()
    Benchmark("offer 32 B (exclusive publication, embedded Swift driver)", closure: { benchmark in
        guard let fixture = offerBox.value else { return }
        var refused = 0
        fixture.message.withUnsafeBytes { message in
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations where fixture.publication.offer(message).position == nil { refused += 1 }
            benchmark.stopMeasurement()
        }
        // Drain outside the measurement so the next sample has room (its cost is the "poll" benchmark's).
        while fixture.subscription.poll(fragmentLimit: 256, { _, _ in }) > 0 {}
        blackHole(refused)
    }, setup: { offerBox.value = try AeronBenchFixture() }, teardown: { offerBox.value?.close(); offerBox.value = nil })

    let pollBox = FixtureBox<AeronBenchFixture>()
    Benchmark("poll 32 B (fragmentLimit 1, one fragment per poll)", closure: { benchmark in
        guard let fixture = pollBox.value else { return }
        fixture.message.withUnsafeBytes { message in
            for _ in benchmark.scaledIterations { _ = fixture.publication.offer(message) }
        }
        var received = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            received += fixture.subscription.poll(fragmentLimit: 1) { payload, _ in blackHole(payload.count) }
        }
        benchmark.stopMeasurement()
        blackHole(received)
    }, setup: { pollBox.value = try AeronBenchFixture() }, teardown: { pollBox.value?.close(); pollBox.value = nil })
}

/// Holds a fixture built by a benchmark's setup hook for its closure (the harness runs them on one task).
final class FixtureBox<Value>: @unchecked Sendable {
    var value: Value?
}

/// One committed frame of `size` bytes in fresh regions under /dev/shm, and a reader over it.
final class SeqlockBenchFixture {
    let directory: String
    let regions: RegionSet
    let reader: SeqlockReader

    init(size: Int) throws {
        directory = "/dev/shm/tp-benchmark-\(getpid())-\(size)"
        _ = mkdir(directory, 0o700)
        var stride = 4096
        while stride < size { stride <<= 1 }
        regions = try RegionSet.create(.init(root: directory, streamId: 1, epoch: 1, nslots: 4,
                                             pools: [.init(poolId: 1, strideBytes: stride)]), nowNs: 1)
        let writer = try SlotWriter(regions: regions)
        guard let claim = writer.claim(frameId: 0, poolId: 1) else { throw CocoaError(.featureUnsupported) }
        memset(claim.payload.baseAddress!, 1, size)
        let header = TensorSlotHeader(valuesLenBytes: UInt32(size), poolId: 1, dtype: .uint8, majorOrder: .row, ndims: 1,
                                      dims: TensorDims([Int32(size)]))
        guard writer.commit(claim, header: header) == nil else { throw CocoaError(.featureUnsupported) }
        reader = try SeqlockReader(headerRing: regions.headerRing, pools: regions.pools)
    }

    func close() {
        regions.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func sum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var total: UInt64 = 0
        let base = bytes.baseAddress!
        for i in 0..<(bytes.count / 8) { total &+= base.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self) }
        return total
    }
}

/// An embedded Swift media driver, a client, and one connected IPC exclusive publication + subscription.
final class AeronBenchFixture {
    let driver: MediaDriver
    let aeron: Aeron
    let publication: ExclusivePublication
    let subscription: Subscription
    let message = [UInt8](repeating: 7, count: 32)

    init() throws {
        var context = MediaDriverContext()
        context.aeronDirectory = "/dev/shm/tp-benchmark-aeron-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        context.deleteDirectoryOnShutdown = true
        context.ipcTermLength = 16 << 20
        driver = try MediaDriver.launch(context)
        aeron = try Aeron.connect(AeronContext(directory: context.aeronDirectory))
        publication = try aeron.addExclusivePublication(channel: "aeron:ipc", streamId: 4242)
        subscription = try aeron.addSubscription(channel: "aeron:ipc", streamId: 4242)
        let deadline = Date().addingTimeInterval(10)
        while !(publication.isConnected && subscription.isConnected) && Date() < deadline { usleep(1_000) }
    }

    func close() {
        aeron.close()
        driver.close()
    }
}
