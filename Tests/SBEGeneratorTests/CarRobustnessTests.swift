import SBE
import Testing

/// Short, corrupt and hostile buffers give an `SBEError`, never a crash, a read past the buffer or a huge
/// allocation. Each buffer is copied into an exactly-sized allocation so a read past it would be caught by
/// the address sanitizer and is at least never silently inside our own storage.
@Suite struct CarRobustnessTests {
    static func encoded() throws -> [UInt8] {
        var storage = [UInt8](repeating: 0, count: 1024)
        let length = try storage.withUnsafeMutableBytes { try CarCodec.encode(CarValues(), into: $0) }
        return Array(storage[0..<length])
    }

    /// Decodes a copy of `bytes` held in memory of exactly that size.
    static func decode(_ bytes: [UInt8]) -> Result<CarValues, SBEError> {
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
        defer { memory.deallocate() }
        memory.copyBytes(from: bytes)
        do {
            return .success(try CarCodec.decode(UnsafeRawBufferPointer(rebasing: memory[0..<bytes.count])).0)
        } catch let error as SBEError {
            return .failure(error)
        } catch {
            Issue.record("unexpected error type \(error)")
            return .failure(.valueOutOfRange)
        }
    }

    @Test func everyPrefixIsAnErrorOrTheFullMessage() throws {
        let bytes = try Self.encoded()
        for length in 0..<bytes.count {
            let result = Self.decode(Array(bytes[0..<length]))
            guard case let .failure(error) = result else {
                Issue.record("prefix of \(length)/\(bytes.count) bytes decoded without error")
                continue
            }
            switch error {
            case .bufferTooShort: break
            default: Issue.record("prefix \(length): unexpected \(error)")
            }
        }
        #expect(throws: Never.self) { try Self.decode(bytes).get() }
    }

    @Test func randomCorruptionNeverCrashes() throws {
        let bytes = try Self.encoded()
        var rng = SplitMix64(seed: 0xC0FFEE)
        var errors = 0
        for _ in 0..<3000 {
            var corrupt = bytes
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                corrupt[Int.random(in: 0..<corrupt.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            if case .failure = Self.decode(corrupt) { errors += 1 }
        }
        #expect(errors > 0, "some corruptions (lengths, counts, header) must be detected")
    }

    @Test func hostileGroupCountIsBoundedByTheBuffer() throws {
        var bytes = try Self.encoded()
        let fuelHeader = 8 + 95
        bytes[fuelHeader + 2] = 0xFF
        bytes[fuelHeader + 3] = 0xFF
        let result = Self.decode(bytes)
        guard case let .failure(error) = result, case .bufferTooShort = error else {
            Issue.record("expected bufferTooShort, got \(result)")
            return
        }
    }

    @Test func hostileGroupBlockLengthIsRejected() throws {
        var bytes = try Self.encoded()
        let fuelHeader = 8 + 95
        bytes[fuelHeader] = 2
        bytes[fuelHeader + 1] = 0
        #expect(throws: SBEError.blockLengthTooSmall(minimum: 6, actual: 2)) { try Self.decode(bytes).get() }
        bytes[fuelHeader] = 0xFF
        bytes[fuelHeader + 1] = 0xFF
        #expect(throws: SBEError.self) { try Self.decode(bytes).get() }
    }

    @Test func hostileVarDataLengthsAreRejected() throws {
        var bytes = try Self.encoded()
        // activationCode has a u32 length with maxValue 1000000: 0xFFFFFFFF exceeds it.
        let values = CarValues()
        let activationOffset = bytes.count - (2 + values.notes.utf8.count) - (4 + values.activationCode.count)
        #expect(Array(bytes[activationOffset..<activationOffset + 4]) == [5, 0, 0, 0])
        bytes.replaceSubrange(activationOffset..<activationOffset + 4, with: [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: SBEError.varDataTooLong(length: Int(UInt32.max), maximum: 1_000_000)) { try Self.decode(bytes).get() }
        bytes.replaceSubrange(activationOffset..<activationOffset + 4, with: [0x40, 0x42, 0x0F, 0x00])
        #expect(throws: SBEError.bufferTooShort(required: activationOffset + 4 + 1_000_000, capacity: bytes.count)) {
            try Self.decode(bytes).get()
        }
    }

    @Test func hostileHeaderBlockLengthsAreRejected() throws {
        var bytes = try Self.encoded()
        bytes[0] = 0xFF
        bytes[1] = 0xFF
        #expect(throws: SBEError.bufferTooShort(required: 8 + 65535, capacity: bytes.count)) { try Self.decode(bytes).get() }
        bytes[0] = 10
        bytes[1] = 0
        #expect(throws: SBEError.blockLengthTooSmall(minimum: 93, actual: 10)) { try Self.decode(bytes).get() }
    }

    @Test func negativeOffsetsAndCapacitiesAreRejected() {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 8)
        defer { memory.deallocate() }
        #expect(throws: SBEError.invalidOffset(offset: -1, capacity: 16)) {
            try PingDecoder(wrap: UnsafeRawPointer(memory), offset: -1, capacity: 16)
        }
        #expect(throws: SBEError.self) { try PingEncoder(wrap: memory, offset: 0, capacity: -5) }
        #expect(throws: SBEError.bufferTooShort(required: 16, capacity: 0)) {
            try PingEncoder(wrap: UnsafeMutableRawBufferPointer(start: nil, count: 0))
        }
    }

    @Test func groupFieldsBeforeNextStayInsideOwnedMemory() throws {
        // An empty group at the very end of an exactly-sized buffer: its entry fields read zeros.
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: 8 + 16 + 2, alignment: 1)
        defer { memory.deallocate() }
        memory.initializeMemory(as: UInt8.self, repeating: 0xAB)
        var ping = try PingEncoder(wrapAndApplyHeader: memory)
        var history = try ping.serviceHistoryCount(0)
        history.mileage = 0xFFFF_FFFF
        try history.setDealerCode("ZZZ")
        try ping.endServiceHistory(history)
        #expect(try ping.finish() == memory.count)
        #expect(memory[8 + 16] == 10 && memory[8 + 16 + 1] == 0, "dimension header intact: early writes were discarded")
        var decoder = try PingDecoder(wrapAndCheckHeader: UnsafeRawBufferPointer(memory))
        let group = try decoder.serviceHistory()
        #expect(group.count == 0)
        #expect(group.mileage == 0 && group.dealerCodeString.isEmpty)
    }

    @Test func groupCountsAboveTheSchemaMaximumAreRejected() throws {
        var storage = [UInt8](repeating: 0, count: 4096)
        try storage.withUnsafeMutableBytes { raw in
            var ping = try PingEncoder(wrapAndApplyHeader: raw)
            #expect(throws: SBEError.groupCountOutOfRange(count: 101, maximum: 100)) { try ping.serviceHistoryCount(101) }
            let history = try ping.serviceHistoryCount(1)
            #expect(throws: SBEError.groupIncomplete(written: 0, count: 1)) { try ping.endServiceHistory(history) }
            // A decoder meeting numInGroup 101 (smallGroupSizeEncoding maxValue 100) rejects it.
            raw[8 + 16 + 1] = 101
            var decoder = try PingDecoder(wrapAndCheckHeader: UnsafeRawBufferPointer(raw))
            #expect(throws: SBEError.groupCountOutOfRange(count: 101, maximum: 100)) { try decoder.serviceHistory() }
        }
        // The encoder refuses a count whose fixed part cannot fit before writing anything.
        var small = [UInt8](repeating: 0xAB, count: 8 + 16 + 2 + 15)
        try small.withUnsafeMutableBytes { raw in
            var ping = try PingEncoder(wrapAndApplyHeader: raw)
            #expect(throws: SBEError.bufferTooShort(required: 8 + 16 + 2 + 20, capacity: raw.count)) { try ping.serviceHistoryCount(2) }
            #expect(raw[8 + 16] == 0xAB)
        }
    }
}
