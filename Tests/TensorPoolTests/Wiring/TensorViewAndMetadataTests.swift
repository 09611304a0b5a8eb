import Testing
import AeronClient
import SBE
import TensorPoolCore
@testable import TensorPool

/// Captures typed reads made inside `onFrame`.
struct TensorProbe: TensorFrameHandler {
    var values: [Double] = []
    var errors: [TensorAccessError] = []
    var metaVersions: [UInt32] = []
    var probe: (borrowing TensorFrame, inout TensorProbe) -> Void = { _, _ in }
    mutating func onFrame(_ frame: borrowing TensorFrame) {
        metaVersions.append(frame.header.metaVersion)
        var copy = self
        probe(frame, &copy)
        self = copy
    }
}

/// Records `DataSourceMeta` / `DataSourceAnnounce`.
struct MetaRecorder: ControlMessageHandler {
    var metas: [(version: UInt32, attributes: [(String, String, [UInt8])])] = []
    var announces: [(metaVersion: UInt32, name: String, summary: String)] = []
    mutating func onDataSourceMeta(_ message: DataSourceMetaDecoder, nowNs: UInt64) throws(SBEError) {
        var d = message
        var attributes: [(String, String, [UInt8])] = []
        var group = try d.attributes()
        while try group.next() {
            attributes.append((try group.keyString(), try group.formatString(), Array(try group.value())))
        }
        metas.append((message.metaVersion, attributes))
    }
    mutating func onDataSourceAnnounce(_ message: DataSourceAnnounceDecoder, nowNs: UInt64) throws(SBEError) {
        var d = message
        announces.append((message.metaVersion, try d.nameString(), try d.summaryString()))
    }
}

@Suite struct TensorViewAndMetadataTests {
    /// Publishes one frame of `layout` with `bytes` and returns what `probe` read inside the consumer callback.
    static func roundTrip(layout: TensorLayout, bytes: [UInt8],
                          probe: @escaping (borrowing TensorFrame, inout TensorProbe) -> Void) throws -> TensorProbe {
        let env = try WiringTestEnvironment("tensor-view")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(), aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        var handler = TensorProbe()
        handler.probe = probe
        let consumer = try TensorPoolConsumer(configuration: env.consumerConfiguration(consumerId: 71), aeron: env.aeron,
                                              handler: handler, options: env.consumerOptions)
        try ProducerConsumerTests.connect(env, producer, [consumer]) { [consumer.mappedEpoch] }
        let now = TensorPoolClock.monotonicNs()
        let result = bytes.withUnsafeBytes { producer.publish($0, layout: layout, timestampNs: now, nowNs: now) }
        #expect(result == .published(seq: 0))
        try env.pump(until: { consumer.statistics[.framesDelivered] == 1 }) { now in _ = try consumer.doWork(nowNs: now) }
        return consumer.handler
    }

    static func bytes<T>(_ values: [T]) -> [UInt8] { values.withUnsafeBytes { Array($0) } }

    @Test func rowMajorFloatTensorIsIndexedByShape() throws {
        let values: [Float] = (0..<12).map(Float.init)   // [[0,1,2,3],[4,5,6,7],[8,9,10,11]]
        let probe = try Self.roundTrip(layout: TensorLayout(dtype: .float32, shape: [3, 4]), bytes: Self.bytes(values)) { frame, me in
            do {
                let picked = try frame.withTensor(of: Float.self) { t in [t[0, 0], t[1, 2], t[2, 3], Float(t.extent(0)), Float(t.extent(1)), Float(t.byteStride(0))] }
                me.values = picked.map(Double.init)
            } catch let error as TensorAccessError { me.errors.append(error) } catch {}
            do { _ = try frame.withTensor(of: Double.self) { t in t[0, 0] } } catch let error as TensorAccessError { me.errors.append(error) } catch {}
        }
        #expect(probe.values == [0, 6, 11, 3, 4, 16])
        #expect(probe.errors == [.dtypeMismatch(requested: .float64, actual: .float32)])
    }

    @Test func columnMajorAndExplicitStrides() throws {
        // Column-major 2x3 int32: storage [a00, a10, a01, a11, a02, a12].
        let column: [Int32] = [1, 2, 3, 4, 5, 6]
        let probe = try Self.roundTrip(layout: TensorLayout(dtype: .int32, shape: [2, 3], majorOrder: .column), bytes: Self.bytes(column)) { frame, me in
            me.values = (try? frame.withTensor(of: Int32.self) { t in [t[0, 0], t[1, 0], t[0, 1], t[1, 2]].map(Double.init) }) ?? []
        }
        #expect(probe.values == [1, 2, 3, 6])
        // Row-major 2x2 uint16 with a padded row stride of 8 bytes: rows [10, 11, pad, pad], [12, 13, pad, pad].
        let padded: [UInt16] = [10, 11, 0xFFFF, 0xFFFF, 12, 13, 0xFFFF, 0xFFFF]
        let strided = try Self.roundTrip(layout: TensorLayout(dtype: .uint16, shape: [2, 2], strides: [8, 2]), bytes: Self.bytes(padded)) { frame, me in
            me.values = (try? frame.withTensor(of: UInt16.self) { t in
                var all: [Double] = []
                t.forEach { all.append(Double($0)) }
                return all
            }) ?? []
        }
        #expect(strided.values == [10, 11, 12, 13])
    }

    @Test func metadataBumpsMetaVersionAndIsAnnounced() throws {
        let env = try WiringTestEnvironment("metadata")
        defer { env.close() }
        var config = env.producerConfiguration()
        config.name = "camera-7"
        var options = env.producerOptions
        options.summary = "UINT8 [480, 640]"
        let producer = try TensorPoolProducer(configuration: config, aeron: env.aeron, options: options)
        defer { producer.close() }
        let listener = try ControlPlane(aeron: env.aeron, endpoint: AeronEndpointConfiguration(aeronDir: env.aeronDir),
                                        roleName: "meta-listener", publishing: [], subscribing: [.metadata], logSink: env.logLines.sink)
        defer { listener.close() }
        var recorder = MetaRecorder()
        try env.pump(until: { recorder.announces.count >= 1 }) { now in
            _ = try producer.doWork(nowNs: now)
            _ = listener.poll(&recorder, nowNs: now)
        }
        #expect(recorder.announces.first?.name == "camera-7")
        #expect(recorder.announces.first?.summary == "UINT8 [480, 640]")
        #expect(recorder.announces.first?.metaVersion == 0)
        let version = producer.setMetadata([MetaAttribute(key: "camera_serial", text: "SN-42"),
                                            MetaAttribute(key: "gain", format: "application/octet-stream", value: [1, 2, 3])],
                                           nowNs: TensorPoolClock.monotonicNs())
        #expect(version == 1)
        try env.pump(until: { recorder.metas.contains { $0.version == 1 } }) { now in _ = listener.poll(&recorder, nowNs: now) }
        let meta = try #require(recorder.metas.last { $0.version == 1 })
        #expect(meta.attributes.map(\.0) == ["camera_serial", "gain"])
        #expect(meta.attributes.first?.1 == "text/plain")
        #expect(meta.attributes.first?.2 == Array("SN-42".utf8))
        #expect(meta.attributes.last?.2 == [1, 2, 3])
        #expect(recorder.announces.last?.metaVersion == 1)
        #expect(producer.statistics[.metaVersion] == 1)
    }
}
