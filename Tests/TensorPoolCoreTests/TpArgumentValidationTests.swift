import Foundation
import Testing
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
