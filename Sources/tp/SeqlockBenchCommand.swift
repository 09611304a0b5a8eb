import ArgumentParser
import Foundation
import TensorPoolCore
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `tp bench`: printed benchmark figures (run a release build: `swift build -c release --product tp`).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Benchmarks that print figures.", subcommands: [SeqlockBench.self, BenchFrames.self, BenchFramesProducer.self, BenchFramesConsumer.self, FramePathCost.self, PlacementProbe.self])
}

/// `tp bench seqlock`: seqlock reads of one committed frame (copy-out and in-place checksum) next to a plain
/// memcpy / checksum of the same number of bytes, in GiB/s. Single process, no concurrent writer: this is the
/// cost of the protocol, not of contention.
struct SeqlockBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seqlock", abstract: "Seqlock read throughput vs memcpy.")

    @Option(help: "Region root (default /dev/shm).") var root = "/dev/shm"
    @Option(help: "Approximate bytes to move per measurement.") var bytesPerRun = 8 << 30
    @Option(help: "Repetitions per measurement (best is reported).") var repeats = 5

    func run() throws {
        let directory = root + "/tp-bench-\(getpid())"
        guard mkdir(directory, 0o700) == 0 else { throw ValidationError("cannot create \(directory)") }
        defer { rmdir(directory) }
        let sizes = [64 << 10, 4 << 20]
        let regions = try RegionSet.create(
            .init(root: directory, streamId: 1, epoch: 1, nslots: 4,
                  pools: sizes.enumerated().map { .init(poolId: UInt16($0.offset + 1), strideBytes: $0.element) }),
            nowNs: 1)
        defer {
            regions.close()
            rmdir(directory + "/1")
        }
        let writer = try SlotWriter(regions: regions)
        let reader = try SeqlockReader(headerRing: regions.headerRing, pools: regions.pools)
        let destination = UnsafeMutableRawBufferPointer.allocate(byteCount: sizes.max()!, alignment: 64)
        defer { destination.deallocate() }
        destination.initializeMemory(as: UInt8.self, repeating: 0)

        print("size      seqlock copyFrame   memcpy        seqlock withFrame+sum   plain sum")
        for (i, size) in sizes.enumerated() {
            let frameId = UInt64(i)
            let claim = writer.claim(frameId: frameId, poolId: UInt16(i + 1))!
            FramePattern.fill(claim.payload, frameId: frameId, count: size)
            let header = TensorSlotHeader(
                valuesLenBytes: UInt32(size), poolId: UInt16(i + 1), dtype: .uint64, majorOrder: .row, ndims: 1,
                dims: TensorDims([Int32(size / 8)]))
            guard writer.commit(claim, header: header) == nil else { throw ValidationError("commit failed") }
            let iterations = max(1, bytesPerRun / size)
            let source = UnsafeRawBufferPointer(claim.payload).baseAddress!

            // Every loop rewrites the first payload byte per iteration so the optimiser can neither hoist the
            // read out of the loop nor drop repeated identical copies; the plain and seqlock loops do the same work.
            let first = claim.payload.baseAddress!
            var sink: UInt64 = 0
            let copy = best(repeats) {
                var accepted = 0
                for n in 0..<iterations {
                    first.storeBytes(of: UInt8(truncatingIfNeeded: n), as: UInt8.self)
                    if case .accepted = reader.copyFrame(seq: frameId, headerIndex: UInt32(i), into: destination) { accepted += 1 }
                    sink &+= UInt64(destination[0])
                }
                precondition(accepted == iterations)
            }
            let memcpyTime = best(repeats) {
                for n in 0..<iterations {
                    first.storeBytes(of: UInt8(truncatingIfNeeded: n), as: UInt8.self)
                    memcpy(destination.baseAddress!, source, size)
                    sink &+= UInt64(destination[0])
                }
            }
            let sumRead = best(repeats) {
                for n in 0..<iterations {
                    first.storeBytes(of: UInt8(truncatingIfNeeded: n), as: UInt8.self)
                    if case .accepted(let s) = reader.withFrame(seq: frameId, headerIndex: UInt32(i), { _, p in Self.sum(p) }) { sink &+= s }
                }
            }
            let plainSum = best(repeats) {
                for n in 0..<iterations {
                    first.storeBytes(of: UInt8(truncatingIfNeeded: n), as: UInt8.self)
                    sink &+= Self.sum(UnsafeRawBufferPointer(start: source, count: size))
                }
            }
            let bytes = Double(iterations * size)
            func gib(_ seconds: Double) -> String { String(format: "%7.2f GiB/s", bytes / seconds / Double(1 << 30)) }
            let label = size >= 1 << 20 ? "\(size >> 20) MiB" : "\(size >> 10) KiB"
            print("\(label.padding(toLength: 8, withPad: " ", startingAt: 0))  \(gib(copy))      \(gib(memcpyTime))   \(gib(sumRead))          \(gib(plainSum))   (\(iterations) reads, sink \(sink & 1))")
        }
    }

    static func sum(_ span: RawSpan) -> UInt64 { span.withUnsafeBytes { sum($0) } }

    static func sum(_ bytes: UnsafeRawBufferPointer) -> UInt64 { PayloadWordSum.of(bytes) }

    func best(_ repeats: Int, _ body: () -> Void) -> Double {
        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            let start = SeqlockWriter.nowNs()
            body()
            best = min(best, Double(SeqlockWriter.nowNs() - start) / 1e9)
        }
        return best
    }
}
