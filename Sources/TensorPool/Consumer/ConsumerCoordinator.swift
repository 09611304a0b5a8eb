/// Ties a consumer's mapping state machine and frame admission together so their states cannot
/// drift apart: every unmap resets admission, every successful map arms it for the new epoch and
/// ring size, `ConsumerConfig` updates both, and a `seq` regression found by admission unmaps. Pure
/// value; the caller performs the returned ``MappingAction``s (mapping regions with a fresh
/// `TensorPoolCore.SeqlockReader`, switching to a fallback) and the seqlock reads.
///
/// Hot path: ``offer(_:nowNs:)`` / ``takeLatest(nowNs:)``, the seqlock read, then
/// ``recordRead(_:outcome:nowNs:)`` (``SlotReadOutcome`` converts from `FrameReadResult`).
public struct ConsumerCoordinator: Sendable {
    /// Stream consumed.
    public let streamId: UInt32
    /// Id used in hello, QoS and to filter `ConsumerConfig`.
    public let consumerId: UInt32
    /// Mapping and epoch state.
    public private(set) var mapping: ConsumerMappingStateMachine
    /// Frame admission and counters (also driven by the consumer's FALLBACK path, `TensorPoolConsumer+Fallback`).
    public internal(set) var admission: FrameAdmission
    /// `ConsumerConfig` messages rejected (invalid settings).
    public private(set) var rejectedConfigs: UInt64 = 0
    /// Reason of the last rejected `ConsumerConfig`.
    public private(set) var lastConfigRejection: String?

    /// A coordinator in UNMAPPED for `mappingParameters.streamId`, admitting frames with `settings` (an invalid
    /// decimation is raised to 1); nothing is mapped until ``onAnnounce(_:nowNs:)``.
    public init(consumerId: UInt32, mappingParameters: ConsumerMappingStateMachine.Parameters, settings: ConsumerModeSettings) {
        streamId = mappingParameters.streamId
        self.consumerId = consumerId
        mapping = ConsumerMappingStateMachine(parameters: mappingParameters)
        admission = FrameAdmission(settings: settings)
    }

    /// Builds a coordinator from the `[consumer]` section and the consumer id in use.
    public init(configuration: ConsumerConfiguration, consumerId: UInt32) {
        self.init(consumerId: consumerId, mappingParameters: configuration.mappingParameters, settings: configuration.modeSettings)
    }

    // MARK: control plane

    /// Applies the configured `use_shm` at startup: with `false`, switches to the configured fallback
    /// (or fails with a diagnostic) before any announce is considered.
    public mutating func start(useShm: Bool, nowNs: UInt64) -> [MappingAction] {
        guard !useShm else { return [] }
        return follow(mapping.onConsumerConfig(useShm: false, fallbackUri: nil, nowNs: nowNs))
    }

    /// `ShmPoolAnnounce` arrived.
    public mutating func onAnnounce(_ announce: AnnounceSummary, nowNs: UInt64) -> [MappingAction] {
        follow(mapping.onAnnounce(announce, nowNs: nowNs))
    }

    /// The announce already applied arrived again while mapped: liveness refreshed, `true`; `false` when
    /// ``onAnnounce(_:nowNs:)`` must run (see ``ConsumerMappingStateMachine/onRepeatedAnnounce(_:nowNs:)``).
    public mutating func onRepeatedAnnounce(_ announce: AnnounceSummary, nowNs: UInt64) -> Bool {
        mapping.onRepeatedAnnounce(announce, nowNs: nowNs)
    }

    /// The SHM layer mapped and validated the regions of `epoch`.
    public mutating func mapSucceeded(epoch: UInt64, nowNs: UInt64) -> [MappingAction] {
        let actions = mapping.mapSucceeded(epoch: epoch, nowNs: nowNs)
        if case .mapped(let mapped) = mapping.state, mapped == epoch, let announce = mapping.currentAnnounce {
            admission.mapped(epoch: epoch, headerNslots: announce.headerNslots)
        }
        return follow(actions)
    }

    /// The SHM layer failed to map `epoch`.
    public mutating func mapFailed(epoch: UInt64, reason: String, nowNs: UInt64) -> [MappingAction] {
        follow(mapping.mapFailed(epoch: epoch, reason: reason, nowNs: nowNs))
    }

    /// Superblock `pid` / `activity_timestamp_ns` read.
    public mutating func onSuperblock(pid: UInt64, activityTimestampNs: UInt64, nowNs: UInt64) -> [MappingAction] {
        follow(mapping.onSuperblock(pid: pid, activityTimestampNs: activityTimestampNs, nowNs: nowNs))
    }

    /// Superblock inconsistent with the announce.
    public mutating func onSuperblockMismatch(_ detail: String, nowNs: UInt64) -> [MappingAction] {
        follow(mapping.onSuperblockMismatch(detail, nowNs: nowNs))
    }

    /// `QosProducer.current_seq` for this stream and the mapped epoch.
    public mutating func onProducerSeq(epoch: UInt64, currentSeq: UInt64) {
        guard admission.mappedEpoch == epoch else { return }
        admission.observeProducerSeq(currentSeq)
    }

    /// `ConsumerConfig` arrived; ignored unless addressed to this stream and consumer.
    public mutating func onConsumerConfig(_ command: ConsumerConfigCommand, nowNs: UInt64) -> [MappingAction] {
        guard command.streamId == streamId, command.consumerId == consumerId else { return [] }
        if let error = admission.apply(admission.settings.applying(command)) {
            rejectedConfigs += 1
            lastConfigRejection = error
            return []
        }
        return follow(mapping.onConsumerConfig(useShm: command.useShm, fallbackUri: command.payloadFallbackUri, nowNs: nowNs))
    }

    /// Periodic liveness check.
    public mutating func tick(nowNs: UInt64) -> [MappingAction] {
        follow(mapping.tick(nowNs: nowNs))
    }

    // MARK: hot path

    /// Admission of one descriptor; a `seq` regression unmaps here and returns `.remapRequired`
    /// (the caller then performs the unmap returned by ``takeRemapActions()``).
    public mutating func offer(_ descriptor: FrameDescriptorValue, nowNs: UInt64) -> AdmissionDecision {
        let decision = admission.offer(descriptor, nowNs: nowNs)
        if case .remapRequired = decision { noteRemapRequired(nowNs: nowNs) }
        return decision
    }

    /// End of poll: the LATEST descriptor to read, if any.
    public mutating func takeLatest(nowNs: UInt64) -> FrameDescriptorValue? {
        admission.takeLatest(nowNs: nowNs)
    }

    /// Records a read judged by the SHM layer itself (TensorPoolCore's `SeqlockReader`, which does the
    /// commit-word checks), keeping delivery/drop accounting and the rate/decimation anchors in admission.
    public mutating func recordRead(_ descriptor: FrameDescriptorValue, outcome: SlotReadOutcome, nowNs: UInt64) {
        admission.recordRead(seq: descriptor.seq, outcome: outcome, nowNs: nowNs)
    }

    /// Unmap actions caused by a `seq` regression seen in ``offer(_:nowNs:)``; empty when none.
    public private(set) var pendingRemapActions: [MappingAction] = []

    /// Returns and clears ``pendingRemapActions``.
    public mutating func takeRemapActions() -> [MappingAction] {
        defer { pendingRemapActions = [] }
        return pendingRemapActions
    }

    private mutating func noteRemapRequired(nowNs: UInt64) {
        pendingRemapActions += follow(mapping.slotValidationRequiresRemap(nowNs: nowNs))
    }

    // MARK: QoS

    /// The `QosConsumer` report for now; `resyncReported` is `true` once per resync episode.
    public mutating func qosReport() -> (report: QosConsumerReport, resyncReported: Bool) {
        let report = QosConsumerReport(
            streamId: streamId, consumerId: consumerId, epoch: admission.mappedEpoch ?? 0,
            lastSeqSeen: admission.lastSeqSeen ?? 0, dropsGap: admission.counters.dropsGap,
            dropsLate: admission.counters.dropsLate, mode: admission.settings.mode)
        return (report, admission.takeResyncReport())
    }

    /// The `ConsumerHello` hint of this consumer (capabilities from configuration).
    public func hello(configuration: ConsumerConfiguration) -> ConsumerHint {
        ConsumerHint(streamId: streamId, consumerId: consumerId, supportsShm: configuration.useShm,
                     supportsProgress: configuration.supportsProgress, mode: admission.settings.mode,
                     maxRateHz: admission.settings.maxRateHz, expectedLayoutVersion: configuration.expectedLayoutVersion,
                     progressIntervalUs: configuration.progressIntervalUs, progressBytesDelta: configuration.progressBytesDelta,
                     progressRowsDelta: configuration.progressRowsDelta)
    }

    // MARK: private

    /// Keeps admission in step with unmaps and returns the actions unchanged.
    private mutating func follow(_ actions: [MappingAction]) -> [MappingAction] {
        for action in actions {
            if case .unmap = action { admission.unmapped() }
            if case .switchToFallback = action { admission.unmapped() }
        }
        return actions
    }
}
