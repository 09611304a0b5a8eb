import Foundation
import Testing
import TensorPoolCodecs

/// Random messages of every template (written by the generated encoders) survive
/// `tp wire decode` + `tp wire encode` byte for byte: the schema-driven JSON path agrees with the codecs.
@Suite struct WireRandomRoundTripTests {
    static func ascii(_ rng: inout SplitMix64) -> String {
        String((0..<Int.random(in: 0...24, using: &rng)).map { _ in Character(Unicode.Scalar(UInt8.random(in: 0x20...0x7E, using: &rng))) })
    }

    static func u32(_ rng: inout SplitMix64) -> UInt32 { UInt32.random(in: 0...UInt32.max, using: &rng) }
    static func u64(_ rng: inout SplitMix64) -> UInt64 { UInt64.random(in: 0...UInt64.max, using: &rng) }
    static func opt32(_ rng: inout SplitMix64) -> UInt32? { Bool.random(using: &rng) ? nil : UInt32.random(in: 0..<UInt32.max, using: &rng) }

    static func randomMessage(_ rng: inout SplitMix64, into raw: UnsafeMutableRawBufferPointer) throws -> Int {
        switch Int.random(in: 0..<11, using: &rng) {
        case 0:
            var e = try ShmPoolAnnounceEncoder(wrapAndApplyHeader: raw)
            e.streamId = u32(&rng); e.producerId = u32(&rng); e.epoch = u64(&rng); e.layoutVersion = u32(&rng)
            e.headerNslots = u32(&rng); e.headerSlotBytes = UInt16.random(in: 0...UInt16.max, using: &rng); e.maxDims = UInt8.random(in: 0...255, using: &rng)
            let n = Int.random(in: 0...3, using: &rng)
            var g = try e.payloadPoolsCount(n)
            for _ in 0..<n {
                try g.next(); g.poolId = UInt16.random(in: 0...UInt16.max, using: &rng); g.poolNslots = u32(&rng); g.strideBytes = u32(&rng)
                try g.regionUri(ascii(&rng))
            }
            try e.endPayloadPools(g)
            try e.headerRegionUri(ascii(&rng))
            return try e.finish()
        case 1:
            let e = try ConsumerHelloEncoder(wrapAndApplyHeader: raw)
            e.streamId = u32(&rng); e.consumerId = u32(&rng); e.supportsShm = BoolEnum(rawValue: UInt8.random(in: 0...3, using: &rng))
            e.supportsProgress = .true; e.mode = Mode(rawValue: UInt8.random(in: 0...4, using: &rng)); e.maxRateHz = 5
            e.expectedLayoutVersion = u32(&rng); e.progressIntervalUs = opt32(&rng); e.progressBytesDelta = opt32(&rng); e.progressRowsDelta = opt32(&rng)
            return e.encodedLength
        case 2:
            var e = try ConsumerConfigEncoder(wrapAndApplyHeader: raw)
            e.streamId = u32(&rng); e.consumerId = u32(&rng); e.useShm = .false; e.mode = .decimated; e.decimation = UInt16.random(in: 0...9, using: &rng)
            try e.payloadFallbackUri(ascii(&rng))
            return try e.finish()
        case 3:
            let e = try FrameDescriptorEncoder(wrapAndApplyHeader: raw)
            e.streamId = u32(&rng); e.epoch = u64(&rng); e.seq = u64(&rng); e.headerIndex = u32(&rng)
            e.timestampNs = Bool.random(using: &rng) ? nil : UInt64.random(in: 0..<UInt64.max, using: &rng); e.metaVersion = opt32(&rng)
            return e.encodedLength
        case 4:
            let e = try QosConsumerEncoder(wrapAndApplyHeader: raw)
            e.streamId = u32(&rng); e.consumerId = u32(&rng); e.epoch = u64(&rng); e.lastSeqSeen = u64(&rng)
            e.dropsGap = u64(&rng); e.dropsLate = u64(&rng); e.mode = Mode(rawValue: UInt8.random(in: 0...255, using: &rng))
            return e.encodedLength
        case 5:
            let e = try QosProducerEncoder(wrapAndApplyHeader: raw)
            e.streamId = u32(&rng); e.producerId = u32(&rng); e.epoch = u64(&rng); e.currentSeq = u64(&rng); e.watermark = opt32(&rng)
            return e.encodedLength
        case 6:
            var e = try DataSourceAnnounceEncoder(wrapAndApplyHeader: raw)
            e.streamId = u32(&rng); e.producerId = u32(&rng); e.epoch = u64(&rng); e.metaVersion = u32(&rng)
            try e.name(ascii(&rng)); try e.summary(ascii(&rng))
            return try e.finish()
        case 7:
            var e = try DataSourceMetaEncoder(wrapAndApplyHeader: raw)
            e.streamId = u32(&rng); e.metaVersion = u32(&rng); e.timestampNs = u64(&rng)
            let n = Int.random(in: 0...3, using: &rng)
            var g = try e.attributesCount(n)
            for _ in 0..<n {
                try g.next(); try g.key(ascii(&rng)); try g.format(ascii(&rng))
                let bytes = (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                try bytes.withUnsafeBytes { try g.value($0) }
            }
            try e.endAttributes(g)
            return try e.finish()
        case 8:
            var e = try ControlResponseEncoder(wrapAndApplyHeader: raw)
            e.correlationId = Int64.random(in: Int64.min...Int64.max, using: &rng); e.code = ResponseCode(rawValue: Int32.random(in: -3...7, using: &rng))
            try e.errorMessage(ascii(&rng))
            return try e.finish()
        case 9:
            let e = try HeartbeatEncoder(wrapAndApplyHeader: raw)
            e.streamId = u32(&rng); e.producerId = u32(&rng); e.epoch = u64(&rng); e.timestampNs = u64(&rng)
            return e.encodedLength
        default:
            let e = try FrameProgressEncoder(wrapAndApplyHeader: raw)
            e.streamId = u32(&rng); e.epoch = u64(&rng); e.frameId = u64(&rng); e.headerIndex = u32(&rng)
            e.payloadBytesFilled = u64(&rng); e.state = FrameProgressState(rawValue: UInt8.random(in: 0...5, using: &rng)); e.rowsFilled = opt32(&rng)
            return e.encodedLength
        }
    }

    @Test func randomMessagesSurviveDecodeAndEncode() throws {
        var rng = SplitMix64(seed: 2026)
        var messages: [[UInt8]] = []
        var storage = [UInt8](repeating: 0, count: 4096)
        for _ in 0..<300 {
            let length = try storage.withUnsafeMutableBytes { try Self.randomMessage(&rng, into: $0) }
            messages.append(Array(storage[0..<length]))
        }
        let decoded = try WireCommandTests.run(["wire", "decode", "--raw"], input: Data(messages.flatMap { $0 }))
        #expect(decoded.status == 0, "\(decoded.stderr)")
        #expect(decoded.stdout.split(separator: "\n").count == messages.count)
        let encoded = try WireCommandTests.run(["wire", "encode"], input: Data(decoded.stdout.utf8))
        #expect(encoded.status == 0, "\(encoded.stderr)")
        let lines = encoded.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == messages.count)
        for (index, (line, message)) in zip(lines, messages).enumerated() where line != WireCommandTests.hex(message) {
            Issue.record("message \(index) differs after decode+encode: \(WireCommandTests.hex(message)) -> \(line)")
        }
    }

    @Test func shmCompositesSurviveDecodeAndEncode() throws {
        var rng = SplitMix64(seed: 99)
        var blocks: [UInt8] = []
        for _ in 0..<50 {
            let block = (0..<256).map { _ in UInt8.random(in: 0...255, using: &rng) }
            blocks += block
        }
        for (name, size) in [("TensorSlotHeader256", 256), ("ShmRegionSuperblock", 64)] {
            let input = Array(blocks.prefix(size * 50))
            let decoded = try WireCommandTests.run(["wire", "decode", "--raw", "--type", name], input: Data(input))
            #expect(decoded.status == 0, "\(decoded.stderr)")
            let encoded = try WireCommandTests.run(["wire", "encode", "--type", name], input: Data(decoded.stdout.utf8))
            #expect(encoded.status == 0, "\(encoded.stderr)")
            let expected = stride(from: 0, to: input.count, by: size).map { WireCommandTests.hex(Array(input[$0..<$0 + size])) }
            let lines = encoded.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 50)
            for (index, (line, block)) in zip(lines, expected).enumerated() where line != block {
                Issue.record("\(name) \(index) differs: \(block) -> \(line)")
            }
        }
    }
}
