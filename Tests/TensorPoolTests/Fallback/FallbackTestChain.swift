import Foundation
import Testing
import AeronClient
import AeronInteropSupport
import TensorPoolCore
@testable import TensorPool

/// Records what a consumer delivered, checking each payload against the synthetic pattern of the frame's own
/// (epoch, seq): in FALLBACK these are the source producer's, carried by the bridge.
struct FallbackRecorder: TensorFrameHandler {
    struct Record: Equatable {
        var epoch: UInt64
        var seq: UInt64
        var byteCount: Int
        var shape: [Int]
        var patternOK: Bool
    }
    var records: [Record] = []
    /// `meta_version` of each record's slot header (same order as ``records``).
    var metaVersions: [UInt32] = []
    /// Every ``onMetadata(_:)`` call.
    var metadata: [DataSourceMetadata] = []
    /// Every ``onDataSourceInfo(_:)`` call.
    var infos: [DataSourceInfo] = []
    var torn = 0
    /// Frames delivered, counted without allocating (for the allocation test, which does not record).
    var delivered = 0
    var recording = true
    private var provisional: Record?
    private var provisionalMetaVersion: UInt32 = 0
    private var provisionalSeq: UInt64 = .max

    mutating func onMetadata(_ metadata: DataSourceMetadata) {
        self.metadata.append(metadata)
    }

    mutating func onDataSourceInfo(_ info: DataSourceInfo) {
        infos.append(info)
    }

    mutating func onFrame(_ frame: borrowing TensorFrame) {
        provisionalSeq = frame.seq
        guard recording else { return }
        let ok = frame.withBytes { SyntheticFramePattern.matches($0, epoch: frame.epoch, seq: frame.seq) }
        provisional = Record(epoch: frame.epoch, seq: frame.seq, byteCount: frame.byteCount, shape: frame.shape, patternOK: ok)
        provisionalMetaVersion = frame.header.metaVersion
    }

    mutating func onFrameCompleted(seq: UInt64, intact: Bool) {
        guard provisionalSeq == seq else { return }
        provisionalSeq = .max
        if !intact { torn += 1; return }
        delivered += 1
        if let record = provisional, record.seq == seq {
            records.append(record)
            metaVersions.append(provisionalMetaVersion)
        }
        provisional = nil
    }
}

/// A producer, a bridge sender of its stream on `channel`, and a consumer of the same stream that a test
/// `ConsumerConfig` authority drives into and out of FALLBACK. Everything runs on the test thread.
final class FallbackTestChain {
    static let stream: UInt32 = 1
    static let bridgeStream: Int32 = 7101
    static let consumerId: UInt32 = 41

    let cDriver: RealAeronMediaDriver?
    let env: WiringTestEnvironment
    let channel: String
    let producer: TensorPoolProducer
    let sender: TensorPoolBridgeSender
    let consumer: TensorPoolConsumer<FallbackRecorder>
    let authority: ControlPlane
    let buffer: UnsafeMutableRawBufferPointer

    /// `udp`: over UDP loopback through the real Aeron C 1.53 driver; otherwise `aeron:ipc` on the embedded driver.
    /// `maxFrameBytes` is the consumer's ``ConsumerOptions/fallbackMaxFrameBytes`` override (`nil`: its
    /// configuration's); `configure` edits the consumer's configuration last.
    /// `metadataIntervalNs`: the sender's metadata re-send interval (`nil`: its default).
    init(_ name: String, udp: Bool, maxFrameBytes: Int? = 2 << 20, maxRateHz: UInt16 = 0, fragmentLimit: Int = 64,
         startInFallback: Bool = false, metadataIntervalNs: UInt64? = nil, configure: (inout ConsumerConfiguration) -> Void = { _ in }) throws {
        if udp {
            var driverOptions = RealAeronMediaDriver.Options()
            driverOptions.termLength = 1 << 22
            let driver = try RealAeronMediaDriver(options: driverOptions)
            cDriver = driver
            do { env = try WiringTestEnvironment(name, externalAeronDir: driver.path) } catch {
                _ = try? driver.stop()
                throw error
            }
            channel = "aeron:udp?endpoint=localhost:\(try BridgeTestChain.freeUDPPort())"
        } else {
            cDriver = nil
            env = try WiringTestEnvironment(name)
            channel = "aeron:ipc"
        }
        let pools: [PayloadPoolConfiguration] = [.init(poolId: 1, strideBytes: 4096), .init(poolId: 2, strideBytes: 2 << 20)]
        producer = try TensorPoolProducer(configuration: env.producerConfiguration(streamId: Self.stream, nslots: 16, pools: pools),
                                          aeron: env.aeron, options: env.producerOptions)
        var senderOptions = BridgeSenderOptions(channel: channel, streamId: Self.bridgeStream, maxFrameBytes: 2 << 20,
                                                source: env.consumerOptions)
        if let metadataIntervalNs { senderOptions.metadataIntervalNs = metadataIntervalNs }
        sender = try TensorPoolBridgeSender(
            source: env.consumerConfiguration(streamId: Self.stream, consumerId: 31), aeron: env.aeron,
            options: senderOptions)
        var options = env.consumerOptions
        options.fallbackMaxFrameBytes = maxFrameBytes
        options.fragmentLimit = fragmentLimit
        var configuration = env.consumerConfiguration(streamId: Self.stream, consumerId: Self.consumerId)
        configuration.modeSettings.maxRateHz = maxRateHz
        if startInFallback {
            configuration.useShm = false
            configuration.payloadFallbackUri = Self.fallbackURI(channel: channel)
        }
        configure(&configuration)
        consumer = try TensorPoolConsumer(configuration: configuration,
                                          aeron: env.aeron, handler: FallbackRecorder(), options: options)
        authority = try ControlPlane(aeron: env.aeron, endpoint: AeronEndpointConfiguration(aeronDir: env.aeronDir),
                                     roleName: "test-authority", publishing: [.control], subscribing: [], logSink: env.logLines.sink)
        buffer = .allocate(byteCount: 2 << 20, alignment: 64)
    }

    deinit {
        authority.close()
        consumer.close()
        sender.close()
        producer.close()
        buffer.deallocate()
        env.close()
        if let cDriver { _ = try? cDriver.stop() }
    }

    /// The fallback URI of the bridge: the channel with the bridge stream id as `stream-id`.
    var fallbackURI: String { Self.fallbackURI(channel: channel) }

    static func fallbackURI(channel: String) -> String {
        channel + (channel.contains("?") ? "|" : "?") + "stream-id=\(bridgeStream)"
    }

    func cycle(_ now: UInt64) throws {
        _ = try producer.doWork(nowNs: now)
        _ = try sender.doWork(nowNs: now)
        _ = try consumer.doWork(nowNs: now)
    }

    @discardableResult
    func pump(timeoutS: Double = 20, until condition: () -> Bool) throws -> Bool {
        try env.pump(timeoutS: timeoutS, until: condition) { try cycle($0) }
    }

    /// Sender and consumer mapped the producer's stream.
    func connectShm() throws {
        let ok = try pump { sender.source.mappedEpoch == producer.epoch && consumer.mappedEpoch == producer.epoch }
        try #require(ok, "not mapped: \(env.logLines.lines.suffix(8))")
    }

    /// Sends a `ConsumerConfig` for the consumer until the control publication takes it.
    func configure(useShm: Bool, mode: ConsumerMode = .stream, decimation: UInt16 = 1, uri: String?) throws {
        let command = ConsumerConfigCommand(streamId: Self.stream, consumerId: Self.consumerId, useShm: useShm, mode: mode,
                                            decimation: decimation, payloadFallbackUri: uri)
        let sent = try pump { authority.sendConsumerConfig(command).position != nil }
        try #require(sent, "ConsumerConfig not sent")
    }

    /// Drives the consumer into FALLBACK on the bridge and waits until the sender's publication reaches it.
    func enterFallback(mode: ConsumerMode = .stream, decimation: UInt16 = 1) throws {
        try configure(useShm: false, mode: mode, decimation: decimation, uri: fallbackURI)
        let ok = try pump {
            consumer.fallbackBridge != nil && consumer.isFallbackConnected && sender.publication.isConnected
                && sender.source.mappedEpoch == producer.epoch
        }
        try #require(ok, "FALLBACK not connected: state \(consumer.mappingState), diagnostic \(String(describing: consumer.lastDiagnostic)), log \(env.logLines.lines.suffix(8))")
    }

    /// Publishes one synthetic frame of `layout` (pattern of the producer's epoch and seq).
    func publish(_ layout: TensorLayout) throws {
        let size = layout.contiguousByteCount
        let now = TensorPoolClock.monotonicNs()
        SyntheticFramePattern.fill(buffer, count: size, epoch: producer.epoch, seq: producer.nextSeq)
        let result = producer.publish(UnsafeRawBufferPointer(rebasing: buffer[0..<size]), layout: layout, timestampNs: now, nowNs: now)
        guard case .published = result else {
            Issue.record("publish: \(result)")
            return
        }
    }

    /// Publishes a frame and pumps until the sender sent it.
    func publishAndSend(_ layout: TensorLayout) throws {
        let sent = sender.statistics[.framesSent]
        try publish(layout)
        let ok = try pump { sender.statistics[.framesSent] > sent }
        try #require(ok, "sender did not send: \(describe(sender.statistics))")
    }
}

func describe(_ s: FallbackStatistics) -> String {
    FallbackStatistics.Counter.allCases.map { "\($0)=\(s[$0])" }.joined(separator: " ")
}
