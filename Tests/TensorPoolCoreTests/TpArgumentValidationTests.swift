import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif
@testable import TensorPoolCore

/// Out-of-range numeric options of the `tp` tools are usage errors (exit status 64 naming the option), never an
/// arithmetic trap: `--interval-ms` / `--watch-ms` are converted to sleep durations and `--timeout` to a deadline.
@Suite struct TpArgumentValidationTests {
    static let usageError: Int32 = 64

    func tp() throws -> URL {
        try #require(ChildProcess.tpExecutable(), "tp executable not found next to the test bundle: run swift build --build-tests")
    }

    @Test func inspectRejectsAnIntervalThatWouldOverflowTheSleep() throws {
        let dir = TemporaryDirectory("tp-args")
        let regions = try RegionSet.create(
            .init(root: dir.path, streamId: 1, epoch: 1, nslots: 4, pools: [.init(poolId: 1, strideBytes: HugepageBacking.pageSize)]),
            nowNs: 1)
        defer { regions.close() }
        for interval in ["9999999999", "-1", "0"] {
            let (output, status) = try InspectionTests.runWithStatus(
                tp(), ["inspect", regions.headerRing.path, "--watch", "--count", "2", "--interval-ms=\(interval)"])
            #expect(status == Self.usageError, "--interval-ms \(interval): \(output)")
            #expect(output.contains("--interval-ms"), "\(output)")
        }
        let (output, status) = try InspectionTests.runWithStatus(
            tp(), ["inspect", regions.headerRing.path, "--watch", "--count", "2", "--interval-ms", "1"])
        #expect(status == 0, "\(output)")
        #expect(output.components(separatedBy: "region_type           HEADER_RING").count == 3)
    }

    @Test func statRejectsAWatchPeriodThatWouldOverflowTheSleep() throws {
        let dir = TemporaryDirectory("tp-args-stat")
        for period in ["9999999999999", "-5"] {
            let (output, status) = try InspectionTests.runWithStatus(tp(), ["stat", "--aeron-dir", dir.path, "--watch-ms=\(period)"])
            #expect(status == Self.usageError, "--watch-ms \(period): \(output)")
            #expect(output.contains("--watch-ms"), "\(output)")
        }
    }

    @Test func sendConsumerConfigRejectsANonFiniteOrNegativeTimeout() throws {
        let dir = TemporaryDirectory("tp-args-scc")
        for timeout in ["inf", "nan", "-1", "1e300"] {
            let (output, status) = try InspectionTests.runWithStatus(tp(), [
                "send-consumer-config", "--stream", "1", "--consumer", "2", "--mode", "latest",
                "--aeron-dir", dir.path, "--timeout=\(timeout)",
            ])
            #expect(status == Self.usageError, "--timeout \(timeout): \(output)")
            #expect(output.contains("--timeout"), "\(output)")
        }
    }
}

extension TpArgumentValidationTests {
    @Test func supervisorRejectsAStatusIntervalThatWouldOverflow() throws {
        let dir = TemporaryDirectory("tp-args-sup")
        for interval in ["1e300", "-1", "inf"] {
            let (output, status) = try InspectionTests.runWithStatus(tp(), [
                "supervisor", "--aeron-dir", dir.path, "--no-shm", "--duration", "0", "--status-interval=\(interval)",
            ])
            #expect(status == Self.usageError, "--status-interval \(interval): \(output)")
            #expect(output.contains("--status-interval"), "\(output)")
        }
    }

    @Test func seqlockWriterRejectsADurationThatWouldOverflow() throws {
        let dir = TemporaryDirectory("tp-args-writer")
        for seconds in ["-1", "9223372036854775807"] {
            let (output, status) = try InspectionTests.runWithStatus(tp(), [
                "stress", "seqlock-writer", "--root", dir.path, "--frames", "1", "--seconds=\(seconds)",
            ])
            #expect(status == Self.usageError, "--seconds \(seconds): \(output)")
            #expect(output.contains("--seconds"), "\(output)")
        }
        for payload in ["8589934592", "12", "0"] {
            let (output, status) = try InspectionTests.runWithStatus(tp(), [
                "stress", "seqlock-writer", "--root", dir.path, "--frames", "1", "--payload=\(payload)",
            ])
            #expect(status == Self.usageError, "--payload \(payload): \(output)")
            #expect(output.contains("--payload"), "\(output)")
        }
    }
}

/// `tp inspect` on hostile region files: a clear error and a usage exit status, never a trap.
@Suite struct TpInspectHostileRegionTests {
    func tp() throws -> URL {
        try #require(ChildProcess.tpExecutable(), "tp executable not found next to the test bundle: run swift build --build-tests")
    }

    func overwrite(_ path: String, at offset: Int, with value: UInt32) {
        let fd = open(path, O_WRONLY)
        #expect(fd >= 0)
        var le = value.littleEndian
        #expect(pwrite(fd, &le, 4, off_t(offset)) == 4)
        close(fd)
    }

    @Test func corruptOrTruncatedRegionsAreReportedNotTrapped() throws {
        let dir = TemporaryDirectory("tp-inspect-hostile")
        let regions = try RegionSet.create(
            .init(root: dir.path, streamId: 5, epoch: 1, nslots: 8, pools: [.init(poolId: 1, strideBytes: HugepageBacking.pageSize)],
                  unlinkOnClose: false),
            nowNs: 1)
        let ring = regions.headerRing.path
        let pool = regions.pools[0].path
        regions.close()
        let cases: [(String, () -> Void, String)] = [
            (ring, { self.overwrite(ring, at: RegionLayout.Superblock.nslots, with: 3) }, "not a power of two"),
            (ring, { self.overwrite(ring, at: RegionLayout.Superblock.nslots, with: UInt32.max) }, "must be in 1...2^30"),
            (pool, { self.overwrite(pool, at: RegionLayout.Superblock.strideBytes, with: UInt32.max) }, "stride_bytes 4294967295 rejected: not a power of two"),
            (pool, {
                self.overwrite(pool, at: RegionLayout.Superblock.strideBytes, with: UInt32(HugepageBacking.pageSize))
                _ = truncate(pool, 100)
            }, "is 100 bytes"),
            (ring, { _ = truncate(ring, 10) }, "is 10 bytes"),
        ]
        for (path, corrupt, message) in cases {
            corrupt()
            let (output, status) = try InspectionTests.runWithStatus(tp(), ["inspect", path, "--slots"])
            #expect(status != nil && status != 0, "\(path): \(output)")
            #expect(output.contains(message), "\(path): \(output)")
        }
    }
}

extension TpArgumentValidationTests {
    @Test func aeronStatRejectsAnIntervalThatWouldOverflowTheSleep() throws {
        let dir = TemporaryDirectory("tp-args-aeron-stat")
        for interval in ["99999999999", "0", "-3"] {
            let (output, status) = try InspectionTests.runWithStatus(tp(), ["aeron", "stat", "--dir", dir.path, "--interval-ms=\(interval)"])
            #expect(status == Self.usageError, "--interval-ms \(interval): \(output)")
            #expect(output.contains("--interval-ms"), "\(output)")
        }
    }

    @Test func aeronPubRejectsNonFiniteOrHugeDurations() throws {
        let dir = TemporaryDirectory("tp-args-aeron-pub")
        for (option, value) in [("--linger-s", "1e300"), ("--linger-s", "nan"), ("--timeout-s", "inf"), ("--timeout-s", "-1")] {
            let (output, status) = try InspectionTests.runWithStatus(tp(), ["aeron", "pub", "--dir", dir.path, "\(option)=\(value)"])
            #expect(status == Self.usageError, "\(option) \(value): \(output)")
            #expect(output.contains(option), "\(output)")
        }
    }
}
