#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Testing
import AeronClient
import AeronInteropSupport
import SharedMemory
import TensorPoolBridgeCodecs
import TensorPoolCore
@testable import TensorPool

/// Source producer → bridge sender → `aeron:udp?endpoint=localhost:<free port>` → bridge receiver (a local
/// producer) → SHM consumer of the receiver's stream, on the REAL Aeron C 1.53 media driver (the embedded Swift
/// driver is IPC only). Everything is driven from the test thread.
final class BridgeTestChain: RoleChain {
    static let sourceStream: UInt32 = 1
    static let targetStream: UInt32 = 2
    static let bridgeStream: Int32 = 7001

    let cDriver: RealAeronMediaDriver
    let env: WiringTestEnvironment
    let channel: String
    let source: TensorPoolProducer
    let sender: TensorPoolBridgeSender
    let receiver: TensorPoolBridgeReceiver
    let consumer: TensorPoolConsumer<RepublishedFrameRecorder>
    let buffer: UnsafeMutableRawBufferPointer

    /// The receiver's own `DataSourceAnnounce` summary (appended to the source's).
    var receiverSummary: String { "bridged from \(channel)" }

    init(_ name: String, assemblyTimeoutNs: UInt64 = 1_000_000_000, metadataIntervalNs: UInt64 = 1_000_000_000,
         sourceAnnounceIntervalMs: UInt32 = 1000) throws {
        var driverOptions = RealAeronMediaDriver.Options()
        driverOptions.termLength = 1 << 22
        cDriver = try RealAeronMediaDriver(options: driverOptions)
        do {
            env = try WiringTestEnvironment(name, externalAeronDir: cDriver.path)
        } catch {
            _ = try? cDriver.stop()
            throw error
        }
        channel = "aeron:udp?endpoint=localhost:\(try Self.freeUDPPort())"
        let pools: [PayloadPoolConfiguration] = [.init(poolId: 1, strideBytes: 4096), .init(poolId: 2, strideBytes: 2 << 20)]
        var sourceConfiguration = env.producerConfiguration(streamId: Self.sourceStream, nslots: 16, pools: pools)
        sourceConfiguration.announceIntervalMs = sourceAnnounceIntervalMs
        source = try TensorPoolProducer(configuration: sourceConfiguration, aeron: env.aeron, options: env.producerOptions)
        var senderOptions = BridgeSenderOptions(channel: channel, streamId: Self.bridgeStream, maxFrameBytes: 2 << 20,
                                                source: env.consumerOptions)
        senderOptions.metadataIntervalNs = metadataIntervalNs
        sender = try TensorPoolBridgeSender(
            source: env.consumerConfiguration(streamId: Self.sourceStream, consumerId: 31), aeron: env.aeron,
            options: senderOptions)
        var receiverOptions = BridgeReceiverOptions(channel: channel, streamId: Self.bridgeStream,
                                                    sourceStreamId: Self.sourceStream, producer: env.producerOptions)
        receiverOptions.assemblyTimeoutNs = assemblyTimeoutNs
        receiverOptions.producer.summary = "bridged from \(channel)"
        receiver = try TensorPoolBridgeReceiver(
            target: env.producerConfiguration(streamId: Self.targetStream, nslots: 16, pools: pools), aeron: env.aeron,
            options: receiverOptions)
        consumer = try TensorPoolConsumer(configuration: env.consumerConfiguration(streamId: Self.targetStream, consumerId: 32),
                                          aeron: env.aeron, handler: RepublishedFrameRecorder(sourceEpochs: [source.epoch]),
                                          options: env.consumerOptions)
        buffer = .allocate(byteCount: 2 << 20, alignment: 64)
    }

    deinit {
        consumer.close()
        receiver.close()
        sender.close()
        source.close()
        buffer.deallocate()
        env.close()
        _ = try? cDriver.stop()
    }

    func cycle(_ now: UInt64) throws {
        _ = try source.doWork(nowNs: now)
        _ = try sender.doWork(nowNs: now)
        _ = try receiver.doWork(nowNs: now)
        _ = try consumer.doWork(nowNs: now)
    }

    /// Sender mapped the source, consumer mapped the receiver's stream, the UDP publication connected.
    func connect() throws {
        let ok = try pump {
            sender.source.mappedEpoch == source.epoch && consumer.mappedEpoch == receiver.target.epoch
                && sender.publication.isConnected
        }
        try #require(ok, "bridge chain not connected (sender mapped \(String(describing: sender.source.mappedEpoch)), consumer mapped \(String(describing: consumer.mappedEpoch)), udp connected \(sender.publication.isConnected)); log: \(env.logLines.lines.suffix(8))")
    }

    /// Publishes one synthetic source frame of `layout` and pumps until the consumer of the receiver's stream
    /// recorded one more frame.
    func sendFrame(_ layout: TensorLayout) throws {
        let before = consumer.handler.records.count
        let size = layout.contiguousByteCount
        let now = TensorPoolClock.monotonicNs()
        SyntheticFramePattern.fill(buffer, count: size, epoch: source.epoch, seq: source.nextSeq)
        let result = source.publish(UnsafeRawBufferPointer(rebasing: buffer[0..<size]), layout: layout, timestampNs: now, nowNs: now)
        guard case .published = result else {
            Issue.record("source publish: \(result)")
            return
        }
        let arrived = try pump { consumer.handler.records.count > before }
        try #require(arrived, "frame of \(size) bytes did not arrive: sender \(describe(sender.statistics)) receiver \(describe(receiver.statistics))")
    }

    /// A UDP port nobody listens on right now (bound to port 0 and released).
    static func freeUDPPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw POSIXError(.EINVAL) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

func describe(_ s: BridgeSenderStatistics) -> String {
    BridgeSenderStatistics.Counter.allCases.map { "\($0)=\(s[$0])" }.joined(separator: " ")
}

func describe(_ s: BridgeReceiverStatistics) -> String {
    BridgeReceiverStatistics.Counter.allCases.map { "\($0)=\(s[$0])" }.joined(separator: " ")
}

/// Crafts `BridgeFrameChunk` messages (valid or hostile) for a test publication.
struct BridgeChunkCrafter: ~Copyable {
    let buffer: UnsafeMutableRawPointer
    let capacity = 1 << 16
    let header: AtomicBuffer

    init() {
        buffer = .allocate(byteCount: capacity, alignment: 64)
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: capacity)
        let base = UnsafeMutableRawPointer.allocate(byteCount: 256, alignment: 64)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: 256)
        header = AtomicBuffer(base: base, capacity: 256)
    }

    deinit {
        buffer.deallocate()
        header.base.deallocate()
    }

    /// The 256 slot-header bytes of a uint8 [totalLength] frame `seq` (optionally with another dtype / length).
    func slotHeader(seq: UInt64, valuesLength: Int, dtypeRaw: Int16? = nil) -> [UInt8] {
        var h = TensorLayout(dtype: .uint8, shape: [max(valuesLength, 1)]).header(valuesLength: valuesLength, timestampNs: 5, metaVersion: 0)
        h.frameId = seq
        if let dtypeRaw { h.dtypeRaw = dtypeRaw }
        try? h.write(to: header, slotOffset: 0)
        return Array(UnsafeRawBufferPointer(start: header.base, count: 256))
    }

    /// Encodes one chunk; `chunkLength` defaults to the payload's length.
    func chunk(streamId: UInt32 = BridgeTestChain.sourceStream, epoch: UInt64, seq: UInt64, total: Int, offset: Int,
               chunkLength: Int? = nil, slotHeader: [UInt8], payload: [UInt8]) throws -> [UInt8] {
        var e = try BridgeFrameChunkEncoder(wrapAndApplyHeader: buffer, offset: 0, capacity: capacity)
        e.streamId = streamId
        e.epoch = epoch
        e.seq = seq
        e.totalLength = UInt32(total)
        e.chunkOffset = UInt32(offset)
        e.chunkLength = UInt32(chunkLength ?? payload.count)
        try e.slotHeader(slotHeader)
        try e.payload(payload)
        return Array(UnsafeRawBufferPointer(start: buffer, count: e.encodedLength))
    }

    /// Encodes one `BridgeDataSourceMeta` (attributes as raw key / format / value bytes, so hostile text fits).
    func metadata(streamId: UInt32 = BridgeTestChain.sourceStream, metaVersion: UInt32, timestampNs: UInt64 = 7,
                  attributes: [(key: [UInt8], format: [UInt8], value: [UInt8])]) throws -> [UInt8] {
        let size = 28 + attributes.reduce(0) { $0 + 12 + $1.key.count + $1.format.count + $1.value.count }
        var bytes = [UInt8](repeating: 0, count: size)
        let length = try bytes.withUnsafeMutableBytes { raw throws -> Int in
            var e = try BridgeDataSourceMetaEncoder(wrapAndApplyHeader: raw)
            e.streamId = streamId
            e.metaVersion = metaVersion
            e.timestampNs = timestampNs
            var group = try e.attributesCount(attributes.count)
            for attribute in attributes {
                try group.next()
                try group.key(attribute.key)
                try group.format(attribute.format)
                try group.value(attribute.value)
            }
            try e.endAttributes(group)
            return try e.finish()
        }
        return Array(bytes[0..<length])
    }

    /// Encodes one `BridgeDataSourceAnnounce` (name and summary as raw bytes, so hostile text fits).
    func announce(streamId: UInt32 = BridgeTestChain.sourceStream, producerId: UInt32 = 9, epoch: UInt64 = 3,
                  metaVersion: UInt32 = 0, name: [UInt8], summary: [UInt8]) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 8 + 20 + 8 + name.count + summary.count)
        let length = try bytes.withUnsafeMutableBytes { raw throws -> Int in
            var e = try BridgeDataSourceAnnounceEncoder(wrapAndApplyHeader: raw)
            e.streamId = streamId
            e.producerId = producerId
            e.epoch = epoch
            e.metaVersion = metaVersion
            try e.name(name)
            try e.summary(summary)
            return try e.finish()
        }
        return Array(bytes[0..<length])
    }

    /// `count` bytes of frame (`epoch`, `seq`)'s synthetic pattern starting at byte `offset`.
    static func pattern(epoch: UInt64, seq: UInt64, total: Int, offset: Int, count: Int) -> [UInt8] {
        var whole = [UInt8](repeating: 0, count: total)
        whole.withUnsafeMutableBytes { SyntheticFramePattern.fill($0, count: total, epoch: epoch, seq: seq) }
        return Array(whole[offset..<(offset + count)])
    }
}
