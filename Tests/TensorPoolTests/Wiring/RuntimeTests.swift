import Foundation
import Testing
@testable import TensorPool

@Suite struct RuntimeTests {
    @Test func cadenceFiresFirstThenEveryIntervalAndOnDemand() {
        var cadence = Cadence(intervalNs: 100)
        var fired: [Bool] = []
        for now: UInt64 in [1_000, 1_050, 1_100, 1_150] { fired.append(cadence.isDue(nowNs: now)) }
        cadence.fireNext()
        // After fireNext it fires at once; a clock going backwards does not fire.
        for now: UInt64 in [1_160, 1_200, 500] { fired.append(cadence.isDue(nowNs: now)) }
        #expect(fired == [true, false, true, false, true, false, false])
    }

    @Test func rateLimitedLogSuppressesPerKeyAndReportsTheCount() {
        let lines = LogCollector()
        var log = RateLimitedLog(sink: lines.sink, prefix: "test", keys: 2, intervalNs: 1_000)
        log.log(key: 0, nowNs: 10) { "a1" }
        log.log(key: 0, nowNs: 20) { "a2" }
        log.log(key: 0, nowNs: 30) { "a3" }
        log.log(key: 1, nowNs: 40) { "b1" }
        log.log(key: 0, nowNs: 1_100) { "a4" }
        log.log(key: 5, nowNs: 1_200) { "out of range" }
        #expect(lines.lines == ["test: a1", "test: b1", "test: a4 (2 similar suppressed)"])
    }

    @Test func syntheticPatternDetectsAnyForeignByte() {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1003, alignment: 8)
        defer { buffer.deallocate() }
        SyntheticFramePattern.fill(buffer, count: 1003, epoch: 7, seq: 42)
        #expect(SyntheticFramePattern.matches(UnsafeRawBufferPointer(buffer), epoch: 7, seq: 42))
        #expect(!SyntheticFramePattern.matches(UnsafeRawBufferPointer(buffer), epoch: 8, seq: 42))
        #expect(!SyntheticFramePattern.matches(UnsafeRawBufferPointer(buffer), epoch: 7, seq: 43))
        for index in [0, 500, 1002] {
            buffer[index] ^= 1
            #expect(!SyntheticFramePattern.matches(UnsafeRawBufferPointer(buffer), epoch: 7, seq: 42))
            buffer[index] ^= 1
        }
    }

    @Test func tensorLayoutSizes() {
        #expect(TensorLayout(dtype: .float32, shape: [480, 640]).contiguousByteCount == 480 * 640 * 4)
        #expect(TensorLayout(dtype: .bit, shape: [3, 5]).contiguousByteCount == 2)
        #expect(TensorLayout(dtype: .uint16, shape: [2, 3, 4]).shape == [2, 3, 4])
    }
}
