import Testing
@testable import TensorPool

private func announce(epoch: UInt64, stream: UInt32 = 1, nslots: UInt32 = 16, layout: UInt32 = 1,
                      slotBytes: UInt16 = 256, maxDims: UInt8 = 8,
                      pools: [AnnounceSummary.Pool]? = nil) -> AnnounceSummary {
    AnnounceSummary(streamId: stream, producerId: 9, epoch: epoch, layoutVersion: layout,
                    headerRegionUri: "shm:file?path=/dev/shm/tp/header", headerNslots: nslots,
                    headerSlotBytes: slotBytes, maxDims: maxDims,
                    pools: pools ?? [.init(poolId: 1, nslots: nslots, strideBytes: 1 << 20, regionUri: "shm:file?path=/dev/shm/tp/p1")])
}

private let second: UInt64 = 1_000_000_000

private func machine(fallback: String? = nil) -> ConsumerMappingStateMachine {
    ConsumerMappingStateMachine(parameters: .init(streamId: 1, announceCadenceNs: second, livenessMultiple: 3, fallbackUri: fallback))
}

/// A machine mapped at epoch `epoch` at t = 0.
private func mapped(epoch: UInt64 = 5, fallback: String? = nil) -> ConsumerMappingStateMachine {
    var m = machine(fallback: fallback)
    _ = m.onAnnounce(announce(epoch: epoch), nowNs: 0)
    _ = m.mapSucceeded(epoch: epoch, nowNs: 0)
    return m
}

@Suite struct ConsumerMappingStateMachineTests {
    @Test func unmappedToMappingToMapped() {
        var m = machine()
        let a = announce(epoch: 5)
        #expect(m.onAnnounce(a, nowNs: 0) == [.map(a)])
        #expect(m.state == .mapping(epoch: 5))
        #expect(m.onAnnounce(a, nowNs: 10) == [])
        #expect(m.mapSucceeded(epoch: 4, nowNs: 10) == [])
        #expect(m.state == .mapping(epoch: 5))
        #expect(m.mapSucceeded(epoch: 5, nowNs: 10) == [])
        #expect(m.state == .mapped(epoch: 5))
    }

    @Test func otherStreamIgnored() {
        var m = machine()
        #expect(m.onAnnounce(announce(epoch: 5, stream: 2), nowNs: 0) == [])
        #expect(m.state == .unmapped)
        #expect(m.counters.announcesIgnored == 1)
    }

    @Test func sameEpochRefreshes() {
        var m = mapped()
        let a = announce(epoch: 5)
        #expect(m.onAnnounce(a, nowNs: second) == [.refresh(a)])
        #expect(m.state == .mapped(epoch: 5))
    }

    @Test func repeatedAnnounceRefreshesLivenessLikeTheFullPath() {
        var m = mapped()
        var withoutRepeat = mapped()
        let refreshed = m.onRepeatedAnnounce(announce(epoch: 5), nowNs: 2 * second)
        #expect(refreshed)
        // Liveness was refreshed at 2 s: not stale at 4 s (window 3 s), while a machine without it is.
        #expect(m.tick(nowNs: 4 * second) == [])
        #expect(m.state == .mapped(epoch: 5))
        #expect(withoutRepeat.tick(nowNs: 4 * second) == [])   // silence seen once: suspected
        #expect(withoutRepeat.tick(nowNs: 4 * second + 1) != [])   // and confirmed by the next tick
        // Anything else takes the full path.
        var other = mapped()
        let otherEpoch = other.onRepeatedAnnounce(announce(epoch: 6), nowNs: second)
        let otherLayout = other.onRepeatedAnnounce(announce(epoch: 5, nslots: 32), nowNs: second)
        #expect(!otherEpoch && !otherLayout)
        #expect(other.state == .mapped(epoch: 5))
        var unmapped = machine()
        let whileUnmapped = unmapped.onRepeatedAnnounce(announce(epoch: 5), nowNs: 0)
        #expect(!whileUnmapped)
        #expect(unmapped.state == .unmapped)
        var mapping = machine()
        _ = mapping.onAnnounce(announce(epoch: 5), nowNs: 0)
        let whileMapping = mapping.onRepeatedAnnounce(announce(epoch: 5), nowNs: 0)
        #expect(!whileMapping)
    }

    @Test func sameEpochWithChangedLayoutRemaps() {
        var m = mapped()
        let a = announce(epoch: 5, nslots: 32)
        #expect(m.onAnnounce(a, nowNs: second) == [.dropInFlight, .unmap(.layoutChangedWithoutEpoch), .map(a)])
        #expect(m.state == .mapping(epoch: 5))
    }

    @Test func newEpochDropsUnmapsAndMaps() {
        var m = mapped()
        let a = announce(epoch: 6)
        #expect(m.onAnnounce(a, nowNs: second) == [.dropInFlight, .unmap(.epochChanged), .map(a)])
        #expect(m.state == .mapping(epoch: 6))
        #expect(m.counters.remaps == 1)
    }

    @Test func epochRegressionIsARemapRequirement() {
        var m = mapped()
        let a = announce(epoch: 4)
        #expect(m.onAnnounce(a, nowNs: second) == [.dropInFlight, .unmap(.epochRegression), .map(a)])
        #expect(m.counters.epochRegressions == 1)
        #expect(m.lastRemapCause == .epochRegression)
    }

    @Test func newEpochWhileMappingRestartsMapping() {
        var m = machine()
        _ = m.onAnnounce(announce(epoch: 5), nowNs: 0)
        let a = announce(epoch: 6)
        #expect(m.onAnnounce(a, nowNs: 1) == [.dropInFlight, .unmap(.epochChanged), .map(a)])
        #expect(m.mapSucceeded(epoch: 5, nowNs: 2) == [])
        #expect(m.state == .mapping(epoch: 6))
    }

    @Test func pidChangeUnmapsAndRetiresEpoch() {
        var m = mapped()
        #expect(m.onSuperblock(pid: 100, activityTimestampNs: 1, nowNs: 1) == [])
        #expect(m.onSuperblock(pid: 101, activityTimestampNs: 2, nowNs: 2) == [.dropInFlight, .unmap(.pidChanged)])
        #expect(m.state == .unmapped)
        #expect(m.retiredEpoch == 5)
        #expect(m.onAnnounce(announce(epoch: 5), nowNs: 3) == [])
        #expect(m.state == .unmapped)
        let fresh = announce(epoch: 6)
        #expect(m.onAnnounce(fresh, nowNs: 4) == [.map(fresh)])
        #expect(m.retiredEpoch == nil)
    }

    @Test func staleAnnouncesUnmap() {
        var m = mapped()
        #expect(m.tick(nowNs: 3 * second) == [])
        #expect(m.tick(nowNs: 3 * second + 1) == [])
        #expect(m.state == .mapped(epoch: 5))
        #expect(m.tick(nowNs: 3 * second + 2) == [.dropInFlight, .unmap(.announceStale)])
        #expect(m.state == .unmapped)
        #expect(m.counters.staleProducer == 1)
    }

    /// A consumer that did not run for 10 s (the window is 3 s) must not retire a live producer: the
    /// announces and activity changes that queued up meanwhile are seen before silence is confirmed.
    @Test func consumerStallIsNotProducerDeath() {
        var m = mapped()
        _ = m.onSuperblock(pid: 1, activityTimestampNs: 77, nowNs: 0)
        // First duty cycle after the stall: the tick runs before the backlog is polled.
        #expect(m.tick(nowNs: 10 * second) == [])
        _ = m.onAnnounce(announce(epoch: 5), nowNs: 10 * second + 1)
        _ = m.onSuperblock(pid: 1, activityTimestampNs: 78, nowNs: 10 * second + 2)
        #expect(m.tick(nowNs: 10 * second + 50_000_000) == [])
        #expect(m.state == .mapped(epoch: 5))
        #expect(m.counters.staleProducer == 0)
    }

    @Test func staleActivityNeedsAReadAfterTheWindow() {
        var m = mapped()
        _ = m.onSuperblock(pid: 1, activityTimestampNs: 77, nowNs: 0)
        _ = m.onAnnounce(announce(epoch: 5), nowNs: 10 * second)
        // No read since 0: the consumer has no evidence yet, whatever the clock says.
        #expect(m.tick(nowNs: 10 * second) == [])
        // A read at 10 s still sees 77: dead.
        _ = m.onSuperblock(pid: 1, activityTimestampNs: 77, nowNs: 10 * second)
        #expect(m.tick(nowNs: 10 * second + 1) == [.dropInFlight, .unmap(.activityStale)])
    }

    @Test func staleActivityTimestampUnmapsEvenWithAnnounces() {
        var m = mapped()
        _ = m.onSuperblock(pid: 1, activityTimestampNs: 77, nowNs: 0)
        for t in 1...3 {
            _ = m.onAnnounce(announce(epoch: 5), nowNs: UInt64(t) * second)
            _ = m.onSuperblock(pid: 1, activityTimestampNs: 77, nowNs: UInt64(t) * second)
            #expect(m.tick(nowNs: UInt64(t) * second) == [])
        }
        _ = m.onAnnounce(announce(epoch: 5), nowNs: 3 * second + 500)
        #expect(m.tick(nowNs: 3 * second + 500) == [])   // the last read (3 s) is not yet a window after the change
        _ = m.onSuperblock(pid: 1, activityTimestampNs: 77, nowNs: 3 * second + 500)
        #expect(m.tick(nowNs: 3 * second + 500) == [.dropInFlight, .unmap(.activityStale)])
    }

    @Test func advancingActivityTimestampKeepsMapping() {
        var m = mapped()
        for t: UInt64 in 1...10 {
            _ = m.onAnnounce(announce(epoch: 5), nowNs: t * second)
            _ = m.onSuperblock(pid: 1, activityTimestampNs: t, nowNs: t * second)
            #expect(m.tick(nowNs: t * second + 1) == [])
        }
        #expect(m.state == .mapped(epoch: 5))
    }

    @Test func superblockMismatchUnmapsAndWaitsForNewEpoch() {
        var m = mapped()
        #expect(m.onSuperblockMismatch("nslots 8 != 16", nowNs: 1) == [.dropInFlight, .unmap(.superblockMismatch("nslots 8 != 16"))])
        #expect(m.onAnnounce(announce(epoch: 5), nowNs: 2) == [])
    }

    @Test func seqRegressionUnmapsButAllowsSameEpoch() {
        var m = mapped()
        #expect(m.slotValidationRequiresRemap(nowNs: 1) == [.dropInFlight, .unmap(.seqRegression)])
        let a = announce(epoch: 5)
        #expect(m.onAnnounce(a, nowNs: 2) == [.map(a)])
    }

    @Test func mapFailureWithoutFallbackFails() {
        var m = machine()
        _ = m.onAnnounce(announce(epoch: 5), nowNs: 0)
        let actions = m.mapFailed(epoch: 5, reason: "require_hugepages but tmpfs", nowNs: 1)
        #expect(actions.count == 2)
        guard case .failed(let diagnostic) = m.state else { Issue.record("expected failed"); return }
        #expect(diagnostic.contains("hugepages"))
        // Same epoch again: not retried.
        #expect(m.onAnnounce(announce(epoch: 5), nowNs: 2) == [])
        // New epoch: retried.
        let a = announce(epoch: 6)
        #expect(m.onAnnounce(a, nowNs: 3) == [.map(a)])
    }

    @Test func mapFailureWithFallbackSwitches() {
        var m = machine(fallback: "aeron:udp?endpoint=host:40123")
        _ = m.onAnnounce(announce(epoch: 5), nowNs: 0)
        let actions = m.mapFailed(epoch: 5, reason: "bad uri", nowNs: 1)
        #expect(actions.last == .switchToFallback(uri: "aeron:udp?endpoint=host:40123"))
        #expect(m.state == .fallback(uri: "aeron:udp?endpoint=host:40123"))
        let a = announce(epoch: 6)
        #expect(m.onAnnounce(a, nowNs: 2) == [.leaveFallback, .map(a)])
    }

    @Test(arguments: [
        (announce(epoch: 5, layout: 2), "layout_version"),
        (announce(epoch: 5, slotBytes: 128), "header_slot_bytes"),
        (announce(epoch: 5, maxDims: 16), "max_dims"),
        (announce(epoch: 5, nslots: 12), "power of two"),
        (announce(epoch: 5, pools: []), "no payload pools"),
        (announce(epoch: 5, pools: [.init(poolId: 1, nslots: 8, strideBytes: 4096, regionUri: "x")]), "nslots"),
        (announce(epoch: 5, pools: [.init(poolId: 1, nslots: 16, strideBytes: 5000, regionUri: "x")]), "stride"),
        (announce(epoch: 5, pools: [.init(poolId: 1, nslots: 16, strideBytes: 4096, regionUri: "x"),
                                    .init(poolId: 1, nslots: 16, strideBytes: 8192, regionUri: "y")]), "duplicate pool_id"),
    ] as [(AnnounceSummary, String)])
    func invalidAnnounceRejected(_ a: AnnounceSummary, needle: String) {
        var m = machine()
        let actions = m.onAnnounce(a, nowNs: 0)
        guard case .fail(let diagnostic)? = actions.last else { Issue.record("expected fail, got \(actions)"); return }
        #expect(diagnostic.contains(needle))
        #expect(m.counters.announcesRejected == 1)
    }

    @Test func useShmFalseWithFallbackSwitches() {
        var m = mapped()
        let actions = m.onConsumerConfig(useShm: false, fallbackUri: "bridge://cam1", nowNs: 1)
        #expect(actions == [.dropInFlight, .unmap(.shmDisabled), .switchToFallback(uri: "bridge://cam1")])
        #expect(m.state == .fallback(uri: "bridge://cam1"))
        #expect(m.onAnnounce(announce(epoch: 6), nowNs: 2) == [])
        #expect(m.onConsumerConfig(useShm: false, fallbackUri: "bridge://cam1", nowNs: 3) == [])
        #expect(m.onConsumerConfig(useShm: true, fallbackUri: nil, nowNs: 4) == [.leaveFallback])
        #expect(m.state == .unmapped)
        let a = announce(epoch: 6)
        #expect(m.onAnnounce(a, nowNs: 5) == [.map(a)])
    }

    @Test func useShmFalseUsesConfiguredFallback() {
        var m = machine(fallback: "aeron:udp?endpoint=h:1")
        #expect(m.onConsumerConfig(useShm: false, fallbackUri: nil, nowNs: 1) == [.switchToFallback(uri: "aeron:udp?endpoint=h:1")])
    }

    @Test func useShmFalseWithoutFallbackFails() {
        var m = mapped()
        let actions = m.onConsumerConfig(useShm: false, fallbackUri: "", nowNs: 1)
        #expect(actions.prefix(2) == [.dropInFlight, .unmap(.shmDisabled)])
        guard case .fail(let diagnostic)? = actions.last else { Issue.record("expected fail"); return }
        #expect(diagnostic.contains("no payload_fallback_uri"))
        #expect(m.onConsumerConfig(useShm: true, fallbackUri: nil, nowNs: 2) == [])
        #expect(m.state == .unmapped)
    }

    @Test func useShmFalseWithUnsupportedFallbackFails() {
        var m = machine()
        let actions = m.onConsumerConfig(useShm: false, fallbackUri: "http://x", nowNs: 1)
        guard case .fail(let diagnostic)? = actions.last else { Issue.record("expected fail"); return }
        #expect(diagnostic.contains("unsupported scheme"))
    }
}

@Suite struct ConsumerMappingProducerConflictTests {
    @Test func secondProducerOnStreamIgnoredUntilFirstIsStale() {
        var m = ConsumerMappingStateMachine(parameters: .init(streamId: 1, announceCadenceNs: 1_000, livenessMultiple: 3))
        var a = AnnounceSummary(streamId: 1, producerId: 1, epoch: 5, layoutVersion: 1, headerRegionUri: "shm:file?path=/h", headerNslots: 8,
                                pools: [.init(poolId: 1, nslots: 8, strideBytes: 4096, regionUri: "shm:file?path=/p")])
        _ = m.onAnnounce(a, nowNs: 0)
        _ = m.mapSucceeded(epoch: 5, nowNs: 0)
        var other = a
        other.producerId = 2
        other.epoch = 9
        #expect(m.onAnnounce(other, nowNs: 1_000) == [])
        #expect(m.counters.producerConflicts == 1)
        #expect(m.state == .mapped(epoch: 5))
        a.epoch = 5
        _ = m.onAnnounce(a, nowNs: 2_000)
        #expect(m.tick(nowNs: 5_001) == [])
        #expect(m.tick(nowNs: 5_002) == [.dropInFlight, .unmap(.announceStale)])
        #expect(m.onAnnounce(other, nowNs: 5_002) == [.map(other)])
    }
}

@Suite struct ConsumerMappingConflictWhileMappingTests {
    @Test func secondProducerIgnoredWhileMapping() {
        var m = ConsumerMappingStateMachine(parameters: .init(streamId: 1))
        let a = AnnounceSummary(streamId: 1, producerId: 1, epoch: 5, layoutVersion: 1, headerRegionUri: "shm:file?path=/h", headerNslots: 8,
                                pools: [.init(poolId: 1, nslots: 8, strideBytes: 4096, regionUri: "shm:file?path=/p")])
        _ = m.onAnnounce(a, nowNs: 0)
        var other = a
        other.producerId = 2
        other.epoch = 6
        #expect(m.onAnnounce(other, nowNs: 1) == [])
        #expect(m.state == .mapping(epoch: 5))
        #expect(m.counters.producerConflicts == 1)
    }
}
