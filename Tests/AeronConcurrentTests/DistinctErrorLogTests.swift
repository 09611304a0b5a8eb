import Testing
import SharedMemory
@testable import AeronConcurrent

@Suite struct DistinctErrorLogTests {
    @Test func repeatsBumpCountAndLastTimestampOnly() {
        let memory = TestMemory(4096)
        let log = DistinctErrorLog(buffer: memory.buffer)
        #expect(log.record("(-7) malformed command", timestampMs: 100))
        #expect(log.record("(-6) unknown command type id", timestampMs: 150))
        #expect(log.record("(-7) malformed command", timestampMs: 200))
        let entries = ErrorLogReader.entries(memory.buffer)
        #expect(entries.count == 2)
        #expect(entries[0] == ErrorLogEntry(observationCount: 2, firstObservationTimestampMs: 100, lastObservationTimestampMs: 200, text: "(-7) malformed command"))
        #expect(entries[1].observationCount == 1)
        // Byte layout (Agrona/C): length @0 = 24 + text, count @4, last @8, first @16, text @24.
        #expect(memory.buffer.int32(at: 0) == 24 + 22)
        #expect(memory.buffer.int32(at: 4) == 2)
        #expect(memory.buffer.int64(at: 8) == 200)
        #expect(memory.buffer.int64(at: 16) == 100)
        #expect(ErrorLogReader.read(memory.buffer, sinceTimestampMs: 180) { _ in } == 1)
    }

    @Test func fullLogDropsNewErrorsButStillCountsKnownOnes() {
        let memory = TestMemory(128)
        let log = DistinctErrorLog(buffer: memory.buffer)
        #expect(log.record(String(repeating: "a", count: 60), timestampMs: 1))
        #expect(!log.record(String(repeating: "b", count: 60), timestampMs: 2))
        #expect(log.record(String(repeating: "a", count: 60), timestampMs: 3))
        let entries = ErrorLogReader.entries(memory.buffer)
        #expect(entries.count == 1)
        #expect(entries[0].observationCount == 2)
    }

    @Test func readerStopsAtCorruptLength() {
        let memory = TestMemory(256)
        memory.buffer.setInt32(10_000, at: 0)
        #expect(ErrorLogReader.entries(memory.buffer).isEmpty)
    }
}
