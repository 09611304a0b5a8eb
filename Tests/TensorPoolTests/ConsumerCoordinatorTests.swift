import Testing
@testable import TensorPool

private func announce(epoch: UInt64, nslots: UInt32 = 8) -> AnnounceSummary {
    AnnounceSummary(streamId: 1, producerId: 1, epoch: epoch, layoutVersion: 1, headerRegionUri: "shm:file?path=/dev/shm/h",
                    headerNslots: nslots, pools: [.init(poolId: 1, nslots: nslots, strideBytes: 4096, regionUri: "shm:file?path=/dev/shm/p")])
}

private func d(_ seq: UInt64, epoch: UInt64 = 5, nslots: UInt64 = 8) -> FrameDescriptorValue {
    FrameDescriptorValue(epoch: epoch, seq: seq, headerIndex: UInt32(seq & (nslots - 1)))
}

private func coordinator(settings: ConsumerModeSettings = ConsumerModeSettings()) -> ConsumerCoordinator {
    ConsumerCoordinator(consumerId: 42, mappingParameters: .init(streamId: 1, fallbackUri: "bridge://b"), settings: settings)
}

@Suite struct ConsumerCoordinatorTests {
    @Test func descriptorsDroppedUntilMapSucceeds() {
        var c = coordinator()
        _ = c.onAnnounce(announce(epoch: 5), nowNs: 0)
        #expect(c.offer(d(0), nowNs: 0) == .drop(.unmapped))
        _ = c.mapSucceeded(epoch: 5, nowNs: 0)
        #expect(c.offer(d(1), nowNs: 0) == .read)
        c.recordRead(d(1), outcome: .accepted, nowNs: 0)
        #expect(c.admission.counters.framesDelivered == 1)
    }

    @Test func ringSizeOfAnnounceArmsAdmissionAndValidator() {
        var c = coordinator()
        _ = c.onAnnounce(announce(epoch: 5, nslots: 32), nowNs: 0)
        _ = c.mapSucceeded(epoch: 5, nowNs: 0)
        #expect(c.offer(d(20, nslots: 32), nowNs: 0) == .read)
        #expect(c.offer(FrameDescriptorValue(epoch: 5, seq: 21, headerIndex: 32), nowNs: 0) == .drop(.headerIndexOutOfRange))
    }

    @Test func epochChangeResetsAdmissionAndDropsStaleDescriptors() {
        var c = coordinator(settings: ConsumerModeSettings(mode: .latest))
        _ = c.onAnnounce(announce(epoch: 5), nowNs: 0)
        _ = c.mapSucceeded(epoch: 5, nowNs: 0)
        _ = c.offer(d(7), nowNs: 0)
        let actions = c.onAnnounce(announce(epoch: 6), nowNs: 1)
        #expect(actions.first == .dropInFlight)
        #expect(c.admission.counters.inFlightDiscarded == 1)
        #expect(c.offer(d(8), nowNs: 1) == .drop(.unmapped))
        _ = c.mapSucceeded(epoch: 6, nowNs: 1)
        #expect(c.offer(d(8), nowNs: 1) == .drop(.epochMismatch))
        #expect(c.offer(d(0, epoch: 6), nowNs: 1) == .held)
        #expect(c.admission.counters.dropsGap == 0)
    }

    @Test func seqRegressionUnmapsThroughMapping() {
        var c = coordinator()
        _ = c.onAnnounce(announce(epoch: 5), nowNs: 0)
        _ = c.mapSucceeded(epoch: 5, nowNs: 0)
        _ = c.offer(d(10), nowNs: 0)
        #expect(c.offer(d(3), nowNs: 0) == .remapRequired)
        #expect(c.mapping.state == .unmapped)
        #expect(c.takeRemapActions() == [.dropInFlight, .unmap(.seqRegression)])
        #expect(c.takeRemapActions().isEmpty)
        #expect(c.offer(d(4), nowNs: 0) == .drop(.unmapped))
    }

    @Test func consumerConfigChangesModeAndFallback() {
        var c = coordinator()
        _ = c.onAnnounce(announce(epoch: 5), nowNs: 0)
        _ = c.mapSucceeded(epoch: 5, nowNs: 0)
        #expect(c.onConsumerConfig(ConsumerConfigCommand(streamId: 1, consumerId: 99, mode: .latest), nowNs: 1) == [])
        #expect(c.admission.settings.mode == .stream)
        #expect(c.onConsumerConfig(ConsumerConfigCommand(streamId: 1, consumerId: 42, mode: .decimated, decimation: 4), nowNs: 1) == [])
        #expect(c.admission.settings == ConsumerModeSettings(mode: .decimated, decimation: 4))
        #expect(c.onConsumerConfig(ConsumerConfigCommand(streamId: 1, consumerId: 42, mode: .decimated, decimation: 0), nowNs: 1) == [])
        #expect(c.rejectedConfigs == 1)
        #expect(c.admission.settings.decimation == 4)
        let actions = c.onConsumerConfig(ConsumerConfigCommand(streamId: 1, consumerId: 42, useShm: false, mode: .latest), nowNs: 2)
        #expect(actions == [.dropInFlight, .unmap(.shmDisabled), .switchToFallback(uri: "bridge://b")])
        #expect(c.admission.mappedEpoch == nil)
        #expect(c.admission.settings.mode == .latest)
        #expect(c.admission.settings.decimation == 1)
    }

    @Test func qosReportCarriesCountersAndResyncFlagOnce() {
        var c = coordinator(settings: ConsumerModeSettings(maxOutstandingSeqGap: 2))
        _ = c.onAnnounce(announce(epoch: 5), nowNs: 0)
        _ = c.mapSucceeded(epoch: 5, nowNs: 0)
        _ = c.offer(d(0), nowNs: 0)
        _ = c.offer(d(10), nowNs: 0)
        c.recordRead(d(10), outcome: .dropped(.notCommitted), nowNs: 0)
        let first = c.qosReport()
        #expect(first.report == QosConsumerReport(streamId: 1, consumerId: 42, epoch: 5, lastSeqSeen: 10, dropsGap: 9, dropsLate: 1, mode: .stream))
        #expect(first.resyncReported)
        #expect(!c.qosReport().resyncReported)
    }

    @Test func producerSeqOfOtherEpochIgnored() {
        var c = coordinator(settings: ConsumerModeSettings(maxOutstandingSeqGap: 2))
        _ = c.onAnnounce(announce(epoch: 5), nowNs: 0)
        _ = c.mapSucceeded(epoch: 5, nowNs: 0)
        c.onProducerSeq(epoch: 4, currentSeq: 1_000)
        #expect(c.offer(d(0), nowNs: 0) == .read)
        c.onProducerSeq(epoch: 5, currentSeq: 1_000)
        #expect(c.offer(d(1), nowNs: 0) == .drop(.resync))
    }

    @Test func helloReflectsConfigurationAndCurrentMode() throws {
        var config = ConsumerConfiguration(user: "u")
        config.supportsProgress = true
        config.progressIntervalUs = 100
        config.modeSettings = ConsumerModeSettings(mode: .latest, maxRateHz: 30)
        let c = ConsumerCoordinator(configuration: config, consumerId: 3)
        let hello = c.hello(configuration: config)
        #expect(hello == ConsumerHint(streamId: 1, consumerId: 3, supportsShm: true, supportsProgress: true, mode: .latest,
                                      maxRateHz: 30, expectedLayoutVersion: 1, progressIntervalUs: 100))
    }
}

@Suite struct ProducerFramePlannerTests {
    @Test func planPicksPoolAndSlot() throws {
        var p = try #require(ProducerFramePlanner(headerNslots: 4, pools: [.init(poolId: 2, strideBytes: 8192), .init(poolId: 1, strideBytes: 4096)]))
        let aPlan = p.plan(valuesLength: 100)
        let a = try #require(aPlan)
        #expect(a == FramePlan(seq: 0, headerIndex: 0, poolId: 1, payloadSlot: 0, strideBytes: 4096))
        #expect(a.writingCommitWord == 1 && a.committedCommitWord == 0)
        let bPlan = p.plan(valuesLength: 5000)
        let b = try #require(bPlan)
        #expect(b.poolId == 2 && b.seq == 1)
        #expect(p.plan(valuesLength: 9000) == nil)       // dropped without consuming a seq
        #expect(p.oversizeDrops == 1)
        let cPlan = p.reserve(poolId: 2)
        let c = try #require(cPlan)
        #expect(c.seq == 2 && c.headerIndex == 2 && c.payloadSlot == 2)
        #expect(p.reserve(poolId: 9) == nil)
        _ = p.plan(valuesLength: 1)
        let wrappedPlan = p.plan(valuesLength: 1)
        let wrapped = try #require(wrappedPlan)
        #expect(wrapped.seq == 4 && wrapped.headerIndex == 0)
        #expect(wrapped.committedCommitWord == 8 && wrapped.writingCommitWord == 9)
        p.resetForNewEpoch()
        #expect(p.plan(valuesLength: 1)?.seq == 0)
        #expect(ProducerFramePlanner(headerNslots: 5, pools: []) == nil)
    }
}

@Suite struct ConsumerCoordinatorStartupTests {
    @Test func configuredUseShmFalseStartsInFallback() {
        var config = ConsumerConfiguration(user: "u")
        config.useShm = false
        config.payloadFallbackUri = "bridge://cam"
        var c = ConsumerCoordinator(configuration: config, consumerId: 1)
        #expect(c.start(useShm: config.useShm, nowNs: 0) == [.switchToFallback(uri: "bridge://cam")])
        #expect(c.onAnnounce(announce(epoch: 1), nowNs: 1) == [])
        #expect(c.mapping.state == .fallback(uri: "bridge://cam"))
    }

    @Test func configuredUseShmFalseWithoutFallbackFails() {
        var config = ConsumerConfiguration(user: "u")
        config.useShm = false
        var c = ConsumerCoordinator(configuration: config, consumerId: 1)
        let actions = c.start(useShm: false, nowNs: 0)
        guard case .fail(let diagnostic)? = actions.last else { Issue.record("expected fail"); return }
        #expect(diagnostic.contains("no payload_fallback_uri"))
        var shm = ConsumerCoordinator(configuration: ConsumerConfiguration(user: "u"), consumerId: 1)
        #expect(shm.start(useShm: true, nowNs: 0) == [])
    }
}
