import Foundation
import Testing
@testable import TensorPoolCore
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Two processes: `tp stress seqlock-writer` laps an 8-slot ring as fast as it can while this process reads
/// slots through ``SeqlockReader/withFrame(seq:headerIndex:_:)`` and verifies the WHOLE payload of every
/// accepted frame against the frame's pattern. No torn frame may be accepted.
@Suite(.serialized) struct TornReadStressTests {
    static let reads: Int = ProcessInfo.processInfo.environment["TP_STRESS_READS"].flatMap(Int.init) ?? 10_000_000

    @Test func aLappingWriterNeverYieldsAnAcceptedTornFrame() throws {
        let tp = try #require(ChildProcess.tpExecutable(), "tp executable not found next to the test bundle: run swift build --build-tests")
        let dir = TemporaryDirectory("tp-stress")
        let nslots = 8
        let payload = 256
        let writer = try ChildProcess(tp, [
            "stress", "seqlock-writer", "--root", dir.path, "--stream", "9", "--epoch", "1",
            "--nslots", "\(nslots)", "--payload", "\(payload)", "--seconds", "150",
        ])
        defer { writer.stop() }

        // The superblock is written last: mapping succeeds once the writer has fully created the regions.
        let root = try RegionRoot(dir.path)
        let stride = HugepageBacking.pageSize
        var mapped: (HeaderRing, PayloadPool)?
        let deadline = Date().addingTimeInterval(30)
        while mapped == nil && Date() < deadline && writer.isRunning {
            if let ring = try? HeaderRing.map(
                uri: ShmRegionURI(path: dir.path + "/9/1/header.ring"), root: root,
                expected: .headerRing(epoch: 1, streamId: 9, nslots: UInt32(nslots))),
               let pool = try? PayloadPool.map(
                uri: ShmRegionURI(path: dir.path + "/9/1/pool-1.pool"), root: root,
                expected: .payloadPool(epoch: 1, streamId: 9, poolId: 1, nslots: UInt32(nslots), strideBytes: UInt32(stride))) {
                mapped = (ring, pool)
            } else {
                usleep(10_000)
            }
        }
        let (ring, pool) = try #require(mapped, "writer did not create its regions within 30 s")
        let reader = try SeqlockReader(headerRing: ring, pools: [pool])

        var accepted = 0, acceptedCorrupt = 0, torn = 0, tornCorruptInside = 0
        var notCommitted = 0, mismatch = 0, stale = 0, other = 0
        var highestFrame: UInt64 = 0
        var firstFrame: UInt64?
        let started = Date()
        for read in 0..<Self.reads {
            let slot = read & (nslots - 1)
            let seq = CommitWord.frameId(ring.commitWord(slot: slot))
            var intact = false
            let result = reader.withFrame(seq: seq, headerIndex: UInt32(slot)) { header, bytes in
                intact = bytes.byteCount == payload && header.frameId == seq && header.timestampNs == seq
                    && FramePattern.matches(bytes, frameId: seq)
                return intact
            }
            switch result {
            case .accepted(true):
                accepted += 1
                if seq > highestFrame { highestFrame = seq }
                if firstFrame == nil { firstFrame = seq }
            case .accepted(false): acceptedCorrupt += 1
            case .dropped(.torn):
                torn += 1
                if !intact { tornCorruptInside += 1 }
            case .dropped(.notCommitted): notCommitted += 1
            case .dropped(.frameIdMismatch): mismatch += 1
            case .dropped(.stale): stale += 1
            case .dropped: other += 1
            }
        }
        let elapsed = Date().timeIntervalSince(started)
        let dropped = torn + notCommitted + mismatch + stale + other
        print("""
            seqlock stress: \(Self.reads) reads in \(String(format: "%.1f", elapsed)) s; accepted \(accepted), \
            accepted-but-corrupt \(acceptedCorrupt); dropped \(dropped) (torn \(torn), of which payload already \
            corrupt inside the closure \(tornCorruptInside); not committed \(notCommitted); frame id mismatch \
            \(mismatch); stale \(stale); other \(other)); writer frames seen \(firstFrame ?? 0)...\(highestFrame)
            """)
        #expect(acceptedCorrupt == 0)
        #expect(other == 0 && stale == 0)
        #expect(accepted + dropped == Self.reads)
        #expect(accepted > 0)
        #expect(writer.isRunning, "writer exited early")
        // The writer really lapped the reader during the run (the ring was overwritten many times over).
        #expect(highestFrame - (firstFrame ?? highestFrame) > UInt64(100 * nslots))
    }
}
