/// Consumer frame admission: decides, per descriptor, whether to read the slot, and counts drops.
///
/// A pure, allocation-free state machine driven with explicit `nowNs` values (spec §11, §15.2,
/// §15.4, §15.19, §15.21). The duty cycle uses it like this:
///
/// ```swift
/// for descriptor in polledBatch {          // one Aeron poll
///     switch admission.offer(descriptor, nowNs: now) {
///     case .read: admission.recordRead(seq: descriptor.seq, outcome: shmRead(descriptor), nowNs: now)
///     case .held, .drop: break
///     case .remapRequired: mapping.slotValidationRequiresRemap()
///     }
/// }
/// if let latest = admission.takeLatest(nowNs: now) { admission.recordRead(seq: latest.seq, outcome: shmRead(latest), nowNs: now) }
/// ```
///
/// Checks applied to every descriptor, in order: regions mapped, epoch equal to the mapped epoch,
/// `header_index` in range and equal to `seq & (nslots - 1)`, sequence tracking (duplicate → drop,
/// regression → remap, gap → `dropsGap += seq - last - 1`), resync, then the mode:
///
/// - **STREAM**: read every descriptor.
/// - **LATEST**: descriptors of one poll are coalesced; only the newest is read (at
///   ``takeLatest(nowNs:)``); each replaced one is counted as ``DropReason/latestSuperseded``. This is a
///   policy skip, not a loss: it does not enter `drops_gap` (which counts sequence numbers that never
///   arrived) nor `drops_late`.
/// - **DECIMATED**: after a delivered frame `s`, skip until `seq >= s + decimation` (by sequence, so
///   gaps do not shift the cadence and a failed read does not cost N frames); skipped frames are
///   ``DropReason/decimated``.
/// - `max_rate_hz` (all modes): at most one delivery per `1e9 / max_rate_hz` ns. In LATEST mode the
///   pending frame is kept until the rate allows it (and superseded by newer ones meanwhile).
///
/// **Resync** (`max_outstanding_seq_gap`, §15.4): the consumer tracks the newest sequence number it
/// knows the producer has reached (newest descriptor seen, or `QosProducer.current_seq` through
/// ``observeProducerSeq(_:)``). A descriptor more than `max_outstanding_seq_gap` behind it is dropped as
/// ``DropReason/resync`` (its slot has most likely been overwritten); a descriptor arriving after a gap
/// larger than the limit means the consumer already jumped to the latest. Each resync episode
/// increments ``ConsumerFrameCounters/resyncs`` once and raises a flag for the next QoS report
/// (``takeResyncReport()``).
public struct FrameAdmission: Sendable {
    /// Cumulative counters (survive remaps).
    public private(set) var counters = ConsumerFrameCounters()
    /// Current frame-selection settings.
    public private(set) var settings: ConsumerModeSettings

    /// Mapped epoch, or `nil` when UNMAPPED.
    public private(set) var mappedEpoch: UInt64?
    private var headerNslots: UInt32 = 0
    private var indexMask: UInt64 = 0

    /// Newest descriptor sequence number seen in this epoch (QoS `last_seq_seen`), `nil` before the first.
    public private(set) var lastSeqSeen: UInt64?
    /// Newest sequence number the producer is known to have reached in this epoch.
    public private(set) var producerSeqHighWater: UInt64?

    private var lastDeliveredSeq: UInt64?
    private var lastDeliveredNs: UInt64?
    /// The held LATEST (or rate-limited) descriptor; internal so that the duty cycle's "anything held?" check
    /// inlines into the spinning caller instead of costing a call per idle cycle.
    @usableFromInline private(set) var pending: FrameDescriptorValue?
    private var inResync = false
    private var resyncReportPending = false

    /// Creates an UNMAPPED admission with `settings` (an invalid decimation is raised to 1).
    public init(settings: ConsumerModeSettings = ConsumerModeSettings()) {
        var s = settings
        if s.decimation == 0 { s.decimation = 1 }
        self.settings = s
    }

    // MARK: mapping

    /// Regions mapped for `epoch` with a ring of `headerNslots` (a power of two): sequence tracking restarts.
    public mutating func mapped(epoch: UInt64, headerNslots: UInt32) {
        discardPending()
        mappedEpoch = epoch
        self.headerNslots = headerNslots
        indexMask = headerNslots == 0 ? 0 : UInt64(headerNslots) - 1
        resetSequenceTracking()
    }

    /// Regions unmapped: the pending frame is dropped (``DropReason/inFlightDiscarded``) and nothing is
    /// admitted until ``mapped(epoch:headerNslots:)``.
    public mutating func unmapped() {
        discardPending()
        mappedEpoch = nil
        headerNslots = 0
        indexMask = 0
        resetSequenceTracking()
    }

    // MARK: settings

    /// Applies new settings at runtime (e.g. from `ConsumerConfig`).
    ///
    /// A held LATEST frame stays pending and is still returned by ``takeLatest(nowNs:)`` after a
    /// switch to another mode, so no frame is lost by the switch. The decimation anchor restarts at
    /// the next delivered frame. Returns the reason when the settings are invalid (then nothing changes).
    @discardableResult
    public mutating func apply(_ newSettings: ConsumerModeSettings) -> String? {
        if let error = newSettings.validationError { return error }
        if newSettings.mode != settings.mode || newSettings.decimation != settings.decimation {
            lastDeliveredSeq = nil
        }
        settings = newSettings
        return nil
    }

    // MARK: hot path

    /// Decides what to do with one descriptor. Allocation-free.
    @inlinable
    public mutating func offer(_ descriptor: FrameDescriptorValue, nowNs: UInt64) -> AdmissionDecision {
        offerDescriptor(descriptor, nowNs: nowNs)
    }

    @usableFromInline
    mutating func offerDescriptor(_ descriptor: FrameDescriptorValue, nowNs: UInt64) -> AdmissionDecision {
        counters.descriptorsSeen &+= 1
        guard let epoch = mappedEpoch else { return drop(.unmapped) }
        if descriptor.epoch != epoch { return drop(.epochMismatch) }
        if descriptor.headerIndex >= headerNslots { return drop(.headerIndexOutOfRange) }
        if UInt64(descriptor.headerIndex) != descriptor.seq & indexMask { return drop(.headerIndexMismatch) }

        let seq = descriptor.seq
        if let last = lastSeqSeen {
            if seq == last { return drop(.duplicate) }
            if seq < last {
                counters.seqRegressions &+= 1
                return .remapRequired
            }
            let gap = seq - last - 1
            if gap > 0 {
                counters.dropsGap &+= gap
                if settings.maxOutstandingSeqGap > 0 && gap > settings.maxOutstandingSeqGap {
                    beginResyncEpisode()
                }
            }
        }
        lastSeqSeen = seq
        if producerSeqHighWater.map({ seq > $0 }) ?? true { producerSeqHighWater = seq }

        if let high = producerSeqHighWater, settings.maxOutstandingSeqGap > 0,
           high - seq > settings.maxOutstandingSeqGap {
            beginResyncEpisode()
            return drop(.resync)
        }
        inResync = false

        switch settings.mode {
        case .latest:
            if pending != nil { counters.count(.latestSuperseded) }
            pending = descriptor
            return .held
        case .decimated:
            if let delivered = lastDeliveredSeq {
                let (next, overflow) = delivered.addingReportingOverflow(UInt64(settings.decimation))
                if !overflow && seq < next { return drop(.decimated) }
            }
            return rateAllows(nowNs) ? .read : drop(.rateLimited)
        case .stream:
            return rateAllows(nowNs) ? .read : drop(.rateLimited)
        }
    }

    /// End of a poll: returns the held LATEST descriptor to read now, if any and if the rate allows.
    ///
    /// When the rate limit forbids a read, the descriptor stays pending (and may be superseded).
    @inlinable
    public mutating func takeLatest(nowNs: UInt64) -> FrameDescriptorValue? {
        takePending(nowNs: nowNs)
    }

    @usableFromInline
    mutating func takePending(nowNs: UInt64) -> FrameDescriptorValue? {
        guard let held = pending, rateAllows(nowNs) else { return nil }
        pending = nil
        return held
    }

    /// `true` while a LATEST descriptor is held.
    @inlinable public var hasPending: Bool { pending != nil }

    /// Reports the result of the seqlock read of a descriptor returned as `.read` or by ``takeLatest(nowNs:)``.
    @inlinable
    public mutating func recordRead(seq: UInt64, outcome: SlotReadOutcome, nowNs: UInt64) {
        recordReadOutcome(seq: seq, outcome: outcome, nowNs: nowNs)
    }

    @usableFromInline
    mutating func recordReadOutcome(seq: UInt64, outcome: SlotReadOutcome, nowNs: UInt64) {
        switch outcome {
        case .accepted:
            counters.framesDelivered &+= 1
            lastDeliveredSeq = seq
            lastDeliveredNs = nowNs
        case .dropped(let reason):
            counters.count(reason)
        }
    }

    /// Whether `FrameProgress` for `frameId` is worth following (spec §11): `false` for frames this
    /// consumer will skip by decimation, for other epochs and when unmapped; `true` otherwise.
    public func wantsProgress(epoch: UInt64, frameId: UInt64) -> Bool {
        guard let mapped = mappedEpoch, mapped == epoch else { return false }
        guard settings.mode == .decimated, let delivered = lastDeliveredSeq else { return true }
        let (next, overflow) = delivered.addingReportingOverflow(UInt64(settings.decimation))
        return overflow || frameId >= next
    }

    /// Tells admission the producer reached `seq`, raising the high-water mark the resync check compares
    /// descriptors against; ignored while unmapped. Fed only from `QosProducer.current_seq` of the mapped epoch
    /// (``ConsumerCoordinator/onProducerSeq(epoch:currentSeq:)``); `FrameProgress` does not feed it.
    public mutating func observeProducerSeq(_ seq: UInt64) {
        guard mappedEpoch != nil else { return }
        if producerSeqHighWater.map({ seq > $0 }) ?? true { producerSeqHighWater = seq }
    }

    /// Returns `true` once after each resync episode, for the next `QosConsumer` report.
    public mutating func takeResyncReport() -> Bool {
        defer { resyncReportPending = false }
        return resyncReportPending
    }

    // MARK: private

    @usableFromInline
    mutating func drop(_ reason: DropReason) -> AdmissionDecision {
        counters.count(reason)
        return .drop(reason)
    }

    @usableFromInline
    func rateAllows(_ nowNs: UInt64) -> Bool {
        let interval = settings.minDeliveryIntervalNs
        guard interval > 0, let last = lastDeliveredNs else { return true }
        return nowNs < last || nowNs - last >= interval
    }

    @usableFromInline
    mutating func beginResyncEpisode() {
        if !inResync {
            inResync = true
            counters.resyncs &+= 1
            resyncReportPending = true
        }
    }

    private mutating func discardPending() {
        if pending != nil {
            counters.count(.inFlightDiscarded)
            pending = nil
        }
    }

    private mutating func resetSequenceTracking() {
        lastSeqSeen = nil
        producerSeqHighWater = nil
        lastDeliveredSeq = nil
        inResync = false
    }
}
