import Testing
import TensorPoolCodecs

/// Every message of the tensor-pool schema and both SHM composites against bytes written by hand.
@Suite struct GoldenBytesTests {
    static let names = GoldenSamples.all.map(\.name)

    static func sample(_ name: String) -> GoldenSample {
        GoldenSamples.all.first { $0.name == name }!
    }

    @Test func everyTemplateHasAGoldenSample() {
        let templates = TensorPoolSchema.model.messages.map(\.name)
        #expect(Set(templates) == Set(Self.names))
    }

    @Test(arguments: names)
    func encoderWritesTheGoldenBytes(name: String) throws {
        let sample = Self.sample(name)
        var storage = [UInt8](repeating: 0xCC, count: 512)
        let length = try storage.withUnsafeMutableBytes { raw in
            // Start from garbage: encoders must write every byte they claim (padding aside).
            if !sample.hasHeader { raw.initializeMemory(as: UInt8.self, repeating: 0) }
            return try sample.encode(raw)
        }
        #expect(length == sample.golden.count)
        #expect(Array(storage[0..<length]) == sample.golden)
    }

    @Test(arguments: names)
    func decoderReadsTheGoldenBytes(name: String) throws {
        let sample = Self.sample(name)
        let text = try sample.golden.withUnsafeBytes { try sample.decode($0) }
        #expect(text == sample.expectedText)
    }

    @Test(arguments: names)
    func everyPrefixIsAnErrorNeverACrash(name: String) throws {
        let sample = Self.sample(name)
        for length in 0..<sample.golden.count {
            let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(length, 1), alignment: 1)
            defer { memory.deallocate() }
            memory.copyBytes(from: sample.golden[0..<length])
            let prefix = UnsafeRawBufferPointer(rebasing: memory[0..<length])
            #expect(throws: SBEError.self, "\(name): prefix of \(length) bytes") { try sample.decode(prefix) }
        }
    }

    @Test(arguments: names)
    func randomCorruptionGivesAnErrorOrADecode(name: String) throws {
        let sample = Self.sample(name)
        var rng = SplitMix64(seed: UInt64(sample.golden.count) &* 7919)
        for _ in 0..<2000 {
            var corrupt = sample.golden
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                corrupt[Int.random(in: 0..<corrupt.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: corrupt.count, alignment: 1)
            defer { memory.deallocate() }
            memory.copyBytes(from: corrupt)
            do {
                _ = try sample.decode(UnsafeRawBufferPointer(memory))
            } catch is SBEError {
                // Rejected: fine.
            } catch is LengthMismatch {
                // A corrupted length that still fits the buffer decodes to a different length: fine.
            }
        }
    }

    @Test func dispatchReadsTheTemplateIdOfEveryMessage() throws {
        for sample in GoldenSamples.all where sample.hasHeader {
            let id = try sample.golden.withUnsafeBytes {
                try TensorPoolSchema.templateId(of: $0.baseAddress!, offset: 0, capacity: $0.count)
            }
            #expect(TensorPoolSchema.model.message(id: Int(id))?.name == sample.name)
        }
        var other = GoldenSamples.heartbeat.golden
        other[4] = 0x01
        #expect(throws: SBEError.wrongSchemaId(expected: 900, actual: 0x0301)) {
            try other.withUnsafeBytes { try TensorPoolSchema.templateId(of: $0.baseAddress!, offset: 0, capacity: $0.count) }
        }
        #expect(throws: SBEError.bufferTooShort(required: 8, capacity: 7)) {
            try other.withUnsafeBytes { try TensorPoolSchema.templateId(of: $0.baseAddress!, offset: 0, capacity: 7) }
        }
    }

    @Test func wrongSchemaIdAndTemplateAreReported() throws {
        var bytes = GoldenSamples.frameDescriptor.golden
        bytes[4] = 0x85
        #expect(throws: SBEError.wrongSchemaId(expected: 900, actual: 901)) {
            try bytes.withUnsafeBytes { try FrameDescriptorDecoder(wrapAndCheckHeader: $0) }
        }
        bytes = GoldenSamples.frameDescriptor.golden
        #expect(throws: SBEError.wrongTemplateId(expected: 10, actual: 4)) {
            try bytes.withUnsafeBytes { try HeartbeatDecoder(wrapAndCheckHeader: $0) }
        }
        bytes[0] = 35
        #expect(throws: SBEError.blockLengthTooSmall(minimum: 36, actual: 35)) {
            try bytes.withUnsafeBytes { try FrameDescriptorDecoder(wrapAndCheckHeader: $0) }
        }
    }

    @Test func hostileGroupCountsAndLengthsAreErrors() throws {
        // ShmPoolAnnounce with numInGroup 65535 but two entries of data.
        var bytes = GoldenSamples.shmPoolAnnounce.golden
        let groupHeader = 8 + 27
        bytes[groupHeader + 2] = 0xFF
        bytes[groupHeader + 3] = 0xFF
        #expect(throws: SBEError.self) { try bytes.withUnsafeBytes { try GoldenSamples.shmPoolAnnounce.decode($0) } }
        // regionUri length above the schema maxValue (2^30).
        bytes = GoldenSamples.shmPoolAnnounce.golden
        let firstUri = groupHeader + 4 + 10
        bytes.replaceSubrange(firstUri..<firstUri + 4, with: [0x01, 0x00, 0x00, 0x40])
        #expect(throws: SBEError.varDataTooLong(length: (1 << 30) + 1, maximum: 1 << 30)) {
            try bytes.withUnsafeBytes { try GoldenSamples.shmPoolAnnounce.decode($0) }
        }
        // DataSourceMeta attributes: a huge value length inside the buffer limits.
        bytes = GoldenSamples.dataSourceMeta.golden
        let valueLength = bytes.count - 6
        bytes.replaceSubrange(valueLength..<valueLength + 4, with: [0xFF, 0xFF, 0xFF, 0x3F])
        #expect(throws: SBEError.bufferTooShort(required: valueLength + 4 + 0x3FFF_FFFF, capacity: bytes.count)) {
            try bytes.withUnsafeBytes { try GoldenSamples.dataSourceMeta.decode($0) }
        }
    }
}
