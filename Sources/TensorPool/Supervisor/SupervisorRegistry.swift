/// Supervisor registry of producers and consumers (spec §10.5, §15.14, §15.16).
///
/// Producers are keyed by `(stream_id, producer_id)`, consumers by `(stream_id, consumer_id)`.
/// Liveness: a producer's control-plane liveness comes from its newest `ShmPoolAnnounce`,
/// `DataSourceAnnounce`, `QosProducer` or `Heartbeat`; once the supervisor reports superblock
/// `activity_timestamp_ns` values (``onActivityTimestamp(_:activityTimestampNs:nowNs:)``) the producer is
/// also judged by the local time at which that value last *changed*, and its state is the worse of
/// the two (a process that still announces but no longer refreshes its SHM is not healthy). Consumers
/// are judged by their newest `ConsumerHello` or `QosConsumer`. LIVE → STALE after `staleMultiple`
/// cadences → EXPIRED after `expiredMultiple`. Consumer id collisions follow ``ConsumerIdentityGuard``;
/// drop-rate policy follows ``DropRatePolicy`` and yields ``ConsumerConfigCommand`` values.
public final class SupervisorRegistry {
    /// Registry parameters.
    public struct Parameters: Sendable, Hashable {
        /// Expected producer announce/heartbeat cadence.
        public var announceCadenceNs: UInt64
        /// Expected consumer QoS/hello cadence.
        public var qosCadenceNs: UInt64
        /// Cadences of silence before STALE.
        public var staleMultiple: UInt32
        /// Cadences of silence before EXPIRED.
        public var expiredMultiple: UInt32
        /// Drop-rate policy.
        public var policy: DropRatePolicy

        /// The spec §15.11/§15.14 defaults: 1 s announce and QoS cadences, STALE after 3 silent cadences, EXPIRED after
        /// 10, and the default ``DropRatePolicy``. `expiredMultiple` should exceed `staleMultiple` (the configuration
        /// loader enforces it).
        public init(announceCadenceNs: UInt64 = 1_000_000_000, qosCadenceNs: UInt64 = 1_000_000_000,
                    staleMultiple: UInt32 = 3, expiredMultiple: UInt32 = 10, policy: DropRatePolicy = DropRatePolicy()) {
            self.announceCadenceNs = announceCadenceNs
            self.qosCadenceNs = qosCadenceNs
            self.staleMultiple = staleMultiple
            self.expiredMultiple = expiredMultiple
            self.policy = policy
        }
    }

    /// What the registry knows about a producer.
    public struct ProducerRecord: Sendable, Hashable {
        /// Registry key.
        public let key: ProducerKey
        /// Latest epoch seen.
        public var epoch: UInt64
        /// Epoch changes seen (restarts).
        public var epochChanges: UInt64 = 0
        /// Epoch changes to a lower value.
        public var epochRegressions: UInt64 = 0
        /// `QosProducer.current_seq` in the current epoch.
        public var currentSeq: UInt64?
        /// Control-plane liveness (announce, heartbeat, QoS).
        public var control: LivenessTracker
        /// Liveness of the superblock activity timestamp (time it last changed).
        public var activity: LivenessTracker
        /// Last activity timestamp value read.
        public var lastActivityTimestampNs: UInt64?
        /// Announces received.
        public var announces: UInt64 = 0
        /// Heartbeats received.
        public var heartbeats: UInt64 = 0
        /// State as of the last ``SupervisorRegistry/sweep(nowNs:)`` (transitions are reported there).
        public var state: LivenessState = .live

        /// Worse of control-plane and (when observed) activity liveness.
        public func liveness(nowNs: UInt64) -> LivenessState {
            let controlState = control.state(nowNs: nowNs)
            guard lastActivityTimestampNs != nil else { return controlState }
            return max(controlState, activity.state(nowNs: nowNs))
        }
    }

    /// What the registry knows about a consumer.
    public struct ConsumerRecord: Sendable, Hashable {
        /// Registry key.
        public let key: ConsumerKey
        /// Hello/QoS liveness.
        public var liveness: LivenessTracker
        /// Id collision guard.
        public var identity: ConsumerIdentityGuard
        /// Last hello.
        public var hint: ConsumerHint?
        /// Last accepted QoS report.
        public var lastReport: QosConsumerReport?
        /// Windowed QoS rates.
        public var window: ConsumerQosWindow
        /// Last `ConsumerConfig` decided for it.
        public var commanded: ConsumerConfigCommand?
        /// When that command was decided.
        public var commandedAtNs: UInt64?
        /// Set while the drop-rate policy keeps the consumer out of STREAM.
        public var demotion: ConsumerDemotion?
        /// State as of the last ``SupervisorRegistry/sweep(nowNs:)`` (transitions are reported there).
        public var state: LivenessState = .live

        /// A restarted consumer starts over: no window, no command, no demotion.
        mutating func forgetPolicyState() {
            window.reset()
            commanded = nil
            commandedAtNs = nil
            demotion = nil
        }
    }

    /// A change of liveness state found by ``sweep(nowNs:)``.
    public enum Transition: Sendable, Hashable {
        /// Producer `key` moved between liveness states (e.g. LIVE → STALE); the supervisor logs it and unmaps the
        /// producer's header ring on EXPIRED.
        case producer(ProducerKey, from: LivenessState, to: LivenessState)
        /// Consumer `key` moved between liveness states; logged, and it changes the live population counters.
        case consumer(ConsumerKey, from: LivenessState, to: LivenessState)
    }

    /// Registry parameters.
    public let parameters: Parameters
    /// Producers by key.
    public private(set) var producers: [ProducerKey: ProducerRecord] = [:]
    /// Consumers by key.
    public private(set) var consumers: [ConsumerKey: ConsumerRecord] = [:]
    private var pendingCommands: [ConsumerConfigCommand] = []

    /// An empty registry using `parameters`; it fills from the messages the supervisor agent feeds it.
    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    // MARK: producer signals

    /// `ShmPoolAnnounce` or `DataSourceAnnounce`.
    public func onAnnounce(_ key: ProducerKey, epoch: UInt64, nowNs: UInt64) {
        updateProducer(key, epoch: epoch, nowNs: nowNs) { $0.announces += 1 }
    }

    /// Control-plane `Heartbeat`.
    public func onHeartbeat(_ key: ProducerKey, epoch: UInt64, nowNs: UInt64) {
        updateProducer(key, epoch: epoch, nowNs: nowNs) { $0.heartbeats += 1 }
    }

    /// `QosProducer`.
    public func onQosProducer(_ key: ProducerKey, epoch: UInt64, currentSeq: UInt64, nowNs: UInt64) {
        updateProducer(key, epoch: epoch, nowNs: nowNs) { $0.currentSeq = currentSeq }
    }

    /// Superblock `activity_timestamp_ns` read by the supervisor (of a known producer).
    public func onActivityTimestamp(_ key: ProducerKey, activityTimestampNs: UInt64, nowNs: UInt64) {
        guard var record = producers[key] else { return }
        if record.lastActivityTimestampNs != activityTimestampNs {
            record.lastActivityTimestampNs = activityTimestampNs
            record.activity.observe(nowNs: nowNs)
        }
        producers[key] = record
    }

    private func updateProducer(_ key: ProducerKey, epoch: UInt64, nowNs: UInt64,
                                _ update: (inout ProducerRecord) -> Void) {
        var record = producers[key] ?? ProducerRecord(
            key: key, epoch: epoch,
            control: tracker(parameters.announceCadenceNs), activity: tracker(parameters.announceCadenceNs))
        if epoch != record.epoch {
            if epoch < record.epoch { record.epochRegressions += 1 }
            record.epochChanges += 1
            record.epoch = epoch
            record.currentSeq = nil
            record.lastActivityTimestampNs = nil
            record.activity.reset()
        }
        record.control.observe(nowNs: nowNs)
        update(&record)
        producers[key] = record
    }

    // MARK: consumer signals

    /// `ConsumerHello` from Aeron session `session` (`nil` if unknown).
    @discardableResult
    public func onConsumerHello(_ hint: ConsumerHint, session: Int32?, nowNs: UInt64) -> ConsumerIdentityGuard.Verdict {
        let key = ConsumerKey(streamId: hint.streamId, consumerId: hint.consumerId)
        var record = consumers[key] ?? newConsumer(key)
        let verdict = record.identity.judge(kind: .hello, session: session, report: nil, nowNs: nowNs)
        if verdict != .collision {
            if verdict == .restart { record.forgetPolicyState() }
            record.hint = hint
            record.liveness.observe(nowNs: nowNs)
        }
        consumers[key] = record
        return verdict
    }

    /// `QosConsumer` from Aeron session `session` (`nil` if unknown). May queue a ``ConsumerConfigCommand``.
    @discardableResult
    public func onQosConsumer(_ report: QosConsumerReport, session: Int32?, nowNs: UInt64) -> ConsumerIdentityGuard.Verdict {
        let key = ConsumerKey(streamId: report.streamId, consumerId: report.consumerId)
        var record = consumers[key] ?? newConsumer(key)
        let verdict = record.identity.judge(kind: .qos, session: session, report: report, nowNs: nowNs)
        if verdict == .collision {
            consumers[key] = record
            return verdict
        }
        if verdict == .restart { record.forgetPolicyState() }
        record.lastReport = report
        record.liveness.observe(nowNs: nowNs)
        applyPolicy(to: &record, report: report, completed: record.window.add(report, nowNs: nowNs), nowNs: nowNs)
        consumers[key] = record
        return verdict
    }

    private func applyPolicy(to record: inout ConsumerRecord, report: QosConsumerReport,
                             completed: ConsumerQosWindow.Completed?, nowNs: UInt64) {
        let policy = parameters.policy
        if let completed, let decision = policy.decide(framesInWindow: completed.frames, dropsInWindow: completed.drops,
                                                       reportedMode: report.mode) {
            let command = ConsumerConfigCommand(streamId: record.key.streamId, consumerId: record.key.consumerId,
                                                useShm: true, mode: decision.mode, decimation: decision.decimation)
            let resendDue = record.commandedAtNs.map { nowNs >= $0 && nowNs - $0 >= policy.windowNs } ?? true
            if record.commanded != command || resendDue {
                if record.commanded != command {
                    if record.demotion?.probing == true {
                        record.demotion?.probeFailed(nowNs: nowNs, maxDelayNs: policy.maxRestoreAfterNs)
                    } else if report.mode == .stream {
                        record.demotion = ConsumerDemotion(demotedAtNs: nowNs, probeDelayNs: policy.restoreAfterNs)
                    }
                }
                issue(command, to: &record, nowNs: nowNs)
            }
            return
        }
        guard var demotion = record.demotion else { return }
        if demotion.probing {
            // Only a complete window spent in STREAM with enough frames judges the probe.
            if let completed, report.mode == .stream, completed.frames >= policy.minFrames {
                record.demotion = nil
            } else if report.mode != .stream, let command = record.commanded,
                      let at = record.commandedAtNs, nowNs >= at, nowNs - at >= policy.windowNs {
                issue(command, to: &record, nowNs: nowNs)   // the probe command was lost or ignored
            }
            return
        }
        guard policy.restoreAfterNs > 0, report.mode == policy.action, let due = demotion.probeDueNs, nowNs >= due else { return }
        demotion.probing = true
        record.demotion = demotion
        // The probe is judged on a window that starts now, not on one mixing the demoted mode in.
        record.window.reset()
        issue(ConsumerConfigCommand(streamId: record.key.streamId, consumerId: record.key.consumerId,
                                    useShm: true, mode: .stream, decimation: 1), to: &record, nowNs: nowNs)
    }

    private func issue(_ command: ConsumerConfigCommand, to record: inout ConsumerRecord, nowNs: UInt64) {
        record.commanded = command
        record.commandedAtNs = nowNs
        pendingCommands.append(command)
    }

    /// `true` when ``drainCommands()`` has something to return (lets a duty cycle skip the drain without allocating).
    public var hasPendingCommands: Bool { !pendingCommands.isEmpty }

    /// Commands decided since the last call, in decision order.
    public func drainCommands() -> [ConsumerConfigCommand] {
        defer { pendingCommands.removeAll(keepingCapacity: true) }
        return pendingCommands
    }

    // MARK: liveness

    /// Recomputes every state at `nowNs`; returns the changes.
    public func sweep(nowNs: UInt64) -> [Transition] {
        var transitions: [Transition] = []
        for key in producers.keys.sorted() {
            guard var record = producers[key] else { continue }
            let state = record.liveness(nowNs: nowNs)
            if state != record.state {
                transitions.append(.producer(key, from: record.state, to: state))
                record.state = state
                producers[key] = record
            }
        }
        for key in consumers.keys.sorted() {
            guard var record = consumers[key] else { continue }
            let state = record.liveness.state(nowNs: nowNs)
            if state != record.state {
                transitions.append(.consumer(key, from: record.state, to: state))
                record.state = state
                consumers[key] = record
            }
        }
        return transitions
    }

    /// Removes entries EXPIRED at `nowNs`. Returns how many were removed.
    @discardableResult
    public func purgeExpired(nowNs: UInt64) -> Int {
        let before = producers.count + consumers.count
        producers = producers.filter { $0.value.liveness(nowNs: nowNs) != .expired }
        consumers = consumers.filter { $0.value.liveness.state(nowNs: nowNs) != .expired }
        return before - producers.count - consumers.count
    }

    /// Snapshot for status displays.
    public func status(nowNs: UInt64) -> SupervisorStatus {
        let p = producers.keys.sorted().compactMap { key -> SupervisorStatus.Producer? in
            guard let r = producers[key] else { return nil }
            return .init(key: key, state: r.liveness(nowNs: nowNs), epoch: r.epoch, currentSeq: r.currentSeq,
                         lastSeenAgeNs: r.control.ageNs(nowNs: nowNs), epochChanges: r.epochChanges,
                         epochRegressions: r.epochRegressions)
        }
        let c = consumers.keys.sorted().compactMap { key -> SupervisorStatus.Consumer? in
            guard let r = consumers[key] else { return nil }
            return .init(key: key, state: r.liveness.state(nowNs: nowNs), mode: r.lastReport?.mode ?? r.hint?.mode,
                         epoch: r.lastReport?.epoch, lastSeqSeen: r.lastReport?.lastSeqSeen,
                         dropsGap: r.lastReport?.dropsGap ?? 0, dropsLate: r.lastReport?.dropsLate ?? 0,
                         dropsPerSecond: r.window.last?.dropsPerSecond, framesPerSecond: r.window.last?.framesPerSecond,
                         colliding: r.identity.isColliding(nowNs: nowNs), collisions: r.identity.collisions,
                         restarts: r.identity.restarts, commandedMode: r.commanded?.mode)
        }
        return SupervisorStatus(nowNs: nowNs, producers: p, consumers: c)
    }

    private func newConsumer(_ key: ConsumerKey) -> ConsumerRecord {
        ConsumerRecord(key: key, liveness: tracker(parameters.qosCadenceNs),
                       identity: ConsumerIdentityGuard(collisionWindowNs: LivenessTracker.window(parameters.qosCadenceNs, parameters.staleMultiple)),
                       window: ConsumerQosWindow(windowNs: parameters.policy.windowNs))
    }

    private func tracker(_ cadenceNs: UInt64) -> LivenessTracker {
        LivenessTracker(cadenceNs: cadenceNs, staleMultiple: parameters.staleMultiple, expiredMultiple: parameters.expiredMultiple)
    }
}
