import Foundation
import SharedMemory
import Testing
@testable import TensorPoolCore
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

@Suite struct RegionTests {
    static let page = HugepageBacking.pageSize

    func configuration(_ dir: TemporaryDirectory, epoch: UInt64 = 1, nslots: Int = 8) -> RegionSet.Configuration {
        RegionSet.Configuration(
            root: dir.path, streamId: 1000, epoch: epoch, nslots: nslots,
            pools: [.init(poolId: 1, strideBytes: Self.page), .init(poolId: 2, strideBytes: 4 * Self.page)])
    }

    @Test func createsMapsAndValidatesARegionSet() throws {
        let dir = TemporaryDirectory()
        let regions = try RegionSet.create(configuration(dir), pid: 77, nowNs: 5)
        #expect(regions.directory == dir.path + "/1000/1")
        #expect(regions.headerRing.path == dir.path + "/1000/1/header.ring")
        #expect(regions.pools.map(\.path) == [dir.path + "/1000/1/pool-1.pool", dir.path + "/1000/1/pool-2.pool"])
        #expect(regions.headerRingURI.description == "shm:file?path=\(dir.path)/1000/1/header.ring")

        var st = stat()
        #expect(stat(regions.headerRing.path, &st) == 0)
        #expect(Int(st.st_size) == 64 + 8 * 256)
        #expect(stat(regions.pools[1].path, &st) == 0)
        #expect(Int(st.st_size) == 64 + 8 * 4 * Self.page)

        let root = try RegionRoot(dir.path)
        let ring = try HeaderRing.map(
            uri: regions.headerRingURI, root: root, expected: .headerRing(epoch: 1, streamId: 1000, nslots: 8))
        #expect(!ring.file.isWritable)
        #expect(ring.superblock.pid == 77 && ring.superblock.startTimestampNs == 5)
        let pool = try PayloadPool.map(
            uri: regions.poolURIs[1], root: root,
            expected: .payloadPool(epoch: 1, streamId: 1000, poolId: 2, nslots: 8, strideBytes: UInt32(4 * Self.page)))
        #expect(pool.strideBytes == 4 * Self.page)
        #expect(pool.slotOffset(3) == 64 + 3 * 4 * Self.page)
        #expect(ring.slotOffset(3) == 64 + 3 * 256)
        #expect(regions.smallestPool(fitting: Self.page + 1)?.poolId == 2)
        #expect(regions.smallestPool(fitting: 10)?.poolId == 1)
        #expect(regions.smallestPool(fitting: 4 * Self.page + 1) == nil)
        regions.close()
    }

    @Test func mappingRejectsAnnounceMismatchesByField() throws {
        let dir = TemporaryDirectory()
        let regions = try RegionSet.create(configuration(dir, epoch: 3), nowNs: 1)
        let root = try RegionRoot(dir.path)
        #expect(throws: RegionError.superblock(SuperblockMismatch(field: .epoch, expected: 4, actual: 3))) {
            _ = try HeaderRing.map(uri: regions.headerRingURI, root: root, expected: .headerRing(epoch: 4, streamId: 1000, nslots: 8))
        }
        #expect(throws: RegionError.superblock(SuperblockMismatch(field: .streamId, expected: 999, actual: 1000))) {
            _ = try HeaderRing.map(uri: regions.headerRingURI, root: root, expected: .headerRing(epoch: 3, streamId: 999, nslots: 8))
        }
        // A pool file announced as the header ring: region_type is the first field to differ.
        #expect(throws: RegionError.superblock(SuperblockMismatch(field: .regionType, expected: 1, actual: 2))) {
            _ = try HeaderRing.map(uri: regions.poolURIs[0], root: root, expected: .headerRing(epoch: 3, streamId: 1000, nslots: 8))
        }
        #expect(throws: RegionError.superblock(SuperblockMismatch(field: .poolId, expected: 2, actual: 1))) {
            _ = try PayloadPool.map(
                uri: regions.poolURIs[0], root: root,
                expected: .payloadPool(epoch: 3, streamId: 1000, poolId: 2, nslots: 8, strideBytes: UInt32(Self.page)))
        }
        // Announcing more slots than the file holds fails on size before anything is mapped.
        #expect(throws: RegionError.path(.tooSmall(path: regions.headerRing.path, size: 64 + 8 * 256, required: 64 + 16 * 256))) {
            _ = try HeaderRing.map(uri: regions.headerRingURI, root: root, expected: .headerRing(epoch: 3, streamId: 1000, nslots: 16))
        }
        // Fewer slots fit in the file, so the superblock catches it.
        #expect(throws: RegionError.superblock(SuperblockMismatch(field: .nslots, expected: 4, actual: 8))) {
            _ = try HeaderRing.map(uri: regions.headerRingURI, root: root, expected: .headerRing(epoch: 3, streamId: 1000, nslots: 4))
        }
        regions.close()
    }

    @Test func filesAreCreatedWithMode0660MinusTheUmask() throws {
        let dir = TemporaryDirectory()
        let regions = try RegionSet.create(configuration(dir), nowNs: 1)
        let mask = umask(0)
        umask(mask)
        var st = stat()
        #expect(stat(regions.headerRing.path, &st) == 0)
        #expect(st.st_mode & 0o777 == 0o660 & ~mask)
        #expect(stat(regions.pools[0].path, &st) == 0)
        #expect(st.st_mode & 0o777 == 0o660 & ~mask)
        #expect(st.st_mode & 0o007 == 0)
        regions.close()
    }

    @Test func anEpochIsNeverRecreatedOverExistingFiles() throws {
        let dir = TemporaryDirectory()
        let first = try RegionSet.create(configuration(dir, epoch: 1), nowNs: 1)
        #expect(throws: RegionError.alreadyExists(dir.path + "/1000/1")) { _ = try RegionSet.create(configuration(dir, epoch: 1), nowNs: 2) }
        // The live epoch's mapping is intact.
        #expect(first.headerRing.superblock.epoch == 1)
        #expect(throws: RegionError.alreadyExists(first.headerRing.path)) {
            _ = try HeaderRing.create(path: first.headerRing.path, nslots: 8, epoch: 1, streamId: 1000, nowNs: 1)
        }
        let second = try RegionSet.create(configuration(dir, epoch: 2), nowNs: 3)
        #expect(second.directory == dir.path + "/1000/2")
        #expect(first.headerRing.superblock.epoch == 1 && second.headerRing.superblock.epoch == 2)
        first.close()
        second.close()
    }

    @Test func closeUnlinksWhenConfiguredAndKeepsOtherwise() throws {
        let dir = TemporaryDirectory()
        let regions = try RegionSet.create(configuration(dir, epoch: 1), nowNs: 1)
        let paths = [regions.headerRing.path] + regions.pools.map(\.path)
        regions.close()
        for p in paths { #expect(access(p, F_OK) != 0) }
        #expect(access(regions.directory, F_OK) != 0)
        // The mapping outlives the unlink.
        #expect(regions.headerRing.superblock.magic == RegionLayout.magic)

        var keep = configuration(dir, epoch: 2)
        keep.unlinkOnClose = false
        let kept = try RegionSet.create(keep, nowNs: 1)
        kept.close()
        #expect(access(kept.headerRing.path, F_OK) == 0)
    }

    @Test func refreshesTheActivityTimestampInEveryRegion() throws {
        let dir = TemporaryDirectory()
        let regions = try RegionSet.create(configuration(dir), nowNs: 10)
        let root = try RegionRoot(dir.path)
        let ring = try HeaderRing.map(uri: regions.headerRingURI, root: root, expected: .headerRing(epoch: 1, streamId: 1000, nslots: 8))
        #expect(ring.superblock.activityTimestampNs == 10)
        regions.refreshActivity(nowNs: 12345)
        #expect(ring.superblock.activityTimestampNs == 12345)
        #expect(ring.superblock.startTimestampNs == 10)
        #expect(regions.pools.allSatisfy { $0.superblock.activityTimestampNs == 12345 })
        regions.close()
    }

    @Test func rejectsBadGeometry() throws {
        let dir = TemporaryDirectory()
        var c = configuration(dir)
        c.nslots = 6
        #expect(throws: RegionError.invalidSlotCount(nslots: 6, reason: "not a power of two")) { _ = try RegionSet.create(c, nowNs: 1) }
        c = configuration(dir)
        c.pools = [.init(poolId: 1, strideBytes: 3 * Self.page)]
        #expect(throws: RegionError.invalidStride(strideBytes: 3 * Self.page, reason: "not a power of two")) { _ = try RegionSet.create(c, nowNs: 1) }
        c.pools = [.init(poolId: 1, strideBytes: 512)]
        #expect(throws: RegionError.invalidStride(strideBytes: 512, reason: "not a multiple of the page size \(Self.page)")) {
            _ = try RegionSet.create(c, nowNs: 1)
        }
        c.pools = [.init(poolId: 1, strideBytes: Self.page), .init(poolId: 1, strideBytes: 2 * Self.page)]
        #expect(throws: RegionError.invalidConfiguration("duplicate pool_id 1")) { _ = try RegionSet.create(c, nowNs: 1) }
        // Failed creations leave no epoch directory behind.
        #expect(access(dir.path + "/1000/1", F_OK) != 0)
    }

    @Test func strideRules() throws {
        try StrideRule.validate(strideBytes: 1 << 20, pageSize: 4096)
        try StrideRule.validate(strideBytes: 4 << 20, pageSize: 4096, hugepageSize: 2 << 20)
        #expect(throws: RegionError.invalidStride(strideBytes: 1 << 20, reason: "not a multiple of the hugepage size \(2 << 20)")) {
            try StrideRule.validate(strideBytes: 1 << 20, pageSize: 4096, hugepageSize: 2 << 20)
        }
        #expect(throws: RegionError.invalidStride(strideBytes: 0, reason: "not a power of two")) { try StrideRule.validate(strideBytes: 0, pageSize: 4096) }
    }

    /// Requiring hugepages of a tmpfs directory must fail closed, on create and on map, naming the filesystem type
    /// found. (The accept path, on a real hugetlbfs mount: `HugetlbfsRegionTests`.)
    @Test func requireHugepagesRejectsNonHugetlbfs() throws {
        let dir = TemporaryDirectory()
        let backing = try HugepageBacking.of(path: dir.path)
        #expect(!backing.isHugetlbfs)
        var c = configuration(dir)
        c.requireHugepages = true
        #expect(throws: RegionError.notHugepageBacked(path: dir.path + "/1000/1", filesystemType: backing.filesystemType)) {
            _ = try RegionSet.create(c, nowNs: 1)
        }
        // A consumer told require_hugepages=true for a tmpfs file rejects it (no silent downgrade).
        let regions = try RegionSet.create(configuration(dir), nowNs: 1)
        let uri = try ShmRegionURI(path: regions.pools[0].path, requireHugepages: true)
        #expect(throws: RegionError.notHugepageBacked(path: uri.path, filesystemType: backing.filesystemType)) {
            _ = try PayloadPool.map(
                uri: uri, root: try RegionRoot(dir.path),
                expected: .payloadPool(epoch: 1, streamId: 1000, poolId: 1, nslots: 8, strideBytes: UInt32(Self.page)))
        }
        #expect(RegionError.notHugepageBacked(path: "/x", filesystemType: HugepageBacking.tmpfsMagic).description.contains("0x1021994"))
        regions.close()
        if let mounted = try? HugepageBacking.of(path: "/dev/hugepages"), mounted.isHugetlbfs {
            #expect(try HugepageBacking.requireHugepages(path: "/dev/hugepages") == mounted.blockSize)
        }
    }

    @Test func writerRefusesReadOnlyMappings() throws {
        let dir = TemporaryDirectory()
        let regions = try RegionSet.create(configuration(dir), nowNs: 1)
        let root = try RegionRoot(dir.path)
        let ring = try HeaderRing.map(uri: regions.headerRingURI, root: root, expected: .headerRing(epoch: 1, streamId: 1000, nslots: 8))
        #expect(throws: RegionError.self) { _ = try SlotWriter(headerRing: ring, pools: regions.pools) }
        regions.close()
    }
}

@Suite struct RegionCreationFailureTests {
    @Test func aFailedCreationLeavesNoPartialFile() throws {
        let dir = TemporaryDirectory()
        // A stride whose file cannot be sized (ftruncate EFBIG/EINVAL beyond the filesystem limit).
        let path = dir.sub("huge.pool")
        #expect(throws: RegionError.self) {
            _ = try PayloadPool.create(path: path, poolId: 1, nslots: 1 << 30, strideBytes: 1 << 31, epoch: 1, streamId: 1, nowNs: 1)
        }
        #expect(access(path, F_OK) != 0)
        // An existing file is reported and left alone.
        let existing = dir.write("existing.ring", bytes: 10)
        #expect(throws: RegionError.alreadyExists(existing)) {
            _ = try HeaderRing.create(path: existing, nslots: 4, epoch: 1, streamId: 1, nowNs: 1)
        }
        #expect(access(existing, F_OK) == 0)
    }
}

/// Announces are untrusted: a slot count and stride whose product does not fit in an `Int` must be refused with
/// an error, never trap in the length arithmetic.
@Suite struct HostileGeometryTests {
    @Test func anOverflowingAnnouncedGeometryIsRejectedNotTrapped() throws {
        let dir = TemporaryDirectory()
        let regions = try RegionSet.create(
            .init(root: dir.path, streamId: 7, epoch: 1, nslots: 4, pools: [.init(poolId: 1, strideBytes: HugepageBacking.pageSize)]),
            nowNs: 1)
        defer { regions.close() }
        let root = try RegionRoot(dir.path)
        let hostile = RegionExpectation.payloadPool(epoch: 1, streamId: 7, poolId: 1, nslots: .max, strideBytes: .max)
        // (2^32 - 1)^2 exceeds Int.max: the length saturates (no file is that long) instead of trapping.
        #expect(hostile.regionLength == Int.max)
        #expect(throws: RegionError.invalidSlotCount(nslots: Int(UInt32.max), reason: "must be in 1...2^30")) {
            _ = try PayloadPool.map(uri: regions.poolURIs[0], root: root, expected: hostile)
        }
        // The largest geometry the rules allow (2^30 slots of 2^31 bytes) is 2^61 bytes: a clean "too small".
        let huge = RegionExpectation.payloadPool(epoch: 1, streamId: 7, poolId: 1, nslots: 1 << 30, strideBytes: 1 << 31)
        #expect(throws: RegionError.path(.tooSmall(path: regions.pools[0].path, size: 64 + 4 * HugepageBacking.pageSize, required: 64 + (1 << 61)))) {
            _ = try PayloadPool.map(uri: regions.poolURIs[0], root: root, expected: huge)
        }
        let ring = RegionExpectation.headerRing(epoch: 1, streamId: 7, nslots: .max)
        #expect(throws: RegionError.invalidSlotCount(nslots: Int(UInt32.max), reason: "must be in 1...2^30")) {
            _ = try HeaderRing.map(uri: regions.headerRingURI, root: root, expected: ring)
        }
    }
}

@Suite struct HugepageDescriptorCheckTests {
    /// The hugepage check of a mapping looks at the open file, and names the region path (not /proc) in errors.
    @Test func theOpenFileIsCheckedAndThePathNamed() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("region", bytes: 4096)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        #expect(fd >= 0)
        defer { close(fd) }
        let tmpfs = try HugepageBacking.of(path: dir.path).filesystemType
        #expect(throws: RegionError.notHugepageBacked(path: path, filesystemType: tmpfs)) {
            _ = try HugepageBacking.requireHugepages(fileDescriptor: fd, path: path)
        }
        #expect(throws: RegionError.system(SystemError("statfs", path: path, errno: ENOENT))) {
            _ = try HugepageBacking.requireHugepages(fileDescriptor: 1_000_000, path: path)
        }
    }
}
