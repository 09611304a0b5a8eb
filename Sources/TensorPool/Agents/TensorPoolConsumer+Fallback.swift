import AeronClient
import TensorPoolCore

/// FALLBACK (spec §10.1.3, §12, §15.22): frames from a bridge stream instead of SHM (docs/BRIDGE.md "Consumer
/// FALLBACK").
///
/// Admission is the SHM path's ``FrameAdmission``, armed with the bridge frames' source epoch and a one-slot
/// "ring" (`header_index` 0): modes STREAM / LATEST / DECIMATED, `max_rate_hz`, sequence gaps (`drops_gap`),
/// duplicates and resync apply unchanged. A new source epoch re-arms it (a held LATEST frame of the old epoch is
/// ``DropReason/inFlightDiscarded``); a `seq` regression within an epoch restarts sequence tracking, as a remap
/// does for SHM. The payload is the source's private reassembly buffer, stable for the whole callback, so
/// ``TensorFrameHandler/onFrameCompleted(seq:intact:)`` always says `intact`. SHM `FrameDescriptor`s are ignored
/// while the bridge subscription is open.
///
/// Metadata: the bridge's `BridgeDataSourceMeta` (the source's `DataSourceMeta`: its stream, `meta_version` and
/// attributes) is judged by ``BridgeMetadataInbox`` (the consumer's bounds, counted in ``FallbackStatistics``) and
/// applied as a `DataSourceMeta` is: new content becomes ``metadata`` and is passed to
/// ``TensorFrameHandler/onMetadata(_:)``; a re-send changes nothing and allocates nothing. Bridged frames carry the
/// source's slot header, hence the source's `meta_version`: ``metadata(forVersion:)`` resolves it. The bridge's
/// `BridgeDataSourceAnnounce` (the source's `DataSourceAnnounce`: producer, epoch, `meta_version`, name, summary) is
/// judged by ``BridgeAnnounceInbox`` with the bounds of ``DataSourceInfo`` and becomes ``dataSourceInfo`` (passed
/// to ``TensorFrameHandler/onDataSourceInfo(_:)`` when new).
extension TensorPoolConsumer {
    /// Counters of the FALLBACK path (cumulative).
    public var fallbackStatistics: FallbackStatistics { state.pointee.fallback.statistics }

    /// The bridge subscription followed in FALLBACK, `nil` when none is open.
    public var fallbackBridge: BridgeFallbackURI? { state.pointee.fallback.source?.resolved }

    /// Whether the bridge publication followed in FALLBACK is connected.
    public var isFallbackConnected: Bool { state.pointee.fallback.source?.isConnected ?? false }

    /// The configured `fallback_*` keys with this consumer's ``ConsumerOptions`` overrides applied.
    var fallbackSettings: ConsumerFallbackSettings { ConsumerFallbackSettings(configuration: configuration, options: options) }

    /// Opens the bridge subscription of `uri` (closing any other); returns a diagnostic when it cannot.
    func openFallback(uri: String) -> String? {
        closeFallback()
        let link = state.pointee.fallback
        let settings = fallbackSettings
        let resolved: BridgeFallbackURI
        switch BridgeFallbackURI.parse(uri, defaultStreamId: settings.bridgeStreamId) {
        case .success(let value): resolved = value
        case .failure(let error):
            link.statistics.add(.openFailures)
            return "FALLBACK: \(error); no frames are received"
        }
        guard let aeron = link.aeron else { return "FALLBACK: no Aeron client" }
        do {
            let source = try FallbackFrameSource(uri: uri, resolved: resolved, streamId: streamId, aeron: aeron,
                                                 maxFrameBytes: settings.maxFrameBytes,
                                                 assemblyTimeoutNs: settings.assemblyTimeoutNs,
                                                 statistics: link.statistics)
            link.source = source
            state.pointee.fallbackSource = .passUnretained(source)
            link.statistics.add(.subscriptionsOpened)
            controlPlane.logEvent("FALLBACK: receiving frames from bridge \(resolved.channel) stream \(resolved.streamId)")
            return nil
        } catch {
            link.statistics.add(.openFailures)
            return "FALLBACK: cannot subscribe to \(resolved.channel) stream \(resolved.streamId): \(error)"
        }
    }

    /// Closes the bridge subscription, if any; admission forgets the bridge epoch (a held frame is discarded).
    func closeFallback() {
        state.pointee.fallbackSource = nil
        let link = state.pointee.fallback
        guard let source = link.source else { return }
        link.source = nil
        source.close()
        state.pointee.coordinator.admission.unmapped()
        controlPlane.logEvent("FALLBACK: bridge subscription \(source.resolved.channel) stream \(source.resolved.streamId) closed")
    }

    /// Polls the bridge and delivers admitted frames (the FALLBACK counterpart of the descriptor poll and
    /// `takeLatest` read).
    @usableFromInline
    func pollFallback(_ source: FallbackFrameSource, nowNs: UInt64) -> Int {
        var work = source.poll(fragmentLimit: options.fragmentLimit, nowNs: nowNs) { event in
            self.admitFallback(event, from: source, nowNs: nowNs)
        }
        if let latest = state.pointee.coordinator.takeLatest(nowNs: nowNs) {
            deliverFallback(latest, from: source, nowNs: nowNs)
            work += 1
        }
        return work
    }

    private func admitFallback(_ event: FallbackFrameEvent, from source: FallbackFrameSource, nowNs: UInt64) {
        let descriptor: FrameDescriptorValue
        switch event {
        case .complete(let value), .oversize(let value): descriptor = value
        case .metadata(let metadata):
            applyBridgedMetadata(metadata)
            return
        case .announce(let info):
            applyBridgedAnnounce(info)
            return
        }
        let state = self.state
        if state.pointee.coordinator.admission.mappedEpoch != descriptor.epoch {
            state.pointee.coordinator.admission.mapped(epoch: descriptor.epoch, headerNslots: 1)
        }
        var decision = state.pointee.coordinator.admission.offer(descriptor, nowNs: nowNs)
        if case .remapRequired = decision {
            state.pointee.coordinator.admission.mapped(epoch: descriptor.epoch, headerNslots: 1)
            decision = state.pointee.coordinator.admission.offer(descriptor, nowNs: nowNs)
        }
        if case .read = decision { deliverFallback(descriptor, from: source, nowNs: nowNs) }
    }

    private func applyBridgedMetadata(_ metadata: DataSourceMetadata) {
        guard case .updated = metadataTracker.adopt(metadata), let held = metadataTracker.metadata else { return }
        statistics.add(.metadataUpdates)
        handler.onMetadata(held)
    }

    private func applyBridgedAnnounce(_ info: DataSourceInfo) {
        guard case .updated = metadataTracker.adopt(info), let held = metadataTracker.info else { return }
        handler.onDataSourceInfo(held)
    }

    private func deliverFallback(_ descriptor: FrameDescriptorValue, from source: FallbackFrameSource, nowNs: UInt64) {
        let seq = descriptor.seq
        guard let ready = source.ready, ready.epoch == descriptor.epoch, ready.seq == seq else {
            let reason: DropReason = source.wasOversize(epoch: descriptor.epoch, seq: seq) ? .destinationTooSmall : .inFlightDiscarded
            state.pointee.coordinator.recordRead(descriptor, outcome: .dropped(reason), nowNs: nowNs)
            return
        }
        let handler = handlerStorage
        handler.pointee.onFrame(TensorFrame(epoch: descriptor.epoch, seq: seq, header: ready.header, nowNs: nowNs,
                                            payload: source.readyBytes))
        state.pointee.coordinator.recordRead(descriptor, outcome: .accepted, nowNs: nowNs)
        // Private memory: nothing can have changed during the callback.
        handler.pointee.onFrameCompleted(seq: seq, intact: true)
        let latency = nowNs >= ready.header.timestampNs ? nowNs - ready.header.timestampNs : 0
        statistics.add(.framesDelivered)
        statistics.add(.bytesDelivered, UInt64(ready.length))
        statistics.add(.latencySumNs, latency)
        statistics.add(.latencyCount)
        if latency > statistics[.latencyMaxNs] { statistics.set(.latencyMaxNs, latency) }
    }
}
