import AeronClient
import SBE
import TensorPoolCore

/// The consumer role (spec §10–§11, §15.1, §15.4, §15.12, §15.21, §15.22): maps a producer's regions from its
/// `ShmPoolAnnounce`, reads frames announced by `FrameDescriptor` through the seqlock and hands them to `handler`.
///
/// - Mapping (``ConsumerCoordinator``: UNMAPPED / MAPPING / MAPPED / FALLBACK / FAILED): every announced path must
///   be a `shm:file` URI under ``ConsumerOptions/shmRootDir`` with superblocks matching the announce; an epoch
///   change, a `pid` change, a stale `activity_timestamp_ns` or announce, or a superblock mismatch unmaps (in-flight
///   frames dropped) and waits for a new epoch.
/// - Frames: STREAM reads every descriptor, LATEST only the newest of each poll, DECIMATED every Nth, all under
///   `max_rate_hz`; every drop is counted per ``DropReason`` (QoS `drops_gap` / `drops_late`), resync beyond
///   `max_outstanding_seq_gap`. The payload is read only inside the seqlock read: ``TensorFrameHandler/onFrame(_:)``
///   gets a borrowed ``TensorFrame``; ``TensorFrameHandler/onFrameCompleted(seq:intact:)`` then says whether the
///   commit word held (`intact`) or the frame was torn during the callback.
/// - Control: `ConsumerHello` at start and at its cadence (and after a mode change), `QosConsumer` at its cadence,
///   `ConsumerConfig` applied at runtime (mode, decimation, use_shm, fallback URI), `FrameProgress` passed to the
///   handler when `supports_progress` is configured.
/// - Metadata (spec §10.3): the latest `DataSourceAnnounce` and `DataSourceMeta` of this stream are kept as
///   ``dataSourceInfo`` and ``metadata``; a new version or changed content is passed to
///   ``TensorFrameHandler/onMetadata(_:)``; ``metadata(forVersion:)`` tells what a frame's `meta_version` means.
///
/// Single-threaded (its `AgentRunner` thread or your loop); polling and reading allocate nothing in steady state.
public final class TensorPoolConsumer<Handler: TensorFrameHandler>: TensorPoolAgent, ControlMessageHandler {
    /// The `[consumer]` section this consumer was started with. Runtime `ConsumerConfig` changes are not written back
    /// here: the settings in force are ``modeSettings``.
    public let configuration: ConsumerConfiguration
    /// Runtime options fixed at init: SHM root that announced paths must be under, log sink, counters, fallback sizing.
    public let options: ConsumerOptions
    /// Id sent in `ConsumerHello` and `QosConsumer`, and matched against `ConsumerConfig.consumer_id` and
    /// `ControlResponse.correlation_id`: `consumer_id` from the configuration, else a random id in `1..<UInt32.max`
    /// drawn at init (spec §10.1.2: self-assigned ids are random).
    public let consumerId: UInt32
    /// `consumer[<stream_id>/<consumer_id>]`: names the `AgentRunner` thread and prefixes this consumer's log lines.
    public let roleName: String
    /// The consumer's Aeron streams: sends hellos on control and `QosConsumer` on QoS; receives control, QoS, metadata
    /// and descriptors (the descriptor stream is polled first, every cycle). Used only on the consumer's thread;
    /// its ``ControlPlane/counters`` (messages received, rejections, offers) can be read from any thread.
    public let controlPlane: ControlPlane
    /// Frames and bytes delivered, latency, drops per ``DropReason``, maps, configs: written by the consumer's thread,
    /// readable from any thread while it runs (drop counters are copied in after each duty cycle that did work).
    public let statistics = ConsumerStatistics()
    /// The consumer's Aeron counters (when ``ConsumerOptions/allocateCounters``).
    public let counters: ConsumerCounters?
    /// Receives the frames (owned by the consumer; read it back once the consumer is stopped).
    public var handler: Handler {
        unsafeAddress { UnsafePointer(handlerStorage) }
        unsafeMutableAddress { handlerStorage }
    }
    /// The handler, behind a pointer: no exclusivity check per frame, and the class layout does not depend on
    /// `Handler` (no field offset looked up in generic metadata).
    @usableFromInline let handlerStorage: UnsafeMutablePointer<Handler>
    /// Per-cycle and per-frame mutable state (see ``ConsumerDutyCycleState``).
    @usableFromInline let state: UnsafeMutablePointer<ConsumerDutyCycleState>

    /// Mapping and admission (a copy, for inspection; the consumer works on `state`).
    var coordinator: ConsumerCoordinator { state.pointee.coordinator }
    var mapped: ConsumerMappedRegions? {
        didSet { state.pointee.reader = mapped.map { .passUnretained($0.reader) } }
    }
    @usableFromInline let streamId: UInt32
    /// Bytes of the last `ShmPoolAnnounce` decoded and its summary: a byte-identical repeat (every announce
    /// cadence in steady state) is recognised without decoding it into new Strings and Arrays.
    private var lastAnnounceBytes: [UInt8] = []
    private var lastAnnounce: AnnounceSummary?
    /// The latest `DataSourceAnnounce` / `DataSourceMeta` of this stream (see ``metadata``).
    var metadataTracker = DataSourceMetadataTracker()
    /// Last diagnostic of a failed mapping or FAILED state (for status displays).
    public private(set) var lastDiagnostic: String?

    /// Opens the Aeron streams (blocking until the driver answers each) and, with ``ConsumerOptions/allocateCounters``,
    /// the Aeron counters; takes ownership of `handler`. Nothing is mapped until an announce for `stream_id` arrives;
    /// with `use_shm = false` it starts in FALLBACK (FAILED without an `aeron:`/`bridge://` fallback URI). Throws if
    /// Aeron refuses a stream or counter; whatever was opened is closed again.
    public init(configuration: ConsumerConfiguration, aeron: Aeron, handler: Handler,
                options: ConsumerOptions = ConsumerOptions()) throws(AeronError) {
        self.configuration = configuration
        self.options = options
        streamId = configuration.streamId
        let consumerId = configuration.consumerId ?? UInt32.random(in: 1..<UInt32.max)
        self.consumerId = consumerId
        roleName = "consumer[\(configuration.streamId)/\(consumerId)]"
        handlerStorage = .allocate(capacity: 1)
        handlerStorage.initialize(to: handler)
        state = .allocate(capacity: 1)
        state.initialize(to: ConsumerDutyCycleState(
            coordinator: ConsumerCoordinator(configuration: configuration, consumerId: consumerId),
            helloCadence: Cadence(intervalNs: UInt64(configuration.helloIntervalMs) * 1_000_000),
            qosCadence: Cadence(intervalNs: UInt64(configuration.qosIntervalMs) * 1_000_000),
            superblockCadence: Cadence(intervalNs: UInt64(configuration.announceIntervalMs) * 1_000_000),
            tickCadence: Cadence(intervalNs: 50_000_000),
            countersCadence: Cadence(intervalNs: max(options.countersIntervalNs, 1))))
        state.pointee.fallback.aeron = aeron
        let controlPlane: ControlPlane
        do {
            controlPlane = try ControlPlane(aeron: aeron, endpoint: configuration.aeron, roleName: roleName,
                                        publishing: [.control, .qos],
                                        subscribing: [.control, .descriptor, .qos, .metadata], prioritizing: .descriptor,
                                        logSink: options.logSink)
        } catch {
            Self.release(state, handlerStorage)
            throw error
        }
        self.controlPlane = controlPlane
        do {
            counters = options.allocateCounters
                ? try ConsumerCounters(aeron: aeron, streamId: configuration.streamId, instanceId: consumerId) : nil
        } catch {
            controlPlane.close()
            Self.release(state, handlerStorage)
            throw error
        }
        // Configured `use_shm = false`: FALLBACK (or FAILED) before any announce.
        perform(state.pointee.coordinator.start(useShm: configuration.useShm, nowNs: 0), nowNs: 0)
    }

    deinit { Self.release(state, handlerStorage) }

    private static func release(_ state: UnsafeMutablePointer<ConsumerDutyCycleState>,
                                _ handler: UnsafeMutablePointer<Handler>) {
        state.deinitialize(count: 1)
        state.deallocate()
        handler.deinitialize(count: 1)
        handler.deallocate()
    }

    /// Closes the Aeron streams and unmaps the regions.
    public func close() {
        guard !state.pointee.isClosed else { return }
        state.pointee.isClosed = true
        closeFallback()
        mapped = nil
        statistics.mirror(state.pointee.coordinator.admission.counters)
        refreshCounters()
        counters?.close()
        controlPlane.close()
    }

    /// Copies ``statistics`` into the Aeron counters.
    func refreshCounters() {
        guard let counters else { return }
        let s = statistics
        counters.set(.framesAccepted, Int64(bitPattern: s[.framesDelivered]))
        counters.set(.bytesAccepted, Int64(bitPattern: s[.bytesDelivered]))
        counters.set(.dropsGap, Int64(bitPattern: s[.dropsGap]))
        counters.set(.dropsLate, Int64(bitPattern: s[.dropsLate]))
        var raw: UInt8 = 0
        while let reason = DropReason(rawValue: raw) {
            counters.set(ConsumerCounter.drop(reason), Int64(bitPattern: s[reason]))
            raw += 1
        }
        counters.set(.remaps, Int64(bitPattern: s[.maps]))
        counters.set(.mode, Int64(state.pointee.coordinator.admission.settings.mode.rawValue))
        counters.set(.configsApplied, Int64(bitPattern: s[.configsApplied]))
        counters.set(.qosSent, Int64(bitPattern: s[.qosSent]))
        counters.set(.epoch, Int64(bitPattern: s[.mappedEpoch]))
    }

    /// Mapping state (UNMAPPED, MAPPING, MAPPED(epoch), FALLBACK, FAILED).
    public var mappingState: ConsumerMappingState { state.pointee.coordinator.mapping.state }
    /// The mapped epoch, if any.
    public var mappedEpoch: UInt64? { mapped?.epoch }
    /// Current frame-selection settings (mode, decimation, rate limit).
    public var modeSettings: ConsumerModeSettings { state.pointee.coordinator.admission.settings }
    /// Cumulative per-reason frame counters.
    public var frameCounters: ConsumerFrameCounters { state.pointee.coordinator.admission.counters }

    // MARK: metadata

    /// The latest metadata of this consumer's stream (`DataSourceMeta`, spec §10.3.2), `nil` until one arrives.
    ///
    /// Only the latest version is kept: once a newer `meta_version` arrives, frames still carrying an older one
    /// have no metadata here (``metadata(forVersion:)`` returns `nil` for them). `DataSourceMeta` names only a
    /// stream, not a producer or epoch, so it is accepted for this stream id from any sender; when the consumer maps
    /// an epoch other than that of the held ``dataSourceInfo`` (or maps with none held), both are forgotten, since a
    /// restarted producer numbers its versions from scratch, and are learnt again from the producer's next re-send
    /// (at its announce cadence). In FALLBACK the source's metadata also arrives over the bridge
    /// (`BridgeDataSourceMeta`, docs/BRIDGE.md) and is applied the same way, under the source's `meta_version`
    /// that the bridged frames carry. Read it on the consumer's thread (from the handler or your own duty-cycle
    /// loop) or once the consumer is stopped.
    public var metadata: DataSourceMetadata? { metadataTracker.metadata }

    /// The latest data-source beacon of this consumer's stream (`DataSourceAnnounce`, spec §10.3.1), `nil` until
    /// one arrives. While the consumer is mapped, only beacons of the mapped producer (`producer_id`) and `epoch` are
    /// accepted; while unmapped (or in FALLBACK) any beacon for the stream is. Same threading rule as ``metadata``.
    public var dataSourceInfo: DataSourceInfo? { metadataTracker.info }

    /// The metadata a frame carrying `metaVersion` (``TensorSlotHeader/metaVersion``) refers to, if it is the one
    /// held: ``metadata`` when its version equals `metaVersion`, else `nil` (not received yet, or an older version
    /// that is no longer kept). Allocates nothing: may be called from ``TensorFrameHandler/onFrame(_:)`` through a
    /// reference to the consumer, on the consumer's thread.
    public func metadata(forVersion metaVersion: UInt32) -> DataSourceMetadata? {
        guard let held = metadataTracker.metadata, held.metaVersion == metaVersion else { return nil }
        return held
    }

    // MARK: duty cycle

    /// Inlinable so that it is specialized for the application's `Handler` in the calling module: the control-plane
    /// poll, message dispatch, admission, seqlock read and handler calls of a frame then run without generic
    /// metadata or witness-table calls. The periodic part stays out of line (``periodicWork(nowNs:)``) and runs only
    /// when `nowNs` differs from the previous cycle's: hellos, QoS, liveness and superblock checks are due at most
    /// once per clock reading, so a caller that reuses one reading across idle cycles (`DutyCycleClock`) spins on
    /// the descriptor poll alone between readings.
    @inlinable
    public func doWork(nowNs: UInt64) throws -> Int {
        let state = self.state
        if state.pointee.isClosed { return 0 }
        var work = 0
        var handler = ConsumerControlHandler(self)
        work += controlPlane.poll(&handler, nowNs: nowNs, fragmentLimit: options.fragmentLimit)
        if let fallback = state.pointee.fallbackSource { work += pollFallback(fallback.takeUnretainedValue(), nowNs: nowNs) }
        if state.pointee.coordinator.admission.hasPending, let latest = state.pointee.coordinator.takeLatest(nowNs: nowNs) {
            read(latest, nowNs: nowNs)
            work += 1
        }
        if nowNs != state.pointee.periodicCheckedNs {
            state.pointee.periodicCheckedNs = nowNs
            work += periodicWork(nowNs: nowNs)
        }
        if work > 0 { mirrorStatistics() }
        return work
    }

    /// Hello, QoS, liveness tick, superblock check and counters, each at its cadence.
    @usableFromInline
    func periodicWork(nowNs: UInt64) -> Int {
        var work = 0
        if state.pointee.helloCadence.isDue(nowNs: nowNs) {
            controlPlane.sendConsumerHello(state.pointee.coordinator.hello(configuration: configuration))
            work += 1
        }
        if state.pointee.qosCadence.isDue(nowNs: nowNs) {
            if controlPlane.sendQosConsumer(state.pointee.coordinator.qosReport().report).position != nil { statistics.add(.qosSent) }
            work += 1
        }
        if state.pointee.tickCadence.isDue(nowNs: nowNs) {
            let actions = state.pointee.coordinator.tick(nowNs: nowNs)
            if !actions.isEmpty { perform(actions, nowNs: nowNs) }
        }
        if mapped != nil, state.pointee.superblockCadence.isDue(nowNs: nowNs) {
            checkSuperblocks(nowNs: nowNs)
        }
        if state.pointee.countersCadence.isDue(nowNs: nowNs) { refreshCounters() }
        return work
    }

    /// Copies the admission drop counters into ``statistics`` when one of them moved (they only grow, so an
    /// unchanged sum means all unchanged): in steady state nothing is dropped and nothing is copied.
    @usableFromInline
    func mirrorStatistics() {
        let counters = state.pointee.coordinator.admission.counters
        let total = counters.dropTotal
        if total == state.pointee.mirroredDropTotal { return }
        state.pointee.mirroredDropTotal = total
        statistics.mirror(counters)
    }

    /// Agent shutdown (`AgentRunner` or `AgentInvoker` close): ``close()`` on the agent's thread, after the last
    /// duty cycle.
    public func onClose() { close() }

    // MARK: control messages

    /// Announce for this stream (spec §10.1.1): a byte-identical repeat of the last one only refreshes announce
    /// liveness (no decoding, no allocation); any other is decoded and drives mapping (map, remap on an epoch or layout
    /// change, reject an invalid layout). Throws when the pools group or a URI is malformed.
    public func onShmPoolAnnounce(_ message: ShmPoolAnnounceDecoder, nowNs: UInt64) throws(SBEError) {
        guard message.streamId == streamId else { return }
        let raw = UnsafeRawBufferPointer(start: message.sbeBuffer, count: message.sbeCapacity)
        if let cached = lastAnnounce, MessageBytes.equal(lastAnnounceBytes, raw),
           state.pointee.coordinator.onRepeatedAnnounce(cached, nowNs: nowNs) {
            return
        }
        var decoder = message
        var pools: [AnnounceSummary.Pool] = []
        var group = try decoder.payloadPools()
        while try group.next() {
            pools.append(AnnounceSummary.Pool(poolId: group.poolId, nslots: group.poolNslots, strideBytes: group.strideBytes,
                                              regionUri: try group.regionUriString()))
        }
        let announce = AnnounceSummary(
            streamId: message.streamId, producerId: message.producerId, epoch: message.epoch,
            layoutVersion: message.layoutVersion, headerRegionUri: try decoder.headerRegionUriString(),
            headerNslots: message.headerNslots, headerSlotBytes: message.headerSlotBytes, maxDims: message.maxDims,
            pools: pools)
        lastAnnounceBytes.removeAll(keepingCapacity: true)
        lastAnnounceBytes.append(contentsOf: raw)
        lastAnnounce = announce
        perform(state.pointee.coordinator.onAnnounce(announce, nowNs: nowNs), nowNs: nowNs)
    }

    /// The frame path (spec §10.2.1, §11): admission reads the slot now through the seqlock, holds it (LATEST: read at
    /// the end of the poll) or drops it with a counted ``DropReason``; a `seq` regression unmaps (§15.2). Ignored in
    /// FALLBACK, where frames come from the bridge. Never throws; allocates nothing.
    @inlinable
    public func onFrameDescriptor(_ message: FrameDescriptorDecoder, nowNs: UInt64) throws(SBEError) {
        guard message.streamId == streamId, state.pointee.fallbackSource == nil else { return }
        let descriptor = FrameDescriptorValue(epoch: message.epoch, seq: message.seq, headerIndex: message.headerIndex,
                                              timestampNs: message.timestampNs)
        handlerStorage.pointee.onDescriptor(seq: descriptor.seq, timestampNs: descriptor.timestampNs)
        switch state.pointee.coordinator.offer(descriptor, nowNs: nowNs) {
        case .read: read(descriptor, nowNs: nowNs)
        case .held, .drop: break
        case .remapRequired: remapAfterRegression(nowNs: nowNs)
        }
    }

    /// Hands `FrameProgress` of the mapped epoch to ``TensorFrameHandler/onProgress(_:)``, only if `supports_progress`
    /// is configured (spec §10.2.2) and admission will take the frame (DECIMATED skips the others, counted in
    /// `progressSkipped`); an unknown state value is a counted `unknownEnumValue` rejection. With
    /// ``TensorFrameHandler/readsProgressPrefixes`` the filled prefix is then read (``SeqlockReader/withPrefix(frameId:headerIndex:bytesFilled:_:)``,
    /// or ``SeqlockReader/withRows(frameId:headerIndex:rowsFilled:bytesFilled:_:)`` for an update with `rows_filled`
    /// when the handler sets ``TensorFrameHandler/readsProgressRows``)
    /// and handed to ``TensorFrameHandler/onProgressPrefix(_:)``, or the refusal to
    /// ``TensorFrameHandler/onProgressPrefixRefused(_:reason:)``, each counted in ``statistics``. Allocates nothing.
    public func onFrameProgress(_ message: FrameProgressDecoder, nowNs: UInt64) throws(SBEError) {
        guard configuration.supportsProgress, message.streamId == streamId else { return }
        let state: FrameProgressState
        switch message.state {
        case .started: state = .started
        case .progress: state = .progress
        case .complete: state = .complete
        case .unknown: state = .unknown
        case .unrecognized(let raw):
            controlPlane.reject(.unknownEnumValue, nowNs: nowNs) { "FrameProgress state \(raw)" }
            return
        }
        let update = FrameProgressUpdate(epoch: message.epoch, frameId: message.frameId, headerIndex: message.headerIndex,
                                         payloadBytesFilled: message.payloadBytesFilled,
                                         rowsFilled: message.rowsFilled, state: state)
        guard let epoch = mapped?.epoch else {
            refusePrefix(update, .notMapped)
            return
        }
        guard message.epoch == epoch else {
            refusePrefix(update, .otherEpoch(message.epoch))
            return
        }
        guard self.state.pointee.coordinator.admission.wantsProgress(epoch: epoch, frameId: update.frameId) else {
            statistics.add(.progressSkipped)
            return
        }
        statistics.add(.progressDelivered)
        handler.onProgress(update)
        if Handler.readsProgressPrefixes { readPrefix(update, nowNs: nowNs) }
    }

    /// Reads the filled prefix of `update`'s frame through the mapped reader and hands it to the handler: as rows
    /// when the handler reads rows and the update carries `rows_filled`, else as a byte prefix.
    func readPrefix(_ update: FrameProgressUpdate, nowNs: UInt64) {
        guard let reader = state.pointee.reader else {
            refusePrefix(update, .notMapped)
            return
        }
        let handler = handlerStorage
        var called = false
        let result: FramePrefixRead<Void>
        if Handler.readsProgressRows, let rowsFilled = update.rowsFilled {
            result = reader._withUnsafeGuaranteedRef { reader in
                reader.withRows(frameId: update.frameId, headerIndex: update.headerIndex, rowsFilled: rowsFilled,
                                bytesFilled: update.payloadBytesFilled) { header, rows, span in
                    called = true
                    span.withUnsafeBytes { bytes in
                        handler.pointee.onProgressPrefix(FramePrefix(progress: update, header: header, nowNs: nowNs,
                                                                     payload: bytes, rows: rows))
                    }
                }
            }
        } else {
            result = reader._withUnsafeGuaranteedRef { reader in
                reader.withPrefix(frameId: update.frameId, headerIndex: update.headerIndex,
                                  bytesFilled: update.payloadBytesFilled) { header, prefix in
                    called = true
                    prefix.withUnsafeBytes { bytes in
                        handler.pointee.onProgressPrefix(FramePrefix(progress: update, header: header, nowNs: nowNs, payload: bytes))
                    }
                }
            }
        }
        switch result {
        case .intact:
            statistics.add(.prefixReadsIntact)
            if Handler.readsProgressRows && update.rowsFilled != nil { statistics.add(.prefixRowReadsIntact) }
            handler.pointee.onProgressPrefixCompleted(frameId: update.frameId, intact: true)
        case .torn:
            if called {
                statistics.add(.prefixReadsTorn)
                handler.pointee.onProgressPrefixCompleted(frameId: update.frameId, intact: false)
            } else {
                refusePrefix(update, .reclaimedDuringCheck)
            }
        case .refused(let reason):
            refusePrefix(update, .slot(reason))
        }
    }

    /// Counts a refused prefix read and tells the handler (only for handlers that read prefixes).
    func refusePrefix(_ update: FrameProgressUpdate, _ reason: ProgressPrefixRefusal) {
        guard Handler.readsProgressPrefixes else { return }
        let counter: ConsumerStatistics.Counter = switch reason {
        case .notMapped, .otherEpoch: .prefixRefusedEpoch
        case .reclaimedDuringCheck: .prefixReadsTorn
        case .slot(.headerIndexOutOfRange), .slot(.slotHoldsOtherFrame): .prefixRefusedSlot
        case .slot(.headerNotStaged): .prefixRefusedNotStaged
        case .slot(.payloadOffsetNotZero), .slot(.nonContiguousStrides), .slot(.rowsNeedRowMajor), .slot(.rowNotDense):
            .prefixRefusedInformational
        case .slot(.invalidHeader), .slot(.filledBeyondPayload), .slot(.rowsFilledBeyondDims), .slot(.rowsBeyondPayload):
            .prefixRefusedInvalid
        }
        statistics.add(counter)
        handler.onProgressPrefixRefused(update, reason: reason)
    }

    /// `ConsumerConfig` for this stream and consumer id (spec §10.1.3): applies mode, decimation, `use_shm` and
    /// fallback URI, then sends a `ConsumerHello` on the next cycle so the producer sees the new mode. Out-of-schema
    /// enums or invalid settings (decimation 0) leave the settings unchanged and count in `configsRejected`.
    public func onConsumerConfig(_ message: ConsumerConfigDecoder, nowNs: UInt64) throws(SBEError) {
        guard message.streamId == streamId, message.consumerId == consumerId else { return }
        var decoder = message
        guard let mode = ConsumerMode(rawValue: message.mode.rawValue),
              let useShm = TensorPoolProducer.bool(message.useShm) else {
            statistics.add(.configsRejected)
            controlPlane.reject(.unknownEnumValue, nowNs: nowNs) { "ConsumerConfig mode/use_shm value outside the schema" }
            return
        }
        let fallback = try decoder.payloadFallbackUriString()
        let command = ConsumerConfigCommand(streamId: streamId, consumerId: consumerId, useShm: useShm, mode: mode,
                                            decimation: message.decimation,
                                            payloadFallbackUri: fallback.isEmpty ? nil : fallback)
        let rejectedBefore = state.pointee.coordinator.rejectedConfigs
        perform(state.pointee.coordinator.onConsumerConfig(command, nowNs: nowNs), nowNs: nowNs)
        if state.pointee.coordinator.rejectedConfigs != rejectedBefore {
            statistics.add(.configsRejected)
            let why = state.pointee.coordinator.lastConfigRejection ?? "invalid settings"
            controlPlane.reject(.invalidContent, nowNs: nowNs) { "ConsumerConfig rejected: \(why)" }
        } else {
            statistics.add(.configsApplied)
            controlPlane.logEvent("ConsumerConfig applied: mode \(mode) decimation \(message.decimation) use_shm \(useShm)")
            state.pointee.helloCadence.fireNext()
        }
    }

    /// `DataSourceAnnounce` for this stream (spec §10.3.1), of the mapped producer and epoch when mapped: kept as
    /// ``dataSourceInfo`` and passed to ``TensorFrameHandler/onDataSourceInfo(_:)`` when it changed. A byte-identical
    /// re-send is recognised without decoding; a name or summary over the
    /// bounds of ``DataSourceInfo`` or not ASCII is a counted `invalidContent` rejection and the previous beacon is
    /// kept; a truncated one is rejected by the control plane (thrown decoding error).
    public func onDataSourceAnnounce(_ message: DataSourceAnnounceDecoder, nowNs: UInt64) throws(SBEError) {
        guard message.streamId == streamId else { return }
        if let announce = mapped?.announce,
           message.epoch != announce.epoch || message.producerId != announce.producerId { return }
        switch try metadataTracker.onAnnounce(message) {
        case .unchanged:
            return
        case .rejected(let rejection):
            controlPlane.reject(.invalidContent, nowNs: nowNs) { rejection.detail }
        case .updated:
            guard let info = metadataTracker.info else { return }
            handler.onDataSourceInfo(info)
        }
    }

    /// `DataSourceMeta` for this stream (spec §10.3.2): new content replaces ``metadata`` and is passed to
    /// ``TensorFrameHandler/onMetadata(_:)``; a re-send of the same content is recognised from its bytes without
    /// decoding or allocating. More than ``DataSourceMetadata/maxAttributes`` attributes or
    /// ``DataSourceMetadata/maxAttributeBytes`` bytes, or a key or format not printable ASCII, is a counted
    /// `invalidContent` rejection; a truncated or malformed message is rejected by the control plane (thrown
    /// decoding error). Either way the previous metadata is kept.
    public func onDataSourceMeta(_ message: DataSourceMetaDecoder, nowNs: UInt64) throws(SBEError) {
        guard message.streamId == streamId else { return }
        switch try metadataTracker.onMeta(message) {
        case .unchanged:
            return
        case .rejected(let rejection):
            controlPlane.reject(.invalidContent, nowNs: nowNs) { rejection.detail }
        case .updated:
            guard let metadata = metadataTracker.metadata else { return }
            statistics.add(.metadataUpdates)
            handler.onMetadata(metadata)
        }
    }

    /// `QosProducer.current_seq` for this stream (spec §10.4.2), used only when its epoch is the mapped one: tells
    /// admission how far the producer is ahead, so a consumer more than `max_outstanding_seq_gap` behind resyncs.
    public func onQosProducer(_ message: QosProducerDecoder, nowNs: UInt64) throws(SBEError) {
        guard message.streamId == streamId else { return }
        state.pointee.coordinator.onProducerSeq(epoch: message.epoch, currentSeq: message.currentSeq)
    }

    /// A producer's answer to this consumer's hello (`correlation_id` = ``consumerId``, spec §15.18): a non-OK code
    /// (e.g. unsupported `expected_layout_version`) is logged, rate limited; nothing else changes.
    public func onControlResponse(_ message: ControlResponseDecoder, nowNs: UInt64) throws(SBEError) {
        guard message.correlationId == Int64(consumerId), message.code != .ok else { return }
        var decoder = message
        let text = try decoder.errorMessageString()
        let code = message.code
        controlPlane.logRateLimited(key: 0, nowNs: nowNs) { "producer answered \(code): \(text)" }
    }

    // MARK: frames

    @inlinable
    func read(_ descriptor: FrameDescriptorValue, nowNs: UInt64) {
        let state = self.state
        guard let reader = state.pointee.reader else {
            state.pointee.coordinator.recordRead(descriptor, outcome: .dropped(.unmapped), nowNs: nowNs)
            return
        }
        let handler = handlerStorage
        var called = false
        let epoch = descriptor.epoch
        let seq = descriptor.seq
        var bytes: UInt64 = 0
        let result = reader._withUnsafeGuaranteedRef { reader in
            reader.withFrame(seq: seq, headerIndex: descriptor.headerIndex) { header, payload -> UInt64 in
                called = true
                bytes = UInt64(header.valuesLenBytes)
                payload.withUnsafeBytes { bytes in
                    handler.pointee.onFrame(TensorFrame(epoch: epoch, seq: seq, header: header, nowNs: nowNs, payload: bytes))
                }
                return nowNs >= header.timestampNs ? nowNs - header.timestampNs : 0
            }
        }
        switch result {
        case .accepted(let latency):
            state.pointee.coordinator.recordRead(descriptor, outcome: .accepted, nowNs: nowNs)
            handler.pointee.onFrameCompleted(seq: seq, intact: true)
            statistics.add(.framesDelivered)
            statistics.add(.bytesDelivered, bytes)
            statistics.add(.latencySumNs, latency)
            statistics.add(.latencyCount)
            if latency > statistics[.latencyMaxNs] { statistics.set(.latencyMaxNs, latency) }
        case .dropped(let drop):
            if called { handler.pointee.onFrameCompleted(seq: seq, intact: false) }
            state.pointee.coordinator.recordRead(descriptor, outcome: .dropped(DropReason(drop)), nowNs: nowNs)
        }
    }

    // MARK: mapping

    @usableFromInline
    func remapAfterRegression(nowNs: UInt64) {
        perform(state.pointee.coordinator.takeRemapActions(), nowNs: nowNs)
    }

    @usableFromInline
    func perform(_ actions: [MappingAction], nowNs: UInt64) {
        for action in actions {
            switch action {
            case .dropInFlight:
                break
            case .unmap(let cause):
                if let epoch = mapped?.epoch {
                    controlPlane.logEvent("unmapped epoch \(epoch): \(cause)")
                    statistics.add(.unmaps)
                }
                mapped = nil
                statistics.set(.mappedEpoch, 0)
            case .map(let announce):
                map(announce, nowNs: nowNs)
            case .refresh:
                break
            case .switchToFallback(let uri):
                if let diagnostic = openFallback(uri: uri) {
                    lastDiagnostic = diagnostic
                    controlPlane.logEvent(diagnostic)
                }
            case .leaveFallback:
                closeFallback()
                controlPlane.logEvent("leaving fallback; waiting for an announce")
            case .fail(let diagnostic):
                closeFallback()
                lastDiagnostic = diagnostic
                controlPlane.logRateLimited(key: 1, nowNs: nowNs) { "data source failed: \(diagnostic)" }
            }
        }
    }

    private func map(_ announce: AnnounceSummary, nowNs: UInt64) {
        do {
            let regions = try ConsumerMappedRegions.map(announce, rootPath: options.shmRootDir)
            mapped = regions
            statistics.add(.maps)
            statistics.set(.mappedEpoch, announce.epoch)
            controlPlane.logEvent("mapped epoch \(announce.epoch) (\(announce.headerNslots) slots, \(announce.pools.count) pools)")
            if metadataTracker.retain(epoch: announce.epoch) {
                controlPlane.logEvent("metadata not known to be of epoch \(announce.epoch) forgotten; waiting for its re-send")
            }
            perform(state.pointee.coordinator.mapSucceeded(epoch: announce.epoch, nowNs: nowNs), nowNs: nowNs)
            checkSuperblocks(nowNs: nowNs)
        } catch {
            statistics.add(.mapFailures)
            let reason = "\(error)"
            lastDiagnostic = reason
            controlPlane.reject(.invalidContent, nowNs: nowNs) { "ShmPoolAnnounce epoch \(announce.epoch): \(reason)" }
            perform(state.pointee.coordinator.mapFailed(epoch: announce.epoch, reason: reason, nowNs: nowNs), nowNs: nowNs)
        }
    }

    private func checkSuperblocks(nowNs: UInt64) {
        guard let regions = mapped else { return }
        let (pid, activity, mismatch) = regions.check()
        // A pid change (another writer, §15.14) is reported as such before any field mismatch it also causes.
        let actions = state.pointee.coordinator.onSuperblock(pid: pid, activityTimestampNs: activity, nowNs: nowNs)
        if !actions.isEmpty {
            perform(actions, nowNs: nowNs)
            return
        }
        if let mismatch {
            perform(state.pointee.coordinator.onSuperblockMismatch(mismatch, nowNs: nowNs), nowNs: nowNs)
        }
    }
}
