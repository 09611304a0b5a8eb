import Testing
@testable import TensorPool

/// Descriptor for ring size 16 in epoch 7.
private func d(_ seq: UInt64, epoch: UInt64 = 7, nslots: UInt64 = 16) -> FrameDescriptorValue {
    FrameDescriptorValue(epoch: epoch, seq: seq, headerIndex: UInt32(seq & (nslots - 1)))
}

private func mappedAdmission(_ settings: ConsumerModeSettings = ConsumerModeSettings()) -> FrameAdmission {
    var a = FrameAdmission(settings: settings)
    a.mapped(epoch: 7, headerNslots: 16)
    return a
}

@Suite struct FrameAdmissionTests {
    @Test func unmappedDropsEverything() {
        var a = FrameAdmission()
        #expect(a.offer(d(0), nowNs: 0) == .drop(.unmapped))
        #expect(a.counters.unmapped == 1)
        #expect(a.counters.descriptorsSeen == 1)
        #expect(a.lastSeqSeen == nil)
    }

    @Test func epochMismatchIsDroppedAndDoesNotTouchSequenceTracking() {
        var a = mappedAdmission()
        #expect(a.offer(d(5), nowNs: 0) == .read)
        #expect(a.offer(d(100, epoch: 8), nowNs: 0) == .drop(.epochMismatch))
        #expect(a.offer(d(3, epoch: 6), nowNs: 0) == .drop(.epochMismatch))
        #expect(a.counters.epochMismatch == 2)
        #expect(a.lastSeqSeen == 5)
        #expect(a.counters.dropsGap == 0)
    }

    @Test(arguments: [
        (UInt64(3), UInt32(16), DropReason.headerIndexOutOfRange),
        (UInt64(3), UInt32(99), DropReason.headerIndexOutOfRange),
        (UInt64(3), UInt32(4), DropReason.headerIndexMismatch),
        (UInt64(19), UInt32(2), DropReason.headerIndexMismatch),
    ])
    func headerIndexChecks(seq: UInt64, index: UInt32, reason: DropReason) {
        var a = mappedAdmission()
        #expect(a.offer(FrameDescriptorValue(epoch: 7, seq: seq, headerIndex: index), nowNs: 0) == .drop(reason))
        #expect(a.counters[reason] == 1)
    }

    @Test func streamReadsEveryDescriptorAndCountsGaps() {
        var a = mappedAdmission()
        for seq: UInt64 in [0, 1, 2, 5, 6, 10] {
            #expect(a.offer(d(seq), nowNs: seq) == .read)
            a.recordRead(seq: seq, outcome: .accepted, nowNs: seq)
        }
        #expect(a.counters.dropsGap == 2 + 3)
        #expect(a.counters.framesDelivered == 6)
        #expect(a.lastSeqSeen == 10)
        #expect(a.counters.resyncs == 0)
    }

    @Test func firstDescriptorIsNotAGapEvenIfLate() {
        var a = mappedAdmission()
        #expect(a.offer(d(1_000), nowNs: 0) == .read)
        #expect(a.counters.dropsGap == 0)
    }

    @Test func duplicateIsDroppedRegressionRequiresRemap() {
        var a = mappedAdmission()
        #expect(a.offer(d(10), nowNs: 0) == .read)
        #expect(a.offer(d(10), nowNs: 0) == .drop(.duplicate))
        #expect(a.offer(d(9), nowNs: 0) == .remapRequired)
        #expect(a.counters.seqRegressions == 1)
        #expect(a.counters.duplicate == 1)
        #expect(a.lastSeqSeen == 10)
    }

    @Test func remapResetsSequenceTrackingButKeepsCounters() {
        var a = mappedAdmission()
        _ = a.offer(d(10), nowNs: 0)
        _ = a.offer(d(12), nowNs: 0)
        a.unmapped()
        #expect(a.offer(d(13), nowNs: 0) == .drop(.unmapped))
        a.mapped(epoch: 8, headerNslots: 16)
        #expect(a.offer(d(0, epoch: 8), nowNs: 0) == .read)
        #expect(a.lastSeqSeen == 0)
        #expect(a.counters.dropsGap == 1)
        #expect(a.counters.unmapped == 1)
    }

    @Test func latestCoalescesABatchAndReadsOnlyTheNewest() {
        var a = mappedAdmission(ConsumerModeSettings(mode: .latest))
        for seq: UInt64 in 0..<5 { #expect(a.offer(d(seq), nowNs: 100) == .held) }
        #expect(a.hasPending)
        let latest = a.takeLatest(nowNs: 100)
        #expect(latest == d(4))
        #expect(a.takeLatest(nowNs: 100) == nil)
        #expect(a.counters.latestSuperseded == 4)
        #expect(a.counters.dropsGap == 0)
        #expect(a.counters.dropsLate == 0)
        a.recordRead(seq: 4, outcome: .accepted, nowNs: 100)
        #expect(a.counters.framesDelivered == 1)
    }

    @Test func latestWithRateLimitKeepsPendingUntilAllowed() {
        var a = mappedAdmission(ConsumerModeSettings(mode: .latest, maxRateHz: 10)) // 100 ms
        _ = a.offer(d(0), nowNs: 0)
        let first = a.takeLatest(nowNs: 0)
        #expect(first == d(0))
        a.recordRead(seq: 0, outcome: .accepted, nowNs: 0)
        _ = a.offer(d(1), nowNs: 50_000_000)
        #expect(a.takeLatest(nowNs: 50_000_000) == nil)
        _ = a.offer(d(2), nowNs: 60_000_000)
        #expect(a.takeLatest(nowNs: 99_999_999) == nil)
        #expect(a.takeLatest(nowNs: 100_000_000) == d(2))
        #expect(a.counters.latestSuperseded == 1)
    }

    @Test(arguments: [
        // (decimation, sequence offered, delivered)
        (UInt16(1), Array(UInt64(0)..<6), Array(UInt64(0)..<6)),
        (UInt16(2), Array(UInt64(0)..<7), [0, 2, 4, 6]),
        (UInt16(3), Array(UInt64(0)..<10), [0, 3, 6, 9]),
        (UInt16(3), [0, 1, 4, 5, 6, 7, 8], [0, 4, 7]),
        (UInt16(100), Array(UInt64(5)..<20), [5]),
    ] as [(UInt16, [UInt64], [UInt64])])
    func decimatedDeliversEveryNthBySequence(decimation: UInt16, offered: [UInt64], expected: [UInt64]) {
        var a = mappedAdmission(ConsumerModeSettings(mode: .decimated, decimation: decimation))
        var delivered: [UInt64] = []
        for seq in offered {
            if a.offer(d(seq), nowNs: 0) == .read {
                delivered.append(seq)
                a.recordRead(seq: seq, outcome: .accepted, nowNs: 0)
            }
        }
        #expect(delivered == expected)
        #expect(a.counters.decimated == UInt64(offered.count - expected.count))
    }

    @Test func decimatedFailedReadDoesNotCostNFrames() {
        var a = mappedAdmission(ConsumerModeSettings(mode: .decimated, decimation: 4))
        #expect(a.offer(d(0), nowNs: 0) == .read)
        a.recordRead(seq: 0, outcome: .accepted, nowNs: 0)
        #expect(a.offer(d(4), nowNs: 0) == .read)
        a.recordRead(seq: 4, outcome: .dropped(.torn), nowNs: 0)
        #expect(a.offer(d(5), nowNs: 0) == .read)
        #expect(a.counters.torn == 1)
        #expect(a.counters.dropsLate == 1)
    }

    @Test func rateLimitInStreamMode() {
        var a = mappedAdmission(ConsumerModeSettings(mode: .stream, maxRateHz: 1000)) // 1 ms
        var delivered: [UInt64] = []
        for seq: UInt64 in 0..<10 {
            let now = seq * 400_000 // 0.4 ms apart
            if a.offer(d(seq), nowNs: now) == .read {
                delivered.append(seq)
                a.recordRead(seq: seq, outcome: .accepted, nowNs: now)
            }
        }
        #expect(delivered == [0, 3, 6, 9])
        #expect(a.counters.rateLimited == 6)
    }

    @Test func wireGapLargerThanLimitCountsOneResyncAndRaisesFlagOnce() {
        var a = mappedAdmission(ConsumerModeSettings(maxOutstandingSeqGap: 8))
        _ = a.offer(d(0), nowNs: 0)
        #expect(a.offer(d(5), nowNs: 0) == .read)   // gap 4, within limit
        #expect(a.counters.resyncs == 0)
        #expect(a.offer(d(20), nowNs: 0) == .read)  // gap 14 > 8
        #expect(a.counters.resyncs == 1)
        #expect(a.counters.dropsGap == 4 + 14)
        let firstReport = a.takeResyncReport()
        let secondReport = a.takeResyncReport()
        #expect(firstReport)
        #expect(!secondReport)
    }

    @Test func behindProducerByMoreThanLimitDropsAsResync() {
        var a = mappedAdmission(ConsumerModeSettings(maxOutstandingSeqGap: 10))
        #expect(a.offer(d(0), nowNs: 0) == .read)
        a.observeProducerSeq(100)
        #expect(a.offer(d(1), nowNs: 0) == .drop(.resync))
        #expect(a.offer(d(2), nowNs: 0) == .drop(.resync))
        #expect(a.counters.resyncs == 1)
        #expect(a.counters.resync == 2)
        #expect(a.offer(d(95), nowNs: 0) == .read)    // within 10 of 100: episode over
        a.observeProducerSeq(200)
        #expect(a.offer(d(96), nowNs: 0) == .drop(.resync))
        #expect(a.counters.resyncs == 2)
        #expect(a.counters.dropsLate == 2 + 1)
    }

    @Test func resyncDisabledWithZeroLimit() {
        var a = mappedAdmission(ConsumerModeSettings(maxOutstandingSeqGap: 0))
        _ = a.offer(d(0), nowNs: 0)
        a.observeProducerSeq(1_000_000)
        #expect(a.offer(d(1), nowNs: 0) == .read)
        #expect(a.offer(d(900_000), nowNs: 0) == .read)
        #expect(a.counters.resyncs == 0)
    }

    @Test func modeChangeKeepsHeldLatestFrame() {
        var a = mappedAdmission(ConsumerModeSettings(mode: .latest))
        _ = a.offer(d(0), nowNs: 0)
        _ = a.offer(d(1), nowNs: 0)
        #expect(a.apply(ConsumerModeSettings(mode: .stream)) == nil)
        #expect(a.takeLatest(nowNs: 0) == d(1))
        #expect(a.offer(d(2), nowNs: 0) == .read)
        #expect(a.settings.mode == .stream)
    }

    @Test func invalidSettingsAreRejectedAndNothingChanges() {
        var a = mappedAdmission(ConsumerModeSettings(mode: .stream))
        let error = a.apply(ConsumerModeSettings(mode: .decimated, decimation: 0))
        #expect(error?.contains("decimation") == true)
        #expect(a.settings.mode == .stream)
    }

    @Test func switchToDecimatedRestartsAnchorAtNextDelivery() {
        var a = mappedAdmission()
        for seq: UInt64 in 0..<3 {
            _ = a.offer(d(seq), nowNs: 0)
            a.recordRead(seq: seq, outcome: .accepted, nowNs: 0)
        }
        a.apply(ConsumerModeSettings(mode: .decimated, decimation: 5))
        #expect(a.offer(d(3), nowNs: 0) == .read)
        a.recordRead(seq: 3, outcome: .accepted, nowNs: 0)
        #expect(a.offer(d(4), nowNs: 0) == .drop(.decimated))
        #expect(a.offer(d(8), nowNs: 0) == .read)
    }

    @Test func unmapDiscardsHeldFrame() {
        var a = mappedAdmission(ConsumerModeSettings(mode: .latest))
        _ = a.offer(d(0), nowNs: 0)
        a.unmapped()
        #expect(!a.hasPending)
        #expect(a.counters.inFlightDiscarded == 1)
        #expect(a.takeLatest(nowNs: 0) == nil)
    }

    @Test func dropsLateSumsOnlyLateReasons() {
        var c = ConsumerFrameCounters()
        for reason in DropReason.allCases { c.count(reason) }
        #expect(c.dropsLate == UInt64(DropReason.allCases.filter(\.isLate).count))
        #expect(c.droppedByPolicy == 3)
        for reason in DropReason.allCases { #expect(c[reason] == 1) }
        #expect(!DropReason.latestSuperseded.isLate)
        #expect(DropReason.torn.isLate)
    }
}

@Suite struct ProgressInterestTests {
    @Test func decimatedConsumerIgnoresProgressOfSkippedFrames() {
        var a = FrameAdmission(settings: ConsumerModeSettings(mode: .decimated, decimation: 4))
        #expect(!a.wantsProgress(epoch: 7, frameId: 0))          // unmapped
        a.mapped(epoch: 7, headerNslots: 16)
        #expect(a.wantsProgress(epoch: 7, frameId: 0))           // nothing delivered yet
        #expect(!a.wantsProgress(epoch: 8, frameId: 0))          // other epoch
        _ = a.offer(FrameDescriptorValue(epoch: 7, seq: 0, headerIndex: 0), nowNs: 0)
        a.recordRead(seq: 0, outcome: .accepted, nowNs: 0)
        #expect(!a.wantsProgress(epoch: 7, frameId: 3))
        #expect(a.wantsProgress(epoch: 7, frameId: 4))
        a.apply(ConsumerModeSettings(mode: .stream))
        #expect(a.wantsProgress(epoch: 7, frameId: 1))
    }
}
