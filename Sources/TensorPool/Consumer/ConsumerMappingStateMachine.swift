/// The consumer's mapping and epoch state machine (spec §15.12, §15.14, §15.21, §15.22) as a pure
/// value producing ``MappingAction``s.
///
/// States: UNMAPPED → MAPPING(E) → MAPPED(E), plus FALLBACK and FAILED. Rules:
///
/// - An announce for another stream is ignored. An announce that breaks v1.1 invariants
///   (layout version, 256-byte slots, `max_dims`, power-of-two `nslots`, pool `nslots` equal to the
///   header's, at least one pool, unique pool ids) is rejected: FALLBACK when a fallback URI is known,
///   else FAILED with a diagnostic. A later announce with a *different* epoch retries.
/// - MAPPED(E) + announce E: refresh (same layout) or, if the layout changed without an epoch bump,
///   drop in-flight, unmap and map again.
/// - MAPPED(E) + announce E2 ≠ E (newer or older: §15.2 treats regression as a remap requirement):
///   drop in-flight, unmap, map E2.
/// - `pid` change in the superblock, stale announces or a stale `activity_timestamp_ns` (no change for
///   `livenessMultiple` announce cadences of local time), or a superblock mismatch: drop in-flight,
///   unmap, and *retire* the epoch: announces of a retired epoch are ignored until a different epoch
///   is announced (§15.14 "unmap and wait for a new epoch"). Because retiring is final, staleness is
///   only judged on evidence gathered while the consumer was running, so a consumer that was itself
///   stalled (descheduled, stopped in a debugger) does not blame a live producer for its own silence:
///   the activity timestamp is stale when two superblock *reads* more than the window apart saw the
///   same value, and announce silence found by one tick is confirmed by a later tick (the duty cycles in
///   between poll whatever announces queued up during a stall).
/// - While MAPPED, announces from another `producer_id` on the stream are ignored and counted
///   (single writer, §15.14); they are considered once liveness has unmapped the current producer.
/// - `seq` regression reported by admission: drop in-flight, unmap; the same epoch may be remapped.
/// - `ConsumerConfig.use_shm = false`: FALLBACK to the message's or the configured fallback URI; if
///   none (or its scheme is not `aeron:` / `bridge://`), FAILED with a diagnostic. `use_shm = true`
///   leaves FALLBACK/FAILED-by-config and waits for the next announce.
public struct ConsumerMappingStateMachine: Sendable {
    /// Static parameters.
    public struct Parameters: Sendable, Hashable {
        /// Stream whose announces are considered.
        public var streamId: UInt32
        /// Required `layout_version`.
        public var expectedLayoutVersion: UInt32
        /// Required `max_dims` (schema `MAX_DIMS`).
        public var expectedMaxDims: UInt8
        /// Producer announce cadence in nanoseconds.
        public var announceCadenceNs: UInt64
        /// Announces / activity silent for more than this many cadences → producer considered dead.
        public var livenessMultiple: UInt32
        /// Fallback URI from configuration, used when SHM is rejected or disabled.
        public var fallbackUri: String?

        /// Parameters for `streamId`; the defaults are the v1.1 and `[consumer]` defaults: layout 1, `max_dims` 8,
        /// a 1 s announce cadence, producer dead after more than 3 silent cadences, no fallback URI.
        public init(streamId: UInt32, expectedLayoutVersion: UInt32 = 1, expectedMaxDims: UInt8 = 8,
                    announceCadenceNs: UInt64 = 1_000_000_000, livenessMultiple: UInt32 = 3,
                    fallbackUri: String? = nil) {
            self.streamId = streamId
            self.expectedLayoutVersion = expectedLayoutVersion
            self.expectedMaxDims = expectedMaxDims
            self.announceCadenceNs = announceCadenceNs
            self.livenessMultiple = livenessMultiple
            self.fallbackUri = fallbackUri
        }

        var livenessWindowNs: UInt64 { LivenessTracker.window(announceCadenceNs, livenessMultiple) }
    }

    /// Counters for diagnostics and QoS.
    public struct Counters: Sendable, Hashable {
        /// Announces dropped without effect: for another stream, for the retired epoch (``retiredEpoch``), or
        /// for the epoch that last failed to map while FAILED or FALLBACK. Announces arriving while
        /// `use_shm=false` and those from a conflicting producer (``producerConflicts``) are not counted here.
        public var announcesIgnored: UInt64 = 0
        /// Valid announces that started mapping an epoch (a ``MappingAction/map(_:)`` was emitted).
        public var mapsRequested: UInt64 = 0
        /// ``mapFailed(epoch:reason:nowNs:)`` calls for the epoch being mapped: the SHM layer could not map or
        /// validate its regions (the consumer then goes to FALLBACK or FAILED).
        public var mapFailures: UInt64 = 0
        /// Announces that would have started mapping but failed validation (bad URI, layout or sizes); the
        /// consumer goes to FALLBACK or FAILED without mapping.
        public var announcesRejected: UInt64 = 0
        /// Times a MAPPING or MAPPED epoch was abandoned with a ``RemapCause``: epoch changed or regressed,
        /// layout changed without a new epoch, `seq` regression, `use_shm=false`, producer pid changed, superblock
        /// mismatch, announces or activity stale. A failed map (``mapFailures``) is not counted here.
        public var remaps: UInt64 = 0
        /// Announces, while MAPPED, of an epoch lower than the mapped one (each also counts in ``remaps``).
        public var epochRegressions: UInt64 = 0
        /// Superblock reads of the mapped epoch whose `pid` differs from the one read before: the epoch is retired
        /// (each also counts in ``remaps``).
        public var pidChanges: UInt64 = 0
        /// Liveness ticks that retired the MAPPING or MAPPED epoch because announces stayed silent for longer
        /// than the liveness window on two ticks, or (MAPPED) the superblock `activity_timestamp_ns` stopped
        /// moving for longer than the window (each also counts in ``remaps``).
        public var staleProducer: UInt64 = 0
        /// Announces, while MAPPING or MAPPED, from another producer id than the current announce's: ignored
        /// (single writer per stream, spec §15.14).
        public var producerConflicts: UInt64 = 0
        /// All zero; the state machine only increments them, for the life of the consumer.
        public init() {}
    }

    /// Static parameters.
    public let parameters: Parameters
    /// Current state.
    public private(set) var state: ConsumerMappingState = .unmapped
    /// Diagnostic counters.
    public private(set) var counters = Counters()
    /// Cause of the last unmap, for status displays.
    public private(set) var lastRemapCause: RemapCause?
    /// Epoch declared dead (pid change, staleness, superblock mismatch); its announces are ignored.
    public private(set) var retiredEpoch: UInt64?
    /// Announce currently mapped (or being mapped).
    public private(set) var currentAnnounce: AnnounceSummary?

    private var failedEpoch: UInt64?
    private var failedByConfig = false
    private var shmDisabled = false
    private var lastAnnounceNs: UInt64 = 0
    private var superblockPid: UInt64?
    private var lastActivityValue: UInt64?
    private var lastActivityChangeNs: UInt64 = 0
    private var lastSuperblockReadNs: UInt64 = 0
    private var announceSilenceSeenNs: UInt64?

    /// Starts UNMAPPED, nothing retired or failed: the first valid announce for ``Parameters/streamId`` starts mapping.
    public init(parameters: Parameters) {
        self.parameters = parameters
    }

    // MARK: events

    /// A `ShmPoolAnnounce` arrived at local time `nowNs`.
    public mutating func onAnnounce(_ announce: AnnounceSummary, nowNs: UInt64) -> [MappingAction] {
        guard announce.streamId == parameters.streamId else {
            counters.announcesIgnored += 1
            return []
        }
        if shmDisabled { return [] }
        if let retired = retiredEpoch {
            if announce.epoch == retired {
                counters.announcesIgnored += 1
                return []
            }
            retiredEpoch = nil
        }
        switch state {
        case .unmapped:
            return startMapping(announce, nowNs: nowNs, prefix: [])
        case .failed, .fallback:
            if let failed = failedEpoch, failed == announce.epoch {
                counters.announcesIgnored += 1
                return []
            }
            let prefix = leavingFallback()
            return startMapping(announce, nowNs: nowNs, prefix: prefix)
        case .mapping(let epoch):
            if isConflictingProducer(announce) { return [] }
            if epoch == announce.epoch {
                lastAnnounceNs = nowNs
                return []
            }
            return startMapping(announce, nowNs: nowNs, prefix: [.dropInFlight, .unmap(.epochChanged)], cause: .epochChanged)
        case .mapped(let epoch):
            if isConflictingProducer(announce) { return [] }
            if epoch == announce.epoch {
                lastAnnounceNs = nowNs
                if let current = currentAnnounce, !current.sameLayout(as: announce) {
                    return startMapping(announce, nowNs: nowNs,
                                        prefix: [.dropInFlight, .unmap(.layoutChangedWithoutEpoch)],
                                        cause: .layoutChangedWithoutEpoch)
                }
                currentAnnounce = announce
                return [.refresh(announce)]
            }
            let cause: RemapCause = announce.epoch < epoch ? .epochRegression : .epochChanged
            if cause == .epochRegression { counters.epochRegressions += 1 }
            return startMapping(announce, nowNs: nowNs, prefix: [.dropInFlight, .unmap(cause)], cause: cause)
        }
    }

    /// `announce`, equal to the one already applied, arrived again while MAPPED: refreshes announce liveness
    /// exactly as ``onAnnounce(_:nowNs:)`` does in that case, without building an action list (this is the
    /// steady state at the announce cadence, on the duty cycle). `false` when ``onAnnounce(_:nowNs:)`` must run.
    public mutating func onRepeatedAnnounce(_ announce: AnnounceSummary, nowNs: UInt64) -> Bool {
        guard !shmDisabled, retiredEpoch == nil, case .mapped(let epoch) = state, epoch == announce.epoch,
              announce.streamId == parameters.streamId, let current = currentAnnounce, current == announce else {
            return false
        }
        lastAnnounceNs = nowNs
        return true
    }

    /// The SHM layer mapped and validated the regions of `epoch`.
    public mutating func mapSucceeded(epoch: UInt64, nowNs: UInt64) -> [MappingAction] {
        guard case .mapping(let pending) = state, pending == epoch else { return [] }
        state = .mapped(epoch: epoch)
        lastAnnounceNs = nowNs
        superblockPid = nil
        lastActivityValue = nil
        lastActivityChangeNs = nowNs
        lastSuperblockReadNs = nowNs
        announceSilenceSeenNs = nil
        return []
    }

    /// The SHM layer could not map or validate the regions of `epoch` (URI rejected, superblock
    /// mismatch, hugepages unavailable...). Regions are never partially consumed (§15.22).
    public mutating func mapFailed(epoch: UInt64, reason: String, nowNs: UInt64) -> [MappingAction] {
        guard case .mapping(let pending) = state, pending == epoch else { return [] }
        counters.mapFailures += 1
        return reject(epoch: epoch, diagnostic: "mapping epoch \(epoch) failed: \(reason)", unmapFirst: true)
    }

    /// The SHM layer read the superblock of a mapped region (at announce cadence).
    public mutating func onSuperblock(pid: UInt64, activityTimestampNs: UInt64, nowNs: UInt64) -> [MappingAction] {
        guard case .mapped(let epoch) = state else { return [] }
        if let known = superblockPid, known != pid {
            counters.pidChanges += 1
            return retire(epoch: epoch, cause: .pidChanged)
        }
        superblockPid = pid
        if lastActivityValue != activityTimestampNs {
            lastActivityValue = activityTimestampNs
            lastActivityChangeNs = nowNs
        }
        lastSuperblockReadNs = max(lastSuperblockReadNs, nowNs)
        return []
    }

    /// The SHM layer found a mapped superblock inconsistent with the announce (§15.1).
    public mutating func onSuperblockMismatch(_ detail: String, nowNs: UInt64) -> [MappingAction] {
        guard case .mapped(let epoch) = state else { return [] }
        return retire(epoch: epoch, cause: .superblockMismatch(detail))
    }

    /// Admission reported a `seq` regression: unmap; the next announce (even the same epoch) remaps.
    public mutating func slotValidationRequiresRemap(nowNs: UInt64) -> [MappingAction] {
        switch state {
        case .mapped, .mapping:
            counters.remaps += 1
            lastRemapCause = .seqRegression
            state = .unmapped
            currentAnnounce = nil
            return [.dropInFlight, .unmap(.seqRegression)]
        default:
            return []
        }
    }

    /// A `ConsumerConfig` for this consumer arrived.
    public mutating func onConsumerConfig(useShm: Bool, fallbackUri: String?, nowNs: UInt64) -> [MappingAction] {
        if useShm {
            guard shmDisabled else { return [] }
            shmDisabled = false
            failedByConfig = false
            failedEpoch = nil
            let wasFallback: Bool
            if case .fallback = state { wasFallback = true } else { wasFallback = false }
            state = .unmapped
            return wasFallback ? [.leaveFallback] : []
        }
        shmDisabled = true
        var actions: [MappingAction] = []
        switch state {
        case .mapped, .mapping:
            counters.remaps += 1
            lastRemapCause = .shmDisabled
            actions = [.dropInFlight, .unmap(.shmDisabled)]
        default:
            break
        }
        currentAnnounce = nil
        let uri = Self.nonEmpty(fallbackUri) ?? Self.nonEmpty(parameters.fallbackUri)
        if let uri, Self.isSupportedFallback(uri) {
            if state == .fallback(uri: uri) { return actions }
            state = .fallback(uri: uri)
            actions.append(.switchToFallback(uri: uri))
        } else {
            let diagnostic = uri.map { "use_shm=false but payload_fallback_uri '\($0)' has an unsupported scheme (expected aeron: or bridge://)" }
                ?? "use_shm=false but no payload_fallback_uri is configured"
            failedByConfig = true
            state = .failed(diagnostic: diagnostic)
            actions.append(.fail(diagnostic: diagnostic))
        }
        return actions
    }

    /// Periodic liveness check (duty cycle, at least at announce cadence).
    public mutating func tick(nowNs: UInt64) -> [MappingAction] {
        let window = parameters.livenessWindowNs
        switch state {
        case .mapped(let epoch):
            if announcesConfirmedSilent(nowNs: nowNs, window: window) {
                counters.staleProducer += 1
                return retire(epoch: epoch, cause: .announceStale)
            }
            if lastActivityValue != nil && lastSuperblockReadNs > lastActivityChangeNs
                && lastSuperblockReadNs - lastActivityChangeNs > window {
                counters.staleProducer += 1
                return retire(epoch: epoch, cause: .activityStale)
            }
            return []
        case .mapping(let epoch):
            if announcesConfirmedSilent(nowNs: nowNs, window: window) {
                counters.staleProducer += 1
                return retire(epoch: epoch, cause: .announceStale)
            }
            return []
        default:
            return []
        }
    }

    // MARK: private

    /// `true` when this tick and an earlier one both found no announce for longer than the window.
    private mutating func announcesConfirmedSilent(nowNs: UInt64, window: UInt64) -> Bool {
        guard nowNs > lastAnnounceNs, nowNs - lastAnnounceNs > window else {
            announceSilenceSeenNs = nil
            return false
        }
        guard let seen = announceSilenceSeenNs, seen > lastAnnounceNs, nowNs > seen else {
            announceSilenceSeenNs = nowNs
            return false
        }
        return true
    }

    private mutating func startMapping(_ announce: AnnounceSummary, nowNs: UInt64, prefix: [MappingAction],
                                       cause: RemapCause? = nil) -> [MappingAction] {
        if let cause {
            counters.remaps += 1
            lastRemapCause = cause
        }
        failedEpoch = nil
        if let problem = validate(announce) {
            counters.announcesRejected += 1
            state = .unmapped
            currentAnnounce = nil
            return prefix + reject(epoch: announce.epoch, diagnostic: "announce epoch \(announce.epoch) rejected: \(problem)", unmapFirst: false)
        }
        counters.mapsRequested += 1
        state = .mapping(epoch: announce.epoch)
        currentAnnounce = announce
        lastAnnounceNs = nowNs
        return prefix + [.map(announce)]
    }

    private mutating func reject(epoch: UInt64, diagnostic: String, unmapFirst: Bool) -> [MappingAction] {
        failedEpoch = epoch
        currentAnnounce = nil
        var actions: [MappingAction] = unmapFirst ? [.unmap(.superblockMismatch(diagnostic))] : []
        if let uri = Self.nonEmpty(parameters.fallbackUri), Self.isSupportedFallback(uri) {
            state = .fallback(uri: uri)
            actions.append(.switchToFallback(uri: uri))
        } else {
            state = .failed(diagnostic: diagnostic)
            actions.append(.fail(diagnostic: diagnostic))
        }
        return actions
    }

    private mutating func retire(epoch: UInt64, cause: RemapCause) -> [MappingAction] {
        retiredEpoch = epoch
        counters.remaps += 1
        lastRemapCause = cause
        state = .unmapped
        currentAnnounce = nil
        return [.dropInFlight, .unmap(cause)]
    }

    /// Single writer per stream (§15.14): another producer must not make us flip-flop between them.
    /// If ours is really gone, liveness unmaps first and the other one is then accepted.
    private mutating func isConflictingProducer(_ announce: AnnounceSummary) -> Bool {
        guard let current = currentAnnounce, current.producerId != announce.producerId else { return false }
        counters.producerConflicts += 1
        return true
    }

    private mutating func leavingFallback() -> [MappingAction] {
        if case .fallback = state { return [.leaveFallback] }
        return []
    }

    /// v1.1 announce invariants, or `nil` when the announce is usable.
    func validate(_ a: AnnounceSummary) -> String? {
        if a.layoutVersion != parameters.expectedLayoutVersion {
            return "layout_version \(a.layoutVersion) != expected \(parameters.expectedLayoutVersion)"
        }
        if a.headerSlotBytes != 256 { return "header_slot_bytes \(a.headerSlotBytes) != 256" }
        if a.maxDims != parameters.expectedMaxDims {
            return "max_dims \(a.maxDims) != expected \(parameters.expectedMaxDims)"
        }
        if a.headerNslots == 0 || a.headerNslots & (a.headerNslots - 1) != 0 {
            return "header_nslots \(a.headerNslots) is not a power of two"
        }
        if a.pools.isEmpty { return "no payload pools announced" }
        for (i, pool) in a.pools.enumerated() {
            if pool.nslots != a.headerNslots {
                return "pool \(pool.poolId) nslots \(pool.nslots) != header_nslots \(a.headerNslots)"
            }
            if pool.strideBytes == 0 || pool.strideBytes & (pool.strideBytes - 1) != 0 {
                return "pool \(pool.poolId) stride_bytes \(pool.strideBytes) is not a power of two"
            }
            if a.pools[..<i].contains(where: { $0.poolId == pool.poolId }) {
                return "duplicate pool_id \(pool.poolId)"
            }
        }
        return nil
    }

    private static func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        return s
    }

    /// Fallback URIs must be Aeron channels or `bridge://` ids (§10.1.3); anything else is unsupported.
    static func isSupportedFallback(_ uri: String) -> Bool {
        uri.hasPrefix("aeron:") || uri.hasPrefix("bridge://")
    }
}
