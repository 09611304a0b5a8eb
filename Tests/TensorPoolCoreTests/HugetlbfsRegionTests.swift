import AeronInteropSupport
import Foundation
import SharedMemory
import Testing
@testable import TensorPoolCore
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Regions on a real hugetlbfs mount (§15.22): created, published into, mapped and validated by a reader that
/// requires hugepages, inspected, and unmapped again. hugetlbfs only takes files of whole hugepages and only
/// unmaps whole hugepages, which the plain tmpfs tests cannot show.
@Suite(.enabled(if: HugetlbfsDirectory.isEnabled, "TP_HUGETLBFS_DIR=off"))
struct HugetlbfsRegionTests {
    static let hugepage = 2 << 20

    @Test func aFrameRoundTripsThroughHugepageRegions() throws {
        let dir = try HugetlbfsDirectory("tp-regions")
        let backing = try HugepageBacking.of(path: dir.path)
        #expect(backing.isHugetlbfs)
        let hugepage = backing.blockSize
        // A full-stride frame: its payload starts 64 bytes into one hugepage and ends 64 bytes into the next.
        let stride = hugepage
        do {
            var configuration = RegionSet.Configuration(
                root: dir.path, streamId: 9, epoch: 1, nslots: 4, pools: [.init(poolId: 1, strideBytes: stride)])
            configuration.requireHugepages = true
            let regions = try RegionSet.create(configuration, nowNs: 1)
            defer { regions.close() }
            var st = stat()
            #expect(stat(regions.pools[0].path, &st) == 0)
            #expect(Int(st.st_size) == 5 * hugepage)  // 64 + 4 × stride, in whole hugepages
            #expect(stat(regions.headerRing.path, &st) == 0)
            #expect(Int(st.st_size) == hugepage)      // 64 + 4 × 256
            #expect(regions.pools[0].file.length == 64 + 4 * stride)
            #expect(regions.poolURIs[0].requireHugepages)

            let writer = try SlotWriter(regions: regions)
            let claim = try #require(writer.claim(frameId: 3, poolId: 1))
            #expect(claim.payload.count == stride)
            FramePattern.fill(claim.payload, frameId: 3, count: stride)
            #expect(writer.commit(claim, header: SeqlockFixture.header(count: stride)) == nil)

            let root = try RegionRoot(dir.path)
            let ring = try HeaderRing.map(uri: regions.headerRingURI, root: root, expected: .headerRing(epoch: 1, streamId: 9, nslots: 4))
            let pool = try PayloadPool.map(
                uri: regions.poolURIs[0], root: root,
                expected: .payloadPool(epoch: 1, streamId: 9, poolId: 1, nslots: 4, strideBytes: UInt32(stride)))
            #expect(pool.file.mappedLength == 5 * hugepage && ring.file.mappedLength == hugepage)
            let reader = try SeqlockReader(headerRing: ring, pools: [pool])
            let read = reader.withFrame(seq: 3, headerIndex: 3) { header, payload in
                header.valuesLenBytes == UInt32(stride) && payload.byteCount == stride && FramePattern.matches(payload, frameId: 3)
            }
            #expect(read.value == true)

            guard case .payloadPool(let inspected) = try InspectedRegion.open(uri: regions.poolURIs[0], root: root) else {
                Issue.record("the pool did not inspect as a payload pool")
                return
            }
            #expect(inspected.superblock.strideBytes == UInt32(stride))
        }
        // Every mapping above is gone: on hugetlbfs an unmap shorter than the mapping fails and would leak it.
        #expect(try dir.mappings() == [])
    }

    @Test func tooFewFreeHugepagesIsAClearErrorAndLeavesNoFile() throws {
        let dir = try HugetlbfsDirectory("tp-exhausted")
        let nslots = try HugetlbfsDirectory.slotCountBeyondFreeHugepages()
        var configuration = RegionSet.Configuration(
            root: dir.path, streamId: 9, epoch: 1, nslots: nslots, pools: [.init(poolId: 1, strideBytes: Self.hugepage)])
        configuration.requireHugepages = true
        let path = dir.path + "/9/1/pool-1.pool"
        #expect(throws: RegionError.hugepagesExhausted(path: path, bytes: 64 + nslots * Self.hugepage, hugepageSize: Self.hugepage)) {
            _ = try RegionSet.create(configuration, nowNs: 1)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/9/1"))
        #expect(RegionError.hugepagesExhausted(path: path, bytes: 3 * Self.hugepage + 64, hugepageSize: Self.hugepage)
            .description.contains("needs 4 free hugepages of 2048 KiB"))
    }

    /// A stride that is a page multiple but not a hugepage multiple is refused on hugetlbfs when hugepages are
    /// required, before any file is made.
    @Test func aStrideBelowTheHugepageIsRefused() throws {
        let dir = try HugetlbfsDirectory("tp-stride")
        var configuration = RegionSet.Configuration(
            root: dir.path, streamId: 9, epoch: 1, nslots: 4, pools: [.init(poolId: 1, strideBytes: 1 << 20)])
        configuration.requireHugepages = true
        #expect(throws: RegionError.invalidStride(strideBytes: 1 << 20, reason: "not a multiple of the hugepage size \(Self.hugepage)")) {
            _ = try RegionSet.create(configuration, nowNs: 1)
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/9/1/pool-1.pool"))
    }
}
