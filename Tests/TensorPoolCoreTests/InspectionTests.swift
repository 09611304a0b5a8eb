import AeronInteropSupport
import Foundation
import SharedMemory
import Testing
@testable import TensorPoolCore
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

@Suite struct InspectionTests {
    @Test func snapshotsShowEmptyWritingCommittedAndTornSlots() throws {
        let f = try SeqlockFixture(nslots: 4)
        let ring = f.reader.headerRing
        #expect(SlotSnapshot.read(ring, slot: 0) == .empty)
        #expect(f.publish(1))
        guard case .committed(let header) = SlotSnapshot.read(ring, slot: 1) else {
            Issue.record("slot 1 not committed")
            return
        }
        #expect(header.frameId == 1 && header.valuesLenBytes == 256 && header.dtype == .uint8)
        let claim = try #require(f.writer.claim(frameId: 6, poolId: 1))
        #expect(SlotSnapshot.read(ring, slot: 2) == .writing(frameId: 6))
        #expect(SlotSnapshot.read(ring, slot: 2).stateName == "WRITING")
        f.writer.abort(claim)
        // Frame 0 is a committed frame with commit word 0: not EMPTY once its header is written.
        #expect(f.publish(0))
        #expect(SlotSnapshot.read(ring, slot: 0).stateName == "COMMITTED")
        #expect(SlotSnapshot.torn(firstWord: 2, secondWord: 3).stateName == "TORN")
    }

    @Test func inspectedRegionsIdentifyThemselves() throws {
        let f = try SeqlockFixture(nslots: 4)
        let root = try RegionRoot(f.directory.path)
        guard case .headerRing(let ring) = try InspectedRegion.open(uri: f.regions.headerRingURI, root: root) else {
            Issue.record("header ring not recognised")
            return
        }
        #expect(ring.nslots == 4 && !ring.file.isWritable)
        guard case .payloadPool(let pool) = try InspectedRegion.open(uri: f.regions.poolURIs[0], root: root) else {
            Issue.record("pool not recognised")
            return
        }
        #expect(pool.poolId == 1 && pool.strideBytes == f.stride)
    }

    @Test func inspectionRejectsForeignAndTruncatedFiles() throws {
        let dir = TemporaryDirectory()
        let root = try RegionRoot(dir.path)
        let foreign = dir.write("foreign", bytes: 4096)
        #expect(throws: RegionError.superblock(SuperblockMismatch(field: .magic, expected: RegionLayout.magic, actual: 0))) {
            _ = try InspectedRegion.open(uri: ShmRegionURI(path: foreign), root: root)
        }
        let tiny = dir.write("tiny", bytes: 10)
        #expect(throws: RegionError.path(.tooSmall(path: tiny, size: 10, required: 64))) {
            _ = try InspectedRegion.open(uri: ShmRegionURI(path: tiny), root: root)
        }
        // A real header ring truncated after creation: the superblock claims more slots than the file holds.
        let regions = try RegionSet.create(.init(root: dir.path, streamId: 1, epoch: 1, nslots: 8, pools: [.init(poolId: 1, strideBytes: HugepageBacking.pageSize)]), nowNs: 1)
        #expect(truncate(regions.headerRing.path, 64 + 256) == 0)
        #expect(throws: RegionError.path(.tooSmall(path: regions.headerRing.path, size: 64 + 256, required: 64 + 8 * 256))) {
            _ = try InspectedRegion.open(uri: regions.headerRingURI, root: root)
        }
        regions.close()
    }

    /// `tp inspect --slots` against a ring that another process is writing.
    @Test func tpInspectReadsALiveRing() throws {
        let tp = try #require(ChildProcess.tpExecutable(), "tp executable not found next to the test bundle: run swift build --build-tests")
        let dir = TemporaryDirectory("tp-inspect")
        let writer = try ChildProcess(tp, ["stress", "seqlock-writer", "--root", dir.path, "--stream", "3", "--nslots", "4", "--seconds", "60"])
        defer { writer.stop() }
        let ringPath = dir.path + "/3/1/header.ring"
        let deadline = Date().addingTimeInterval(30)
        var output = ""
        while Date() < deadline && writer.isRunning {
            output = try Self.run(tp, ["inspect", "shm:file?path=\(ringPath)", "--root", dir.path, "--slots"])
            // Wait until the writer has been round the ring once (no slot still EMPTY).
            if output.contains("slot 3") && !output.contains("EMPTY") { break }
            usleep(20_000)
        }
        #expect(output.contains("magic                 0x544F504C53484D31 (TPOLSHM1)"))
        #expect(output.contains("region_type           HEADER_RING"))
        #expect(output.contains("stream_id             3"))
        #expect(output.contains("nslots                4"))
        let slotLines = output.split(separator: "\n").filter { $0.hasPrefix("  slot ") }
        #expect(slotLines.count == 4)
        for line in slotLines {
            #expect(line.contains("COMMITTED") || line.contains("WRITING") || line.contains("TORN"), "\(line)")
            if line.contains("COMMITTED") { #expect(line.contains("dtype=UINT64") && line.contains("shape=[32]") && line.contains("values_len=256") && line.contains("pool=1")) }
        }
        let pool = try Self.run(tp, ["inspect", dir.path + "/3/1/pool-1.pool"])
        #expect(pool.contains("region_type           PAYLOAD_POOL") && pool.contains("pool_id               1"))
        let rejected = try Self.run(tp, ["inspect", "shm:file?path=\(ringPath)|mode=1"])
        #expect(rejected.contains("unknown region URI parameter 'mode'"))
    }

    /// Runs `tp` to completion (bounded) and returns stdout + stderr.
    static func run(_ tp: URL, _ arguments: [String]) throws -> String {
        try runWithStatus(tp, arguments).output
    }

    /// Runs `tp` to completion (bounded); the output (stdout + stderr) and the exit status, `nil` when the
    /// process died of a signal (a trap); a hang is killed after 20 s and thrown as a timeout.
    static func runWithStatus(_ tp: URL, _ arguments: [String]) throws -> (output: String, exitStatus: Int32?) {
        let run = try BoundedProcessRun.run(tp, arguments, timeout: 20)
        return (run.stdout + run.stderr, run.signalled ? nil : run.status)
    }
}
