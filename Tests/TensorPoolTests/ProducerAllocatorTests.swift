import Testing
import Foundation
@testable import TensorPool

@Suite struct SequenceAllocatorTests {
    @Test(arguments: [UInt32(0), 3, 6, 100])
    func rejectsNonPowerOfTwo(_ n: UInt32) {
        #expect(SequenceAllocator(headerNslots: n) == nil)
    }

    @Test func sequenceAndIndex() throws {
        var s = try #require(SequenceAllocator(headerNslots: 4))
        let got = (0..<6).map { _ in s.next() }
        #expect(got.map(\.seq) == [0, 1, 2, 3, 4, 5])
        #expect(got.map(\.headerIndex) == [0, 1, 2, 3, 0, 1])
        s.resetForNewEpoch()
        #expect(s.next().seq == 0)
        #expect(s.headerIndex(of: UInt64.max) == 3)
    }
}

@Suite struct PayloadPoolSelectorTests {
    let pools = [PayloadPoolSelector.Pool(poolId: 3, strideBytes: 16 << 20),
                 PayloadPoolSelector.Pool(poolId: 1, strideBytes: 1 << 20),
                 PayloadPoolSelector.Pool(poolId: 2, strideBytes: 4 << 20)]

    @Test(arguments: [
        (UInt64(0), UInt16?(1)), (1, 1), (1 << 20, 1), ((1 << 20) + 1, 2), (4 << 20, 2), (5 << 20, 3),
        (16 << 20, 3), ((16 << 20) + 1, nil), (UInt64.max, nil),
    ] as [(UInt64, UInt16?)])
    func smallestFittingStride(length: UInt64, expected: UInt16?) {
        var s = PayloadPoolSelector(pools: pools)
        #expect(s.select(valuesLength: length)?.poolId == expected)
        #expect(s.oversizeDrops == (expected == nil ? 1 : 0))
    }
}

@Suite struct EpochAllocatorTests {
    func tempDir() -> String {
        NSTemporaryDirectory() + "tp-epoch-\(UUID().uuidString)/nested"
    }

    @Test func firstEpochFromWallClockAndPersisted() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }
        let e = EpochAllocator(directory: dir)
        #expect(try e.lastEpoch(streamId: 1, producerId: 2) == nil)
        let epoch = try e.allocate(streamId: 1, producerId: 2, wallClockNs: 1_000)
        #expect(epoch == 1_000)
        #expect(try e.lastEpoch(streamId: 1, producerId: 2) == 1_000)
        let content = try String(contentsOfFile: e.path(streamId: 1, producerId: 2), encoding: .utf8)
        #expect(content == "1000\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func neverReusedEvenIfClockGoesBackwards() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }
        let e = EpochAllocator(directory: dir)
        var seen: Set<UInt64> = []
        var last: UInt64 = 0
        for clock: UInt64 in [5_000, 5_000, 10, 4_999, 9_000, 0] {
            let epoch = try e.allocate(streamId: 1, producerId: 1, wallClockNs: clock)
            #expect(epoch > last)
            #expect(epoch >= clock)
            #expect(seen.insert(epoch).inserted)
            last = epoch
        }
        #expect(last == 9_001)  // 5000, 5001, 5002, 5003, 9000, 9001
    }

    @Test func producersAreIndependent() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }
        let e = EpochAllocator(directory: dir)
        #expect(try e.allocate(streamId: 1, producerId: 1, wallClockNs: 50) == 50)
        #expect(try e.allocate(streamId: 1, producerId: 2, wallClockNs: 7) == 7)
        #expect(try e.allocate(streamId: 2, producerId: 1, wallClockNs: 0) == 1)
    }

    @Test func corruptFileIsReportedNotOverwritten() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let e = EpochAllocator(directory: dir)
        try "garbage".write(toFile: e.path(streamId: 1, producerId: 1), atomically: true, encoding: .utf8)
        #expect(throws: EpochAllocator.Failure.self) { try e.allocate(streamId: 1, producerId: 1, wallClockNs: 5) }
        do {
            _ = try e.allocate(streamId: 1, producerId: 1, wallClockNs: 5)
        } catch {
            #expect(error.description.contains("corrupt"))
            #expect(error.description.contains(e.path(streamId: 1, producerId: 1)))
        }
        #expect(try String(contentsOfFile: e.path(streamId: 1, producerId: 1), encoding: .utf8) == "garbage")
    }

    @Test func exhaustedEpochSpaceIsAnError() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let e = EpochAllocator(directory: dir)
        try "\(UInt64.max)\n".write(toFile: e.path(streamId: 1, producerId: 1), atomically: true, encoding: .utf8)
        #expect(throws: EpochAllocator.Failure.exhausted(path: e.path(streamId: 1, producerId: 1))) {
            try e.allocate(streamId: 1, producerId: 1, wallClockNs: 5)
        }
    }

    @Test func unwritableDirectoryIsAnIoError() {
        let e = EpochAllocator(directory: "/proc/tp-cannot-exist")
        #expect(throws: EpochAllocator.Failure.self) { try e.allocate(streamId: 1, producerId: 1, wallClockNs: 5) }
    }
}
