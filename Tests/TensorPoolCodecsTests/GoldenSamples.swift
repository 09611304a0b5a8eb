import TensorPoolCodecs

/// Hex text written by hand in the tests: whitespace separated bytes, `ab*24` repeats a byte, `//` comments.
func hexBytes(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    for line in text.split(separator: "\n") {
        let code = line.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)[0]
        for token in code.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            let parts = token.split(separator: "*")
            guard let byte = UInt8(parts[0], radix: 16) else { fatalError("bad hex token \(token) in test data") }
            let count = parts.count > 1 ? Int(parts[1]) ?? 1 : 1
            out.append(contentsOf: repeatElement(byte, count: count))
        }
    }
    return out
}

/// One message of the tensor-pool schema: bytes written out by hand from the schema, a function that
/// encodes the same values with the generated encoder, and one that decodes every field into a text
/// (the expected text is also written by hand).
struct GoldenSample: Sendable {
    var name: String
    var hasHeader: Bool
    var golden: [UInt8]
    var expectedText: String
    var encode: @Sendable (UnsafeMutableRawBufferPointer) throws -> Int
    var decode: @Sendable (UnsafeRawBufferPointer) throws -> String
}

enum GoldenSamples {
    static let all: [GoldenSample] = [
        shmPoolAnnounce, consumerHello, consumerConfig, frameDescriptor, qosConsumer, qosProducer,
        dataSourceAnnounce, dataSourceMeta, controlResponse, heartbeat, frameProgress,
        shmRegionSuperblock, tensorSlotHeader256,
    ]

    static let shmPoolAnnounce = GoldenSample(
        name: "ShmPoolAnnounce", hasHeader: true,
        golden: hexBytes("""
            1b 00 01 00 84 03 01 00   // header: blockLength 27, template 1, schema 900, version 1
            01 00 00 00               // streamId 1
            02 00 00 00               // producerId 2
            03 00*7                   // epoch 3
            01 00 00 00               // layoutVersion 1
            00 04 00 00               // headerNslots 1024
            00 01                     // headerSlotBytes 256
            08                        // maxDims 8
            0a 00 02 00               // payloadPools: blockLength 10, 2 entries
            01 00 00 04 00 00 00 00 10 00   // poolId 1, poolNslots 1024, strideBytes 1 MiB
            02 00 00 00 70 31               // regionUri "p1"
            02 00 00 04 00 00 00 00 00 01   // poolId 2, poolNslots 1024, strideBytes 16 MiB
            00 00 00 00                     // regionUri ""
            03 00 00 00 68 64 72      // headerRegionUri "hdr"
            """),
        expectedText: "1 2 3 1 1024 256 8 [1 1024 1048576 p1][2 1024 16777216 ] hdr",
        encode: { raw in
            var e = try ShmPoolAnnounceEncoder(wrapAndApplyHeader: raw)
            e.streamId = 1; e.producerId = 2; e.epoch = 3; e.layoutVersion = 1
            e.headerNslots = 1024; e.headerSlotBytes = 256; e.maxDims = 8
            var pools = try e.payloadPoolsCount(2)
            try pools.next(); pools.poolId = 1; pools.poolNslots = 1024; pools.strideBytes = 1 << 20; try pools.regionUri("p1")
            try pools.next(); pools.poolId = 2; pools.poolNslots = 1024; pools.strideBytes = 1 << 24
            try e.endPayloadPools(pools)
            try e.headerRegionUri("hdr")
            return try e.finish()
        },
        decode: { raw in
            var d = try ShmPoolAnnounceDecoder(wrapAndCheckHeader: raw)
            var text = "\(d.streamId) \(d.producerId) \(d.epoch) \(d.layoutVersion) \(d.headerNslots) \(d.headerSlotBytes) \(d.maxDims) "
            var pools = try d.payloadPools()
            while try pools.next() {
                text += "[\(pools.poolId) \(pools.poolNslots) \(pools.strideBytes) \(try pools.regionUriString())]"
            }
            text += " \(try d.headerRegionUriString())"
            try expectLength(try d.encodedLength(), raw.count)
            return text
        })

    static let consumerHello = GoldenSample(
        name: "ConsumerHello", hasHeader: true,
        golden: hexBytes("""
            1d 00 02 00 84 03 01 00   // header: blockLength 29, template 2
            10 00 00 00               // streamId 16
            20 00 00 00               // consumerId 32
            01                        // supportsShm TRUE
            00                        // supportsProgress FALSE
            02                        // mode LATEST
            3c 00                     // maxRateHz 60
            01 00 00 00               // expectedLayoutVersion 1
            fa 00 00 00               // progressIntervalUs 250
            ff ff ff ff               // progressBytesDelta null
            00 00 00 00               // progressRowsDelta 0
            """),
        expectedText: "16 32 true false latest 60 1 Optional(250) nil Optional(0)",
        encode: { raw in
            let e = try ConsumerHelloEncoder(wrapAndApplyHeader: raw)
            e.streamId = 16; e.consumerId = 32; e.supportsShm = .true; e.supportsProgress = .false; e.mode = .latest
            e.maxRateHz = 60; e.expectedLayoutVersion = 1
            e.progressIntervalUs = 250; e.progressBytesDelta = nil; e.progressRowsDelta = 0
            return e.encodedLength
        },
        decode: { raw in
            let d = try ConsumerHelloDecoder(wrapAndCheckHeader: raw)
            try expectLength(try d.encodedLength(), raw.count)
            return "\(d.streamId) \(d.consumerId) \(d.supportsShm) \(d.supportsProgress) \(d.mode) \(d.maxRateHz) \(d.expectedLayoutVersion) \(String(describing: d.progressIntervalUs)) \(String(describing: d.progressBytesDelta)) \(String(describing: d.progressRowsDelta))"
        })

    static let consumerConfig = GoldenSample(
        name: "ConsumerConfig", hasHeader: true,
        golden: hexBytes("""
            0c 00 03 00 84 03 01 00   // header: blockLength 12, template 3
            10 00 00 00               // streamId 16
            20 00 00 00               // consumerId 32
            00                        // useShm FALSE
            03                        // mode DECIMATED
            04 00                     // decimation 4
            0a 00 00 00 62 72 69 64 67 65 3a 2f 2f 31   // payloadFallbackUri "bridge://1"
            """),
        expectedText: "16 32 false decimated 4 bridge://1",
        encode: { raw in
            var e = try ConsumerConfigEncoder(wrapAndApplyHeader: raw)
            e.streamId = 16; e.consumerId = 32; e.useShm = .false; e.mode = .decimated; e.decimation = 4
            try e.payloadFallbackUri("bridge://1")
            return try e.finish()
        },
        decode: { raw in
            var d = try ConsumerConfigDecoder(wrapAndCheckHeader: raw)
            let text = "\(d.streamId) \(d.consumerId) \(d.useShm) \(d.mode) \(d.decimation) \(try d.payloadFallbackUriString())"
            try expectLength(try d.encodedLength(), raw.count)
            return text
        })

    static let frameDescriptor = GoldenSample(
        name: "FrameDescriptor", hasHeader: true,
        golden: hexBytes("""
            24 00 04 00 84 03 01 00   // header: blockLength 36, template 4
            04 03 02 01               // streamId 0x01020304
            88 77 66 55 44 33 22 11   // epoch 0x1122334455667788
            2a 00*7                   // seq 42
            0b 0a 00 00               // headerIndex 0x0a0b
            ff*8                      // timestampNs null
            05 00 00 00               // metaVersion 5
            """),
        expectedText: "16909060 1234605616436508552 42 2571 nil Optional(5)",
        encode: { raw in
            let e = try FrameDescriptorEncoder(wrapAndApplyHeader: raw)
            e.streamId = 0x0102_0304; e.epoch = 0x1122_3344_5566_7788; e.seq = 42; e.headerIndex = 0x0a0b
            e.timestampNs = nil; e.metaVersion = 5
            return e.encodedLength
        },
        decode: { raw in
            let d = try FrameDescriptorDecoder(wrapAndCheckHeader: raw)
            try expectLength(try d.encodedLength(), raw.count)
            return "\(d.streamId) \(d.epoch) \(d.seq) \(d.headerIndex) \(String(describing: d.timestampNs)) \(String(describing: d.metaVersion))"
        })

    static let qosConsumer = GoldenSample(
        name: "QosConsumer", hasHeader: true,
        golden: hexBytes("""
            29 00 05 00 84 03 01 00   // header: blockLength 41, template 5
            01 00 00 00               // streamId 1
            02 00 00 00               // consumerId 2
            03 00*7                   // epoch 3
            00 01 00*6                // lastSeqSeen 256
            05 00*7                   // dropsGap 5
            06 00*7                   // dropsLate 6
            01                        // mode STREAM
            """),
        expectedText: "1 2 3 256 5 6 stream",
        encode: { raw in
            let e = try QosConsumerEncoder(wrapAndApplyHeader: raw)
            e.streamId = 1; e.consumerId = 2; e.epoch = 3; e.lastSeqSeen = 256; e.dropsGap = 5; e.dropsLate = 6; e.mode = .stream
            return e.encodedLength
        },
        decode: { raw in
            let d = try QosConsumerDecoder(wrapAndCheckHeader: raw)
            try expectLength(try d.encodedLength(), raw.count)
            return "\(d.streamId) \(d.consumerId) \(d.epoch) \(d.lastSeqSeen) \(d.dropsGap) \(d.dropsLate) \(d.mode)"
        })

    static let qosProducer = GoldenSample(
        name: "QosProducer", hasHeader: true,
        golden: hexBytes("""
            1c 00 06 00 84 03 01 00   // header: blockLength 28, template 6
            01 00 00 00               // streamId 1
            02 00 00 00               // producerId 2
            03 00*7                   // epoch 3
            fe ff*7                   // currentSeq 2^64 - 2
            07 00 00 00               // watermark 7
            """),
        expectedText: "1 2 3 18446744073709551614 Optional(7)",
        encode: { raw in
            let e = try QosProducerEncoder(wrapAndApplyHeader: raw)
            e.streamId = 1; e.producerId = 2; e.epoch = 3; e.currentSeq = UInt64.max - 1; e.watermark = 7
            return e.encodedLength
        },
        decode: { raw in
            let d = try QosProducerDecoder(wrapAndCheckHeader: raw)
            try expectLength(try d.encodedLength(), raw.count)
            return "\(d.streamId) \(d.producerId) \(d.epoch) \(d.currentSeq) \(String(describing: d.watermark))"
        })

    static let dataSourceAnnounce = GoldenSample(
        name: "DataSourceAnnounce", hasHeader: true,
        golden: hexBytes("""
            14 00 07 00 84 03 01 00   // header: blockLength 20, template 7
            01 00 00 00               // streamId 1
            02 00 00 00               // producerId 2
            03 00*7                   // epoch 3
            09 00 00 00               // metaVersion 9
            03 00 00 00 63 61 6d      // name "cam"
            00 00 00 00               // summary ""
            """),
        expectedText: "1 2 3 9 cam ",
        encode: { raw in
            var e = try DataSourceAnnounceEncoder(wrapAndApplyHeader: raw)
            e.streamId = 1; e.producerId = 2; e.epoch = 3; e.metaVersion = 9
            try e.name("cam")
            return try e.finish()
        },
        decode: { raw in
            var d = try DataSourceAnnounceDecoder(wrapAndCheckHeader: raw)
            let text = "\(d.streamId) \(d.producerId) \(d.epoch) \(d.metaVersion) \(try d.nameString()) \(try d.summaryString())"
            try expectLength(try d.encodedLength(), raw.count)
            return text
        })

    static let dataSourceMeta = GoldenSample(
        name: "DataSourceMeta", hasHeader: true,
        golden: hexBytes("""
            10 00 08 00 84 03 01 00   // header: blockLength 16, template 8
            01 00 00 00               // streamId 1
            02 00 00 00               // metaVersion 2
            08 07 06 05 04 03 02 01   // timestampNs 0x0102030405060708
            00 00 01 00               // attributes: blockLength 0, 1 entry
            01 00 00 00 6b            // key "k"
            01 00 00 00 66            // format "f"
            02 00 00 00 00 ff         // value [0x00, 0xff]
            """),
        expectedText: "1 2 72623859790382856 [k f 0,255]",
        encode: { raw in
            var e = try DataSourceMetaEncoder(wrapAndApplyHeader: raw)
            e.streamId = 1; e.metaVersion = 2; e.timestampNs = 0x0102_0304_0506_0708
            var attributes = try e.attributesCount(1)
            try attributes.next()
            try attributes.key("k")
            try attributes.format("f")
            try attributes.value([0x00, 0xff])
            try e.endAttributes(attributes)
            return try e.finish()
        },
        decode: { raw in
            var d = try DataSourceMetaDecoder(wrapAndCheckHeader: raw)
            var text = "\(d.streamId) \(d.metaVersion) \(d.timestampNs) "
            var attributes = try d.attributes()
            while try attributes.next() {
                let key = try attributes.keyString()
                let format = try attributes.formatString()
                let value = try attributes.value().map(String.init).joined(separator: ",")
                text += "[\(key) \(format) \(value)]"
            }
            try expectLength(try d.encodedLength(), raw.count)
            return text
        })

    static let controlResponse = GoldenSample(
        name: "ControlResponse", hasHeader: true,
        golden: hexBytes("""
            0c 00 09 00 84 03 01 00   // header: blockLength 12, template 9
            fe ff*7                   // correlationId -2
            03 00 00 00               // code REJECTED
            02 00 00 00 6e 6f         // errorMessage "no"
            """),
        expectedText: "-2 rejected no",
        encode: { raw in
            var e = try ControlResponseEncoder(wrapAndApplyHeader: raw)
            e.correlationId = -2; e.code = .rejected
            try e.errorMessage("no")
            return try e.finish()
        },
        decode: { raw in
            var d = try ControlResponseDecoder(wrapAndCheckHeader: raw)
            let text = "\(d.correlationId) \(d.code) \(try d.errorMessageString())"
            try expectLength(try d.encodedLength(), raw.count)
            return text
        })

    static let heartbeat = GoldenSample(
        name: "Heartbeat", hasHeader: true,
        golden: hexBytes("""
            18 00 0a 00 84 03 01 00   // header: blockLength 24, template 10
            01 00 00 00               // streamId 1
            02 00 00 00               // producerId 2
            03 00*7                   // epoch 3
            10 00*7                   // timestampNs 16
            """),
        expectedText: "1 2 3 16",
        encode: { raw in
            let e = try HeartbeatEncoder(wrapAndApplyHeader: raw)
            e.streamId = 1; e.producerId = 2; e.epoch = 3; e.timestampNs = 16
            return e.encodedLength
        },
        decode: { raw in
            let d = try HeartbeatDecoder(wrapAndCheckHeader: raw)
            try expectLength(try d.encodedLength(), raw.count)
            return "\(d.streamId) \(d.producerId) \(d.epoch) \(d.timestampNs)"
        })

    static let frameProgress = GoldenSample(
        name: "FrameProgress", hasHeader: true,
        golden: hexBytes("""
            25 00 0b 00 84 03 01 00   // header: blockLength 37, template 11
            01 00 00 00               // streamId 1
            03 00*7                   // epoch 3
            2a 00*7                   // frameId 42
            0a 00 00 00               // headerIndex 10
            00 10 00*6                // payloadBytesFilled 4096
            02                        // state PROGRESS
            e0 01 00 00               // rowsFilled 480
            """),
        expectedText: "1 3 42 10 4096 progress Optional(480)",
        encode: { raw in
            let e = try FrameProgressEncoder(wrapAndApplyHeader: raw)
            e.streamId = 1; e.epoch = 3; e.frameId = 42; e.headerIndex = 10; e.payloadBytesFilled = 4096
            e.state = .progress; e.rowsFilled = 480
            return e.encodedLength
        },
        decode: { raw in
            let d = try FrameProgressDecoder(wrapAndCheckHeader: raw)
            try expectLength(try d.encodedLength(), raw.count)
            return "\(d.streamId) \(d.epoch) \(d.frameId) \(d.headerIndex) \(d.payloadBytesFilled) \(d.state) \(String(describing: d.rowsFilled))"
        })

    static let shmRegionSuperblock = GoldenSample(
        name: "ShmRegionSuperblock", hasHeader: false,
        golden: hexBytes("""
            31 4d 48 53 4c 50 4f 54   // 0  magic 0x544F504C53484D31 ("TPOLSHM1" as a little-endian u64)
            01 00 00 00               // 8  layoutVersion 1
            03 00*7                   // 12 epoch 3 (unaligned u64)
            10 00 00 00               // 20 streamId 16
            02 00                     // 24 regionType PAYLOAD_POOL
            01 00                     // 26 poolId 1
            00 04 00 00               // 28 nslots 1024
            00 01 00 00               // 32 slotBytes 256
            00 00 10 00               // 36 strideBytes 1 MiB
            92 10 00*6                // 40 pid 4242
            00 01 00*6                // 48 startTimestampNs 256
            00 02 00*6                // 56 activityTimestampNs 512
            """),
        expectedText: "6075162711091072305 1 3 16 payloadPool 1 1024 256 1048576 4242 256 512",
        encode: { raw in
            let e = try ShmRegionSuperblockEncoder(wrap: raw)
            e.magic = 0x544F_504C_5348_4D31; e.layoutVersion = 1; e.epoch = 3; e.streamId = 16
            e.regionType = .payloadPool; e.poolId = 1; e.nslots = 1024; e.slotBytes = 256; e.strideBytes = 1 << 20
            e.pid = 4242; e.startTimestampNs = 256; e.activityTimestampNs = 512
            return e.encodedLength
        },
        decode: { raw in
            let d = try ShmRegionSuperblockDecoder(wrap: raw)
            try expectLength(try d.encodedLength(), 64)
            return "\(d.magic) \(d.layoutVersion) \(d.epoch) \(d.streamId) \(d.regionType) \(d.poolId) \(d.nslots) \(d.slotBytes) \(d.strideBytes) \(d.pid) \(d.startTimestampNs) \(d.activityTimestampNs)"
        })

    static let tensorSlotHeader256 = GoldenSample(
        name: "TensorSlotHeader256", hasHeader: false,
        golden: hexBytes("""
            54 00*7                   // 0   commitWord 84 = 42 << 1 (committed)
            2a 00*7                   // 8   frameId 42
            08 07 06 05 04 03 02 01   // 16  timestampNs 0x0102030405060708
            01 00 00 00               // 24  metaVersion 1
            00 10 0e 00               // 28  valuesLenBytes 921600
            0a 00 00 00               // 32  payloadSlot 10
            00 00 00 00               // 36  payloadOffset 0
            01 00                     // 40  poolId 1
            09 00                     // 42  dtype FLOAT32
            01 00                     // 44  majorOrder ROW
            02                        // 46  ndims 2
            00                        // 47  padAlign
            e0 01 00 00 80 02 00 00 00*24   // 48  dims [480, 640, 0 x 6]
            00 0a 00 00 04 00 00 00 00*24   // 80  strides [2560, 4, 0 x 6]
            00*144                    // 112 padding
            """),
        expectedText: "84 42 72623859790382856 1 921600 10 0 1 float32 row 2 0 [480,640,0,0,0,0,0,0] [2560,4,0,0,0,0,0,0] 0",
        encode: { raw in
            let e = try TensorSlotHeader256Encoder(wrap: raw)
            e.commitWord = 42 << 1; e.frameId = 42; e.timestampNs = 0x0102_0304_0506_0708; e.metaVersion = 1
            e.valuesLenBytes = 921_600; e.payloadSlot = 10; e.payloadOffset = 0; e.poolId = 1
            e.dtype = .float32; e.majorOrder = .row; e.ndims = 2; e.padAlign = 0
            try e.setDims([480, 640]); try e.setStrides([2560, 4]); try e.setPadding([UInt8]())
            return e.encodedLength
        },
        decode: { raw in
            let d = try TensorSlotHeader256Decoder(wrap: raw)
            let dims = (0..<8).map { String(d.dims(at: $0)) }.joined(separator: ",")
            let strides = (0..<8).map { String(d.strides(at: $0)) }.joined(separator: ",")
            try expectLength(try d.encodedLength(), 256)
            return "\(d.commitWord) \(d.frameId) \(d.timestampNs) \(d.metaVersion) \(d.valuesLenBytes) \(d.payloadSlot) \(d.payloadOffset) \(d.poolId) \(d.dtype) \(d.majorOrder) \(d.ndims) \(d.padAlign) [\(dims)] [\(strides)] \(d.paddingBytes.reduce(0) { $0 + Int($1) })"
        })
}

struct LengthMismatch: Error, CustomStringConvertible {
    var actual: Int
    var expected: Int
    var description: String { "decoded length \(actual), expected \(expected)" }
}

/// Decoders must account for every byte of the message.
func expectLength(_ actual: Int, _ expected: Int) throws {
    guard actual == expected else { throw LengthMismatch(actual: actual, expected: expected) }
}
