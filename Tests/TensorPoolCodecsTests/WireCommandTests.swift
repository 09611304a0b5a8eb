import AeronInteropSupport
import Foundation
import Testing
import TensorPoolCodecs

/// Runs the built `tp` binary: `tp wire decode/encode` round trips and error reporting.
@Suite struct WireCommandTests {
    static func tpExecutable() throws -> URL {
        var candidates: [URL] = []
        let argument0 = URL(fileURLWithPath: CommandLine.arguments[0])
        var directory = argument0.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent("tp"))
            directory = directory.deletingLastPathComponent()
        }
        candidates.append(CodecRegenerationTests.root.appendingPathComponent(".build/debug/tp"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "tp not built (swift build --product tp); looked in \(candidates.map(\.path))"])
        }
        return found
    }

    /// Runs `tp` with `arguments`, feeding `input` on stdin (bounded, see ``BoundedProcessRun``).
    static func run(_ arguments: [String], input: Data) throws -> BoundedProcessRun {
        try BoundedProcessRun.run(tpExecutable(), arguments, input: input)
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func decodeGoldenMessagesBackToBackAndEncodeThemBack() throws {
        let samples = GoldenSamples.all.filter(\.hasHeader)
        let stream = samples.flatMap(\.golden)
        let decoded = try Self.run(["wire", "decode", "--hex"], input: Data(Self.hex(stream).utf8))
        #expect(decoded.status == 0, "\(decoded.stderr)")
        let lines = decoded.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == samples.count)
        #expect(lines.first == #"{"template":"ShmPoolAnnounce","streamId":1,"producerId":2,"epoch":3,"layoutVersion":1,"headerNslots":1024,"headerSlotBytes":256,"maxDims":8,"payloadPools":[{"poolId":1,"poolNslots":1024,"strideBytes":1048576,"regionUri":"p1"},{"poolId":2,"poolNslots":1024,"strideBytes":16777216,"regionUri":""}],"headerRegionUri":"hdr"}"#)
        #expect(lines.contains(#"{"template":"FrameDescriptor","streamId":16909060,"epoch":1234605616436508552,"seq":42,"headerIndex":2571,"timestampNs":null,"metaVersion":5}"#))
        #expect(lines.contains(#"{"template":"ConsumerHello","streamId":16,"consumerId":32,"supportsShm":"TRUE","supportsProgress":"FALSE","mode":"LATEST","maxRateHz":60,"expectedLayoutVersion":1,"progressIntervalUs":250,"progressBytesDelta":null,"progressRowsDelta":0}"#))
        #expect(lines.contains(#"{"template":"DataSourceMeta","streamId":1,"metaVersion":2,"timestampNs":72623859790382856,"attributes":[{"key":"k","format":"f","value":"AP8="}]}"#))
        #expect(lines.contains(#"{"template":"ControlResponse","correlationId":-2,"code":"REJECTED","errorMessage":"no"}"#))

        let encoded = try Self.run(["wire", "encode"], input: Data(decoded.stdout.utf8))
        #expect(encoded.status == 0, "\(encoded.stderr)")
        #expect(encoded.stdout.split(separator: "\n").map(String.init) == samples.map { Self.hex($0.golden) })
    }

    @Test func rawInputIsAutodetected() throws {
        let bytes = GoldenSamples.heartbeat.golden + GoldenSamples.qosProducer.golden
        let decoded = try Self.run(["wire", "decode"], input: Data(bytes))
        #expect(decoded.status == 0, "\(decoded.stderr)")
        #expect(decoded.stdout == """
            {"template":"Heartbeat","streamId":1,"producerId":2,"epoch":3,"timestampNs":16}
            {"template":"QosProducer","streamId":1,"producerId":2,"epoch":3,"currentSeq":18446744073709551614,"watermark":7}

            """)
    }

    @Test(arguments: ["ShmRegionSuperblock", "TensorSlotHeader256"])
    func shmCompositesWithType(name: String) throws {
        let sample = try #require(GoldenSamples.all.first { $0.name == name })
        let decoded = try Self.run(["wire", "decode", "--type", name, "--hex"], input: Data(Self.hex(sample.golden).utf8))
        #expect(decoded.status == 0, "\(decoded.stderr)")
        if name == "ShmRegionSuperblock" {
            #expect(decoded.stdout == #"{"template":"ShmRegionSuperblock","magic":6075162711091072305,"layoutVersion":1,"epoch":3,"streamId":16,"regionType":"PAYLOAD_POOL","poolId":1,"nslots":1024,"slotBytes":256,"strideBytes":1048576,"pid":4242,"startTimestampNs":256,"activityTimestampNs":512}"# + "\n")
        } else {
            #expect(decoded.stdout.contains(#""dtype":"FLOAT32","majorOrder":"ROW","ndims":2,"padAlign":0,"dims":[480,640,0,0,0,0,0,0],"strides":[2560,4,0,0,0,0,0,0]"#))
        }
        let encoded = try Self.run(["wire", "encode", "--type", name], input: Data(decoded.stdout.utf8))
        #expect(encoded.status == 0, "\(encoded.stderr)")
        #expect(encoded.stdout == Self.hex(sample.golden) + "\n")
    }

    @Test func unknownEnumValueDecodesAsNumberAndEncodesBack() throws {
        var bytes = GoldenSamples.qosConsumer.golden
        bytes[bytes.count - 1] = 9
        let decoded = try Self.run(["wire", "decode", "--raw"], input: Data(bytes))
        #expect(decoded.stdout.contains(#""mode":9"#))
        let encoded = try Self.run(["wire", "encode"], input: Data(decoded.stdout.utf8))
        #expect(encoded.stdout == Self.hex(bytes) + "\n")
    }

    /// Corrupted message streams: `tp wire decode` prints what it could decode and fails cleanly (status 0 or 1),
    /// never dies of a signal.
    @Test func corruptedStreamsNeverCrashTheDecoder() throws {
        let stream = GoldenSamples.all.filter(\.hasHeader).flatMap(\.golden)
        var rng = SplitMix64(seed: 0x7770)
        var rejected = 0
        for round in 0..<40 {
            var corrupt = stream
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                corrupt[Int.random(in: 0..<corrupt.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            if round % 4 == 0 { corrupt.removeLast(Int.random(in: 1...40, using: &rng)) }
            let run = try Self.run(["wire", "decode", "--raw"], input: Data(corrupt))
            #expect(!run.signalled && (run.status == 0 || run.status == 1), "round \(round): status \(run.status) \(run.stderr)")
            if run.status == 1 && run.stderr.contains("tp wire: message at byte offset") { rejected += 1 }
        }
        // The corruption really reaches the error paths (every truncated stream at least is rejected).
        #expect(rejected >= 10)
    }

    @Test func errorsNameTheProblemAndExitNonZero() throws {
        let short = try Self.run(["wire", "decode", "--hex"], input: Data(Self.hex(Array(GoldenSamples.frameDescriptor.golden.prefix(20))).utf8))
        #expect(short.status != 0 && !short.signalled, "a clean failure exit, not a crash")
        #expect(short.stderr.contains("short buffer"))

        var wrongSchema = GoldenSamples.heartbeat.golden
        wrongSchema[4] = 0x85
        let schema = try Self.run(["wire", "decode"], input: Data(Self.hex(wrongSchema).utf8))
        #expect(schema.status != 0 && !schema.signalled, "a clean failure exit, not a crash")
        #expect(schema.stderr.contains("wrong schema id 901 (expected 900)"))

        var unknown = GoldenSamples.heartbeat.golden
        unknown[2] = 99
        let template = try Self.run(["wire", "decode"], input: Data(Self.hex(unknown).utf8))
        #expect(template.status != 0 && !template.signalled, "a clean failure exit, not a crash")
        #expect(template.stderr.contains("unknown template id 99"))

        let name = try Self.run(["wire", "encode"], input: Data(#"{"template":"NoSuchMessage"}"#.utf8))
        #expect(name.status != 0 && !name.signalled, "a clean failure exit, not a crash")
        #expect(name.stderr.contains("unknown template 'NoSuchMessage'"))

        let type = try Self.run(["wire", "decode", "--type", "Bogus"], input: Data("00".utf8))
        #expect(type.status != 0 && !type.signalled, "a clean failure exit, not a crash")
        #expect(type.stderr.contains("unknown type 'Bogus'"))

        let badJSON = try Self.run(["wire", "encode"], input: Data(#"{"template":"Heartbeat","#.utf8))
        #expect(badJSON.status != 0 && !badJSON.signalled, "a clean failure exit, not a crash")
        #expect(badJSON.stderr.contains("invalid JSON"))

        let missing = try Self.run(["wire", "encode"], input: Data(#"{"template":"Heartbeat","streamId":1}"#.utf8))
        #expect(missing.status != 0 && !missing.signalled, "a clean failure exit, not a crash")
        #expect(missing.stderr.contains("Heartbeat.producerId"))

        let range = try Self.run(["wire", "encode"], input: Data(#"{"template":"Heartbeat","streamId":4294967296,"producerId":1,"epoch":1,"timestampNs":1}"#.utf8))
        #expect(range.status != 0 && !range.signalled, "a clean failure exit, not a crash")
        #expect(range.stderr.contains("4294967296 is not a valid uint32"))

        let typo = try Self.run(["wire", "encode"], input: Data(#"{"template":"Heartbeat","streamId":1,"producerId":1,"epoch":1,"timestampNs":1,"timestmpNs":2}"#.utf8))
        #expect(typo.status != 0 && !typo.signalled, "a clean failure exit, not a crash")
        #expect(typo.stderr.contains("Heartbeat.timestmpNs"))

        // The second message is truncated: the first is still printed, then the error.
        let partial = GoldenSamples.heartbeat.golden + Array(GoldenSamples.heartbeat.golden.prefix(12))
        let run = try Self.run(["wire", "decode", "--raw"], input: Data(partial))
        #expect(run.status != 0 && !run.signalled, "a clean failure exit, not a crash")
        #expect(run.stdout.split(separator: "\n").count == 1)
        #expect(run.stderr.contains("message at byte offset 32"))
    }
}
