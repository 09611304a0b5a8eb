import AeronClient
import SBE
import TensorPoolCore
import TensorPoolCodecs

/// The supervisor (spec §10.5, §15.14, §15.16) as an Aeron-style agent.
///
/// It subscribes to the control, QoS and metadata streams and keeps a ``SupervisorRegistry`` of producers
/// (keyed by stream and producer id) and consumers (stream and consumer id):
/// - producer liveness from `ShmPoolAnnounce`, `DataSourceAnnounce`, `QosProducer`, `Heartbeat`, and the
///   superblock `activity_timestamp_ns` of the announced header ring, which it maps read-only when the path is
///   under ``SupervisorSettings/shmRoot`` (``SupervisorRegionWatcher``);
/// - consumer liveness from `ConsumerHello` and `QosConsumer`; two consumers using one consumer id are
///   reported as a collision when their interleaved `QosConsumer` counters go backwards twice within the
///   collision window (``ConsumerIdentityGuard``'s counter pattern). The Aeron session id is not used:
///   concurrent publications of one channel and stream share a session on a driver, so every consumer of a
///   host would look like the same sender;
/// - LIVE → STALE → EXPIRED after the configured multiples of the cadences, found by a sweep every
///   housekeeping interval; transitions are logged, an EXPIRED producer's ring is unmapped;
/// - `ConsumerConfig` messages from the ``DropRatePolicy`` (a consumer that keeps dropping is moved to LATEST
///   or DECIMATED, and one moved out of STREAM is probed back into STREAM after
///   ``DropRatePolicy/restoreAfterNs``, see ``ConsumerDemotion``), from ``submit(_:)`` (any thread) or ``send(_:)`` (agent thread);
/// - ``SupervisorCounters`` (Aeron counters) refreshed every housekeeping interval, and a
///   ``SupervisorStatus`` snapshot on ``statusBoard`` every status interval.
///
/// Steady state (messages from known peers, no state change) allocates nothing; a new peer, a liveness
/// transition, a command and a status snapshot do. One owner thread: host it with `AgentRunner` or call
/// ``doWork(nowNs:)`` from a loop.
public final class SupervisorAgent: TensorPoolAgent, ControlMessageHandler, @unchecked Sendable {
    /// Fixed role name: names the `AgentRunner` thread, tags log lines and is the `ControlPlane` role of this agent.
    public let roleName = "supervisor"
    /// Configuration the agent was built with (cadences, liveness multiples, drop-rate policy, SHM root); immutable so
    /// the agent thread reads it without synchronisation.
    public let settings: SupervisorSettings
    /// The registry (agent thread only while the agent runs).
    public let registry: SupervisorRegistry
    /// The Aeron streams the supervisor polls (control, QoS, metadata) and publishes `ConsumerConfig` on; closed by
    /// ``onClose()``. Agent thread only.
    public let controlPlane: ControlPlane
    /// The supervisor's Aeron counters, when allocated.
    public let counters: SupervisorCounters?
    /// Status snapshots for other threads.
    public let statusBoard = SupervisorStatusBoard()

    let watcher: SupervisorRegionWatcher
    private let inbox = SupervisorCommandInbox()
    private var housekeeping: Cadence
    private var purgeCadence: Cadence
    private var statusCadence: Cadence
    private var collisions: Int64 = 0
    private var received: Int64 = 0
    private var configsSent: Int64 = 0
    private var configsFailed: Int64 = 0
    private var regionsRejected: Int64 = 0
    /// Time of the current duty cycle (for rate-limited logs outside message handlers).
    private var cycleNs: UInt64 = 0

    /// Opens the control plane (publishing ConsumerConfig on the control stream; subscribing to control, QoS
    /// and metadata) and allocates the counters.
    ///
    /// - Throws: `AeronError` from the client, ``RegionPathError`` when `shmRoot` is not a directory.
    public init(aeron: Aeron, settings: SupervisorSettings) throws {
        self.settings = settings
        registry = SupervisorRegistry(parameters: settings.configuration.registryParameters)
        watcher = SupervisorRegionWatcher(root: try settings.shmRoot.map { path throws(RegionPathError) in try RegionRoot(path) })
        controlPlane = try ControlPlane(aeron: aeron, endpoint: settings.configuration.aeron, roleName: "supervisor",
                                        publishing: [.control], subscribing: [.control, .qos, .metadata],
                                        logSink: settings.logSink)
        do {
            counters = settings.allocateCounters
                ? try SupervisorCounters(aeron: aeron, streamId: nil, instanceId: settings.supervisorId) : nil
        } catch {
            controlPlane.close()
            throw error
        }
        housekeeping = Cadence(intervalNs: settings.effectiveHousekeepingIntervalNs)
        statusCadence = Cadence(intervalNs: max(settings.statusIntervalNs, 1))
        purgeCadence = Cadence(intervalNs: max(settings.purgeExpiredAfterNs / 4, settings.effectiveHousekeepingIntervalNs))
    }

    // MARK: duty cycle

    /// One duty cycle at `nowNs` (`CLOCK_MONOTONIC` nanoseconds): polls the streams, sends queued `ConsumerConfig`
    /// commands, runs housekeeping (liveness sweep, counters) and publishes a status snapshot when due. Returns the
    /// work done; never throws, since bad input is counted and rejected rather than propagated.
    public func doWork(nowNs: UInt64) -> Int {
        cycleNs = nowNs
        var handler = self
        var work = controlPlane.poll(&handler, nowNs: nowNs)
        if registry.hasPendingCommands {
            for command in registry.drainCommands() {
                controlPlane.logEvent("drop-rate policy: stream \(command.streamId) consumer \(command.consumerId) -> \(command.mode.name)"
                                      + (command.mode == .decimated ? " decimation \(command.decimation)" : ""))
                send(command)
                work += 1
            }
        }
        if inbox.hasPending {
            for command in inbox.drain() {
                send(command)
                work += 1
            }
        }
        if housekeeping.isDue(nowNs: nowNs) {
            work += runHousekeeping(nowNs: nowNs)
        }
        if settings.statusIntervalNs > 0, statusCadence.isDue(nowNs: nowNs) {
            statusBoard.publish(registry.status(nowNs: nowNs))
            work += 1
        }
        return work
    }

    /// Unmaps every watched header ring, frees the Aeron counters and closes the streams. Call once, after the last
    /// ``doWork(nowNs:)``, on the agent thread.
    public func onClose() {
        watcher.close()
        counters?.close()
        controlPlane.close()
    }

    // MARK: commands

    /// Queues a `ConsumerConfig` for the agent thread to send (thread-safe; sent on the next duty cycle).
    public func submit(_ command: ConsumerConfigCommand) {
        inbox.submit(command)
    }

    /// Sends a `ConsumerConfig` now (agent thread only); the outcome is counted and returned, never retried.
    @discardableResult
    public func send(_ command: ConsumerConfigCommand) -> PublicationResult {
        let result = controlPlane.sendConsumerConfig(command)
        if case .position = result {
            configsSent += 1
            counters?.set(.configsSent, configsSent)
        } else {
            configsFailed += 1
            counters?.set(.configsFailed, configsFailed)
            controlPlane.logRateLimited(key: 0, nowNs: cycleNs) {
                "ConsumerConfig to stream \(command.streamId) consumer \(command.consumerId) not sent: \(result)"
            }
        }
        return result
    }

    // MARK: housekeeping

    /// Reads superblock activity, sweeps liveness (only when some state changed), refreshes the counters.
    private func runHousekeeping(nowNs: UInt64) -> Int {
        watcher.readActivity(into: registry, nowNs: nowNs)
        var producerStates = (live: Int64(0), stale: Int64(0), expired: Int64(0))
        var consumerStates = (live: Int64(0), stale: Int64(0), expired: Int64(0))
        var changed = false
        for record in registry.producers.values {
            let state = record.liveness(nowNs: nowNs)
            if state != record.state { changed = true }
            switch state {
            case .live: producerStates.live += 1
            case .stale: producerStates.stale += 1
            case .expired: producerStates.expired += 1
            }
        }
        for record in registry.consumers.values {
            let state = record.liveness.state(nowNs: nowNs)
            if state != record.state { changed = true }
            switch state {
            case .live: consumerStates.live += 1
            case .stale: consumerStates.stale += 1
            case .expired: consumerStates.expired += 1
            }
        }
        if changed { report(registry.sweep(nowNs: nowNs)) }
        if settings.purgeExpiredAfterNs > 0, nowNs > settings.purgeExpiredAfterNs,
           producerStates.expired + consumerStates.expired > 0, purgeCadence.isDue(nowNs: nowNs) {
            // Judged at `now - purgeExpiredAfter`: removes what has been EXPIRED for at least that long.
            let removed = registry.purgeExpired(nowNs: nowNs - settings.purgeExpiredAfterNs)
            if removed > 0 {
                controlPlane.logEvent("forgot \(removed) expired entr\(removed == 1 ? "y" : "ies")")
                producerStates.expired = Int64(registry.producers.values.reduce(0) { $0 + ($1.liveness(nowNs: nowNs) == .expired ? 1 : 0) })
                consumerStates.expired = Int64(registry.consumers.values.reduce(0) { $0 + ($1.liveness.state(nowNs: nowNs) == .expired ? 1 : 0) })
                for key in watcher.watched.keys where registry.producers[key] == nil { watcher.forget(key) }
                changed = true
            }
        }
        if let counters {
            counters.set(.producersLive, producerStates.live)
            counters.set(.producersStale, producerStates.stale)
            counters.set(.producersExpired, producerStates.expired)
            counters.set(.consumersLive, consumerStates.live)
            counters.set(.consumersStale, consumerStates.stale)
            counters.set(.consumersExpired, consumerStates.expired)
            counters.set(.messagesReceived, received)
            var rejected: UInt64 = 0
            var raw = 0
            while let reason = ControlMessageRejection(rawValue: raw) {
                rejected &+= controlPlane.counters.rejected(reason)
                raw += 1
            }
            counters.set(.messagesMalformed, Int64(truncatingIfNeeded: rejected))
            counters.set(.regionsMapped, Int64(watcher.mappedCount))
            counters.set(.regionsRejected, regionsRejected)
            counters.set(.consumerCollisions, collisions)
        }
        return changed ? 1 : 0
    }

    private func report(_ transitions: [SupervisorRegistry.Transition]) {
        for transition in transitions {
            switch transition {
            case .producer(let key, let from, let to):
                controlPlane.logEvent("\(key): \(from) -> \(to)")
                if to == .expired { watcher.forget(key) }
            case .consumer(let key, let from, let to):
                controlPlane.logEvent("\(key): \(from) -> \(to)")
            }
        }
    }

    // MARK: messages (ControlMessageHandler)

    /// Producer announce (spec §10.1.1): refreshes the producer's liveness and epoch and maps its header ring
    /// read-only to watch `activity_timestamp_ns` (§15.14) when the path is under the SHM root; a new producer beyond
    /// ``SupervisorSettings/maxPeers`` is refused and counted.
    public func onShmPoolAnnounce(_ message: ShmPoolAnnounceDecoder, nowNs: UInt64) throws(SBEError) {
        var decoder = message
        let key = ProducerKey(streamId: decoder.streamId, producerId: decoder.producerId)
        let isNew = registry.producers[key] == nil
        guard !isNew || admitNewProducer(key, nowNs: nowNs) else { return }
        registry.onAnnounce(key, epoch: decoder.epoch, nowNs: nowNs)
        received += 1
        switch try watcher.onAnnounce(key, decoder: &decoder) {
        case .unchanged:
            break
        case .mapped(let path):
            controlPlane.logEvent("\(key) epoch \(decoder.epoch): watching activity of \(path)")
        case .rejected(let reason):
            regionsRejected += 1
            controlPlane.logEvent("\(key) epoch \(decoder.epoch): header ring not mapped: \(reason)")
        }
        if isNew { controlPlane.logEvent("\(key): announced (epoch \(decoder.epoch))") }
    }

    /// Producer metadata announce (spec §10.3.1): counts as a liveness signal of the producer, as the announce does.
    public func onDataSourceAnnounce(_ message: DataSourceAnnounceDecoder, nowNs: UInt64) throws(SBEError) {
        let key = ProducerKey(streamId: message.streamId, producerId: message.producerId)
        guard registry.producers[key] != nil || admitNewProducer(key, nowNs: nowNs) else { return }
        registry.onAnnounce(key, epoch: message.epoch, nowNs: nowNs)
        received += 1
    }

    /// Producer QoS (spec §10.4.2): liveness plus the producer's `current_seq`, which status reports compare with
    /// consumers' `last_seq_seen` to show how far behind each consumer is.
    public func onQosProducer(_ message: QosProducerDecoder, nowNs: UInt64) throws(SBEError) {
        let key = ProducerKey(streamId: message.streamId, producerId: message.producerId)
        guard registry.producers[key] != nil || admitNewProducer(key, nowNs: nowNs) else { return }
        registry.onQosProducer(key, epoch: message.epoch,
                               currentSeq: message.currentSeq, nowNs: nowNs)
        received += 1
    }

    /// Producer heartbeat (spec §15.16): liveness only, for producers that publish no frames for a while.
    public func onHeartbeat(_ message: HeartbeatDecoder, nowNs: UInt64) throws(SBEError) {
        let key = ProducerKey(streamId: message.streamId, producerId: message.producerId)
        guard registry.producers[key] != nil || admitNewProducer(key, nowNs: nowNs) else { return }
        registry.onHeartbeat(key, epoch: message.epoch, nowNs: nowNs)
        received += 1
    }

    /// Consumer hello (spec §10.1.2): registers or refreshes the consumer; an unknown `mode` value is dropped and
    /// counted as ``ControlMessageRejection/unknownEnumValue``; a collision verdict of the registry's
    /// ``ConsumerIdentityGuard`` (two live processes with one consumer id) is logged and counted instead of silently
    /// merged.
    public func onConsumerHello(_ message: ConsumerHelloDecoder, nowNs: UInt64) throws(SBEError) {
        let raw = message.mode.rawValue
        guard let mode = ConsumerMode(rawValue: raw) else {
            controlPlane.reject(.unknownEnumValue, nowNs: nowNs) { "ConsumerHello mode \(raw)" }
            return
        }
        let hint = ConsumerHint(streamId: message.streamId, consumerId: message.consumerId,
                                supportsShm: message.supportsShm == .true, supportsProgress: message.supportsProgress == .true,
                                mode: mode, maxRateHz: message.maxRateHz, expectedLayoutVersion: message.expectedLayoutVersion,
                                progressIntervalUs: message.progressIntervalUs, progressBytesDelta: message.progressBytesDelta,
                                progressRowsDelta: message.progressRowsDelta)
        received += 1
        guard admitConsumer(ConsumerKey(streamId: hint.streamId, consumerId: hint.consumerId), nowNs: nowNs) else { return }
        let verdict = registry.onConsumerHello(hint, session: nil, nowNs: nowNs)
        if verdict == .collision { onCollision(streamId: hint.streamId, consumerId: hint.consumerId, nowNs: nowNs) }
    }

    /// Consumer QoS (spec §10.4.1): liveness plus `drops_gap`/`drops_late`, which feed the ``DropRatePolicy`` and the
    /// identity-collision check; an unknown `mode` is dropped and counted as
    /// ``ControlMessageRejection/unknownEnumValue``.
    public func onQosConsumer(_ message: QosConsumerDecoder, nowNs: UInt64) throws(SBEError) {
        let raw = message.mode.rawValue
        guard let mode = ConsumerMode(rawValue: raw) else {
            controlPlane.reject(.unknownEnumValue, nowNs: nowNs) { "QosConsumer mode \(raw)" }
            return
        }
        let report = QosConsumerReport(streamId: message.streamId, consumerId: message.consumerId, epoch: message.epoch,
                                       lastSeqSeen: message.lastSeqSeen, dropsGap: message.dropsGap,
                                       dropsLate: message.dropsLate, mode: mode)
        received += 1
        guard admitConsumer(ConsumerKey(streamId: report.streamId, consumerId: report.consumerId), nowNs: nowNs) else { return }
        let verdict = registry.onQosConsumer(report, session: nil, nowNs: nowNs)
        if verdict == .collision { onCollision(streamId: report.streamId, consumerId: report.consumerId, nowNs: nowNs) }
    }

    /// `false` (counted, logged) when the registry already tracks ``SupervisorSettings/maxPeers`` producers.
    private func admitNewProducer(_ key: ProducerKey, nowNs: UInt64) -> Bool {
        guard registry.producers.count >= settings.maxPeers else { return true }
        controlPlane.reject(.invalidContent, nowNs: nowNs) { "\(key) not tracked: already \(settings.maxPeers) producers" }
        return false
    }

    private func admitConsumer(_ key: ConsumerKey, nowNs: UInt64) -> Bool {
        guard registry.consumers.count >= settings.maxPeers, registry.consumers[key] == nil else { return true }
        controlPlane.reject(.invalidContent, nowNs: nowNs) { "\(key) not tracked: already \(settings.maxPeers) consumers" }
        return false
    }

    private func onCollision(streamId: UInt32, consumerId: UInt32, nowNs: UInt64) {
        collisions += 1
        counters?.set(.consumerCollisions, collisions)
        controlPlane.logRateLimited(key: 1, nowNs: nowNs) {
            "consumer id collision: stream \(streamId) consumer \(consumerId) is used by two consumers (interleaved QoS counters going backwards); the conflicting reports are ignored"
        }
    }
}
