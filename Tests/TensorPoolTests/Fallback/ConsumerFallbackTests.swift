import Foundation
import Testing
import MallocCounter
import AeronClient
import TensorPoolCore
@testable import TensorPool

/// A consumer driven into FALLBACK by `ConsumerConfig(use_shm=false, payload_fallback_uri=<bridge>)` receives the
/// stream from a `TensorPoolBridgeSender` instead of SHM, with the handler API unchanged, and returns to SHM on
/// `use_shm=true`. The UDP tests run on the real Aeron C 1.53 driver and fail (do not skip) without the pyaeron
/// wheel: run scripts/install-test-deps.sh (TP_PYAERON_SO).
@Suite(.serialized) struct ConsumerFallbackTests {
    static let small = TensorLayout(dtype: .uint8, shape: [64])
    static let large = TensorLayout(dtype: .float32, shape: [512, 640])  // 1.25 MiB: many chunks

    /// SHM, then FALLBACK over UDP, then SHM again; contents verified on every path.
    func shmFallbackShm(udp: Bool) throws {
        let chain = try FallbackTestChain(udp ? "fallback-udp" : "fallback-ipc", udp: udp)
        try chain.connectShm()
        let consumer = chain.consumer

        // SHM first.
        for _ in 0..<2 { try chain.publish(Self.small) }
        try #require(try chain.pump { consumer.handler.records.count == 2 }, "SHM frames")
        #expect(consumer.fallbackStatistics[.framesAssembled] == 0)

        // FALLBACK: the frames arrive through the bridge, into the consumer's own buffer.
        try chain.enterFallback()
        if case .fallback(let uri) = consumer.mappingState { #expect(uri == chain.fallbackURI) } else {
            Issue.record("state \(consumer.mappingState)")
        }
        #expect(consumer.mappedEpoch == nil, "SHM unmapped in FALLBACK")
        #expect(consumer.fallbackBridge == BridgeFallbackURI(channel: chain.channel, streamId: FallbackTestChain.bridgeStream))
        let firstBridged = chain.producer.nextSeq
        let sequence = [Self.small, Self.large, Self.small, Self.large, Self.small]
        for layout in sequence { try chain.publishAndSend(layout) }
        let expected = 2 + sequence.count
        let arrived = try chain.pump { consumer.handler.records.count == expected }
        try #require(arrived, "bridged frames: \(consumer.handler.records.count)/\(expected), fallback \(describe(consumer.fallbackStatistics)), sender \(describe(chain.sender.statistics))")
        let bridged = Array(consumer.handler.records.suffix(sequence.count))
        #expect(bridged.map(\.seq) == Array(firstBridged..<(firstBridged + UInt64(sequence.count))), "source order, source seq")
        #expect(bridged.allSatisfy { $0.epoch == chain.producer.epoch }, "source epoch")
        #expect(bridged.allSatisfy { $0.patternOK }, "payload differs from the source frame")
        #expect(bridged.map(\.byteCount) == sequence.map(\.contiguousByteCount))
        #expect(bridged.map(\.shape) == sequence.map(\.shape), "layout from the bridged slot header")
        #expect(consumer.handler.torn == 0)
        let f = consumer.fallbackStatistics
        #expect(f[.framesAssembled] == UInt64(sequence.count), "\(describe(f))")
        #expect(f[.framesAborted] == 0 && f[.invalidChunks] == 0 && f[.malformedMessages] == 0 && f[.oversizeFrames] == 0)
        #expect(f[.chunksReceived] == chain.sender.statistics[.chunksSent])
        #expect(consumer.frameCounters.dropsGap == 0)

        // Back to SHM: the subscription closes, the regions are mapped again and frames come from SHM.
        try chain.configure(useShm: true, uri: nil)
        let remapped = try chain.pump { consumer.mappedEpoch == chain.producer.epoch }
        try #require(remapped, "not remapped: \(consumer.mappingState)")
        #expect(consumer.fallbackBridge == nil)
        let assembled = f[.framesAssembled]
        for _ in 0..<3 { try chain.publish(Self.small) }
        try #require(try chain.pump { consumer.handler.records.count == expected + 3 }, "SHM frames after FALLBACK")
        try chain.pump(timeoutS: 0.2) { false }
        #expect(f[.framesAssembled] == assembled, "nothing reassembled after leaving FALLBACK")
        #expect(consumer.handler.records.allSatisfy { $0.patternOK })
        #expect(consumer.handler.records.map(\.seq) == Array(0..<UInt64(expected + 3)))
    }

    @Test func fallbackOverUdpOnTheRealCDriverAndBackToShm() throws {
        try shmFallbackShm(udp: true)
    }

    @Test func fallbackOverIpcOnTheEmbeddedDriverAndBackToShm() throws {
        try shmFallbackShm(udp: false)
    }

    /// DECIMATED applies to bridged frames by sequence; a frame larger than the reassembly buffer is a counted
    /// drop (`destinationTooSmall`) that does not disturb the frames around it.
    @Test func admissionAndOversizeDropsInFallback() throws {
        let chain = try FallbackTestChain("fallback-admission", udp: false, maxFrameBytes: 64 * 1024)
        try chain.connectShm()
        let consumer = chain.consumer
        try chain.enterFallback(mode: .decimated, decimation: 2)
        let first = chain.producer.nextSeq
        for _ in 0..<6 { try chain.publishAndSend(Self.small) }
        try #require(try chain.pump { consumer.fallbackStatistics[.framesAssembled] == 6 }, "\(describe(consumer.fallbackStatistics))")
        #expect(consumer.handler.records.map(\.seq) == [first, first + 2, first + 4], "every 2nd frame by sequence")
        #expect(consumer.frameCounters[.decimated] == 3)

        try chain.configure(useShm: false, mode: .stream, uri: chain.fallbackURI)
        try #require(try chain.pump { consumer.modeSettings.mode == .stream })
        let before = consumer.handler.records.count
        try chain.publishAndSend(Self.small)
        try chain.publishAndSend(Self.large)  // 1.25 MiB > 64 KiB
        try chain.publishAndSend(Self.small)
        try #require(try chain.pump { consumer.handler.records.count == before + 2 }, "\(describe(consumer.fallbackStatistics))")
        #expect(consumer.fallbackStatistics[.oversizeFrames] == 1)
        #expect(consumer.frameCounters[.destinationTooSmall] == 1)
        #expect(consumer.frameCounters.dropsGap == 0, "the oversize frame is a named drop, not a gap")
        #expect(consumer.fallbackStatistics[.invalidChunks] == 0, "the oversize frame's chunks are skipped quietly")
        #expect(consumer.handler.records.suffix(2).allSatisfy { $0.patternOK })
    }

    /// LATEST: of the frames completed in one poll only the newest is delivered, with its own bytes (the
    /// reassembly buffers swap, so the held frame is not overwritten by the chunks that follow it).
    @Test func latestDeliversTheNewestBridgedFrameOfAPoll() throws {
        let chain = try FallbackTestChain("fallback-latest", udp: false)
        try chain.connectShm()
        let consumer = chain.consumer
        try chain.enterFallback(mode: .latest)
        for round in 0..<3 {
            let first = chain.producer.nextSeq
            let sent = chain.sender.statistics[.framesSent]
            // The source publishes 4 frames and the sender sends them all before the consumer polls once.
            for _ in 0..<4 {
                try chain.publish(Self.small)
                let ok = chain.env.pump(until: { chain.sender.statistics[.framesSent] == sent + UInt64(chain.producer.nextSeq - first) }) { now in
                    _ = try? chain.producer.doWork(nowNs: now)
                    _ = try? chain.sender.doWork(nowNs: now)
                }
                try #require(ok, "sender: \(describe(chain.sender.statistics))")
            }
            let before = consumer.handler.records.count
            try #require(try chain.pump { consumer.handler.records.count > before }, "\(describe(consumer.fallbackStatistics))")
            let delivered = try #require(consumer.handler.records.last)
            #expect(delivered.seq == first + 3 && delivered.patternOK, "round \(round): \(delivered)")
            #expect(consumer.handler.records.count == before + 1)
        }
        #expect(consumer.frameCounters[.latestSuperseded] == 9)
        #expect(consumer.frameCounters.dropsGap == 0)
    }

    /// A LATEST frame held by `max_rate_hz` keeps its bytes while the next frame's chunks are reassembled: it is
    /// delivered intact once the rate allows. The consumer runs on a virtual clock so the rate decides, not timing.
    @Test func heldLatestFrameSurvivesTheNextFramesChunks() throws {
        let chain = try FallbackTestChain("fallback-held", udp: false, maxRateHz: 1, fragmentLimit: 4)
        try chain.connectShm()
        let consumer = chain.consumer
        try chain.enterFallback(mode: .latest)
        var virtualNs = TensorPoolClock.monotonicNs()
        func step(consumerToo: Bool = true) throws {
            let now = TensorPoolClock.monotonicNs()
            _ = try chain.producer.doWork(nowNs: now)
            _ = try chain.sender.doWork(nowNs: now)
            virtualNs += 1_000
            if consumerToo { _ = try consumer.doWork(nowNs: virtualNs) }
        }
        func run(until condition: () -> Bool) throws -> Bool {
            let deadline = TensorPoolClock.monotonicNs() + 20_000_000_000
            while !condition() {
                if TensorPoolClock.monotonicNs() > deadline { return false }
                try step()
            }
            return true
        }
        let f = consumer.fallbackStatistics
        let a = chain.producer.nextSeq
        try chain.publish(Self.small)
        try #require(try run { consumer.handler.records.count == 1 }, "A: \(describe(f))")
        try chain.publish(Self.small)  // B: completes, held (1 Hz)
        try #require(try run { f[.framesAssembled] == 2 }, "B: \(describe(f))")
        #expect(consumer.handler.records.count == 1, "B held by the rate limit")
        let chunks = f[.chunksReceived]
        try chain.publish(Self.large)  // C: many chunks, 4 fragments per poll
        try #require(try run { f[.chunksReceived] > chunks + 8 }, "C: \(describe(f))")
        #expect(f[.framesAssembled] == 2, "C still being reassembled")
        virtualNs += 2_000_000_000
        _ = try consumer.doWork(nowNs: virtualNs)
        try #require(consumer.handler.records.count == 2, "B delivered once the rate allows")
        let b = try #require(consumer.handler.records.last)
        #expect(b.seq == a + 1 && b.patternOK && b.byteCount == Self.small.contiguousByteCount, "\(b)")
    }

    /// A consumer configured with `use_shm = false` and a bridge `payload_fallback_uri` starts in FALLBACK: it
    /// never maps SHM and receives the stream from the bridge.
    @Test func configuredUseShmFalseStartsOnTheBridge() throws {
        let chain = try FallbackTestChain("fallback-configured", udp: false, startInFallback: true)
        let consumer = chain.consumer
        #expect(consumer.mappingState == .fallback(uri: chain.fallbackURI))
        #expect(consumer.fallbackBridge == BridgeFallbackURI(channel: "aeron:ipc", streamId: FallbackTestChain.bridgeStream))
        try #require(try chain.pump { chain.sender.source.mappedEpoch == chain.producer.epoch && chain.sender.publication.isConnected })
        for _ in 0..<3 { try chain.publishAndSend(Self.small) }
        try #require(try chain.pump { consumer.handler.records.count == 3 }, "\(describe(consumer.fallbackStatistics))")
        #expect(consumer.handler.records.map(\.seq) == [0, 1, 2])
        #expect(consumer.handler.records.allSatisfy { $0.patternOK && $0.epoch == chain.producer.epoch })
        #expect(consumer.mappedEpoch == nil && consumer.statistics[.maps] == 0, "SHM never mapped")
    }

    /// The `[consumer]` `fallback_*` keys, parsed from TOML, reach a consumer built from that configuration with no
    /// ``ConsumerOptions`` overrides: a URI without `stream-id` follows `fallback_bridge_stream_id`, the reassembly
    /// buffers have `fallback_max_frame_bytes` (a larger frame is an oversize drop) and the assembly timeout is
    /// `fallback_assembly_timeout_ms`.
    @Test func configuredFallbackKeysReachTheConsumer() throws {
        let parsed = try TensorPoolConfiguration.parse(toml: """
            [consumer]
            fallback_bridge_stream_id = \(FallbackTestChain.bridgeStream)
            fallback_max_frame_bytes = 65536
            fallback_assembly_timeout_ms = 250
            """).consumer
        let chain = try FallbackTestChain("fallback-keys", udp: false, maxFrameBytes: nil, startInFallback: true) { c in
            c.payloadFallbackUri = "aeron:ipc"  // no stream-id parameter
            c.fallbackBridgeStreamId = parsed.fallbackBridgeStreamId
            c.fallbackMaxFrameBytes = parsed.fallbackMaxFrameBytes
            c.fallbackAssemblyTimeoutMs = parsed.fallbackAssemblyTimeoutMs
        }
        let consumer = chain.consumer
        #expect(consumer.fallbackBridge == BridgeFallbackURI(channel: "aeron:ipc", streamId: FallbackTestChain.bridgeStream))
        let source = try #require(consumer.state.pointee.fallback.source)
        #expect(source.capacity == 65536)
        #expect(source.assemblyTimeoutNs == 250_000_000)
        try #require(try chain.pump { chain.sender.source.mappedEpoch == chain.producer.epoch && chain.sender.publication.isConnected })
        try chain.publishAndSend(Self.small)
        try chain.publishAndSend(Self.large)  // 1.25 MiB > 64 KiB
        try chain.publishAndSend(Self.small)
        try #require(try chain.pump { consumer.handler.records.count == 2 }, "\(describe(consumer.fallbackStatistics))")
        #expect(consumer.fallbackStatistics[.oversizeFrames] == 1)
        #expect(consumer.handler.records.map(\.seq) == [0, 2])
        #expect(consumer.handler.records.allSatisfy { $0.patternOK })
    }

    /// `bridge://<id>` and `aeron:` URIs without a stream id are refused with a diagnostic; no subscription.
    @Test func unsupportedFallbackUrisGiveADiagnostic() throws {
        let chain = try FallbackTestChain("fallback-bridge-id", udp: false)
        try chain.connectShm()
        let consumer = chain.consumer
        try chain.configure(useShm: false, uri: "bridge://camera-7")
        try #require(try chain.pump { consumer.fallbackStatistics[.openFailures] == 1 })
        #expect(consumer.fallbackBridge == nil)
        #expect(consumer.lastDiagnostic?.contains("bridge://<id> URIs are not supported") == true, "\(String(describing: consumer.lastDiagnostic))")
        try chain.configure(useShm: false, uri: "aeron:ipc")
        try #require(try chain.pump { consumer.fallbackStatistics[.openFailures] == 2 })
        #expect(consumer.lastDiagnostic?.contains("no stream-id") == true, "\(String(describing: consumer.lastDiagnostic))")
        #expect(consumer.fallbackBridge == nil)
    }

    /// The source's metadata reaches a FALLBACK consumer over the bridge: `onMetadata` once per new content with
    /// the source's attributes and `meta_version`, which is also the `meta_version` of the bridged frames, so
    /// `metadata(forVersion:)` resolves them; the sender's periodic re-sends notify nothing. The consumer listens
    /// for `DataSourceMeta` on a stream nobody publishes, so only the bridge can tell it.
    @Test func sourceMetadataReachesTheFallbackConsumer() throws {
        let chain = try FallbackTestChain("fallback-meta", udp: false, metadataIntervalNs: 10_000_000) {
            $0.aeron.metadataStreamId += 1000
        }
        try chain.connectShm()
        try chain.enterFallback()
        let consumer = chain.consumer
        let attributes = [MetaAttribute(key: "camera", format: "text/plain", value: Array("cam-7".utf8)),
                          MetaAttribute(key: "fx", format: "f64", value: [0, 0, 0, 0, 0, 0, 0x59, 0x40])]
        let version = chain.producer.setMetadata(attributes, nowNs: TensorPoolClock.monotonicNs())
        try #require(try chain.pump { consumer.handler.metadata.count == 1 },
                     "no onMetadata: \(describe(consumer.fallbackStatistics)), sender \(describe(chain.sender.statistics))")
        let received = consumer.handler.metadata[0]
        #expect(received.metaVersion == version && received.streamId == FallbackTestChain.stream)
        #expect(received.attributes == attributes)
        #expect(consumer.metadata?.hasSameContent(as: received) == true)
        #expect(consumer.statistics[.metadataUpdates] == 1)

        // A bridged frame carries the source's meta_version, which resolves to the bridged metadata.
        try chain.publishAndSend(Self.small)
        try #require(try chain.pump { consumer.handler.records.count == 1 })
        let frameVersion = try #require(consumer.handler.metaVersions.first)
        #expect(frameVersion == version)
        #expect(consumer.metadata(forVersion: frameVersion)?.attributes == attributes)

        // Re-sends (every 10 ms) notify nothing.
        let sent = chain.sender.statistics[.metadataSent]
        try #require(try chain.pump { chain.sender.statistics[.metadataSent] >= sent + 3 }, "\(describe(chain.sender.statistics))")
        try chain.pump(timeoutS: 0.1) { false }
        #expect(consumer.handler.metadata.count == 1, "re-send notified again")
        #expect(consumer.statistics[.metadataUpdates] == 1)

        // New content: notified once more, under the source's new version; the old version is no longer held.
        let changed = [MetaAttribute(key: "camera", format: "text/plain", value: Array("cam-8".utf8))]
        let newVersion = chain.producer.setMetadata(changed, nowNs: TensorPoolClock.monotonicNs())
        try #require(try chain.pump { consumer.handler.metadata.count == 2 })
        #expect(consumer.handler.metadata[1].metaVersion == newVersion && consumer.handler.metadata[1].attributes == changed)
        #expect(consumer.metadata(forVersion: version) == nil)
        try chain.publishAndSend(Self.small)
        try #require(try chain.pump { consumer.handler.records.count == 2 })
        #expect(consumer.handler.metaVersions.last == newVersion)
        #expect(consumer.metadata(forVersion: newVersion)?.attributes == changed)
        let f = consumer.fallbackStatistics
        #expect(f[.invalidMetadata] == 0 && f[.malformedMessages] == 0 && f[.foreignStreamDrops] == 0, "\(describe(f))")
    }

    /// The source's `DataSourceAnnounce` reaches a FALLBACK consumer over the bridge as its ``dataSourceInfo``: the
    /// source's name, summary, producer id, epoch and `meta_version`, notified once per new beacon; the sender's
    /// periodic re-sends notify nothing. The consumer listens for `DataSourceAnnounce` on a stream nobody
    /// publishes, so only the bridge can tell it.
    @Test func sourceNameReachesTheFallbackConsumer() throws {
        let chain = try FallbackTestChain("fallback-announce", udp: false, metadataIntervalNs: 10_000_000) {
            $0.aeron.metadataStreamId += 1000
        }
        try chain.connectShm()
        try chain.enterFallback()
        let consumer = chain.consumer
        chain.producer.setDataSource(name: "cam-7", summary: "FLOAT32 [128, 128]", nowNs: TensorPoolClock.monotonicNs())
        try #require(try chain.pump { consumer.dataSourceInfo?.name == "cam-7" },
                     "no bridged name: \(String(describing: consumer.dataSourceInfo)) \(describe(consumer.fallbackStatistics)), sender \(describe(chain.sender.statistics))")
        let info = try #require(consumer.dataSourceInfo)
        #expect(info.summary == "FLOAT32 [128, 128]", "FALLBACK shows the source's summary as is")
        #expect(info.streamId == FallbackTestChain.stream && info.epoch == chain.producer.epoch
                && info.producerId == chain.producer.configuration.producerId && info.metaVersion == chain.producer.metaVersion)
        #expect(consumer.handler.infos.last == info)
        let notified = consumer.handler.infos.count

        // Re-sends (every 10 ms) notify nothing.
        let sent = chain.sender.statistics[.announceSent]
        try #require(try chain.pump { chain.sender.statistics[.announceSent] >= sent + 3 }, "\(describe(chain.sender.statistics))")
        try chain.pump(timeoutS: 0.1) { false }
        #expect(consumer.handler.infos.count == notified, "re-send notified again")

        // A new source meta_version is a new beacon, under the version the bridged frames carry.
        let version = chain.producer.setMetadata([MetaAttribute(key: "k", format: "", value: [1])], nowNs: TensorPoolClock.monotonicNs())
        #expect(try chain.pump { consumer.dataSourceInfo?.metaVersion == version })
        #expect(consumer.handler.infos.count == notified + 1 && consumer.dataSourceInfo?.name == "cam-7")
        let f = consumer.fallbackStatistics
        #expect(f[.invalidAnnounces] == 0 && f[.malformedMessages] == 0 && f[.foreignStreamDrops] == 0, "\(describe(f))")
    }

    /// The FALLBACK duty cycle (bridge poll, chunk validation, reassembly, admission, delivery) allocates nothing
    /// in steady state, the source's metadata and beacon re-sent over the bridge every millisecond included. Only this
    /// thread's allocations around the consumer's duty cycle are counted.
    @Test func fallbackDutyCycleAllocatesNothing() throws {
        let chain = try FallbackTestChain("fallback-alloc", udp: false, metadataIntervalNs: 1_000_000)
        try chain.connectShm()
        try chain.enterFallback()
        let consumer = chain.consumer
        chain.producer.setDataSource(name: "cam-7", summary: "UINT8 [64]", nowNs: TensorPoolClock.monotonicNs())
        chain.producer.setMetadata([MetaAttribute(key: "camera", format: "text/plain", value: Array("cam-7".utf8))],
                                   nowNs: TensorPoolClock.monotonicNs())
        try #require(try chain.pump { consumer.handler.metadata.count == 1 }, "\(describe(consumer.fallbackStatistics))")
        try #require(try chain.pump { consumer.dataSourceInfo?.name == "cam-7" && consumer.dataSourceInfo?.metaVersion == chain.producer.metaVersion },
                     "\(describe(consumer.fallbackStatistics))")
        consumer.handler.recording = false
        let layouts = [Self.small, TensorLayout(dtype: .float32, shape: [128, 128])]  // 64 B, 64 KiB
        var allocations = 0

        func frame(_ layout: TensorLayout) throws {
            let target = consumer.handler.delivered + 1
            try chain.publish(layout)
            let deadline = TensorPoolClock.monotonicNs() + 10_000_000_000
            while consumer.handler.delivered < target, TensorPoolClock.monotonicNs() < deadline {
                let t = TensorPoolClock.monotonicNs()
                _ = try chain.producer.doWork(nowNs: t)
                _ = try chain.sender.doWork(nowNs: t)
                let m0 = malloc_counter_thread_allocations()
                _ = try consumer.doWork(nowNs: t)
                allocations += Int(malloc_counter_thread_allocations() - m0)
            }
        }

        for i in 0..<300 { try frame(layouts[i & 1]) }
        allocations = 0
        let before = consumer.handler.delivered
        let metadataSent = chain.sender.statistics[.metadataSent]
        let announceSent = chain.sender.statistics[.announceSent]
        let infos = consumer.handler.infos.count
        for i in 0..<1000 { try frame(layouts[i & 1]) }
        #expect(chain.sender.statistics[.announceSent] > announceSent, "no beacon re-sent during the measurement")
        #expect(consumer.handler.infos.count == infos, "a beacon re-send notified again")
        #expect(consumer.handler.delivered - before == 1000)
        #expect(chain.sender.statistics[.metadataSent] > metadataSent, "no metadata re-sent during the measurement")
        #expect(consumer.handler.metadata.count == 1, "a re-send notified again")
        #expect(allocations == 0, "consumer FALLBACK duty cycle: \(allocations) allocations over 1000 frames")
        #expect(consumer.fallbackStatistics[.framesAborted] == 0)
    }
}
