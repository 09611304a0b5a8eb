import Testing
@testable import TensorPool

private let s: UInt64 = 1_000_000_000

private func qos(seq: UInt64, gap: UInt64 = 0, mode: ConsumerMode = .stream) -> QosConsumerReport {
    QosConsumerReport(streamId: 1, consumerId: 1, epoch: 1, lastSeqSeen: seq, dropsGap: gap, dropsLate: 0, mode: mode)
}

private let stream = ConsumerConfigCommand(streamId: 1, consumerId: 1, useShm: true, mode: .stream, decimation: 1)
private let latest = ConsumerConfigCommand(streamId: 1, consumerId: 1, useShm: true, mode: .latest, decimation: 1)

/// A consumer demoted from STREAM is probed back into STREAM after the restore delay (spec §10.5 policy).
@Suite struct SupervisorRestoreTests {
    /// 2 s windows, demote above 10 % drops, probe after 10 s, at most 30 s.
    static func registry(restoreAfterNs: UInt64 = 10 * s, maxRestoreAfterNs: UInt64 = 30 * s) -> SupervisorRegistry {
        SupervisorRegistry(parameters: .init(
            announceCadenceNs: s, qosCadenceNs: s, staleMultiple: 3, expiredMultiple: 100,
            policy: DropRatePolicy(windowNs: 2 * s, maxDropFraction: 0.1, minFrames: 10, action: .latest,
                                   restoreAfterNs: restoreAfterNs, maxRestoreAfterNs: maxRestoreAfterNs)))
    }

    /// Reports every second from `from` to `to` (inclusive) with `framesPerS` frames and `dropsPerS` drops.
    static func feed(_ r: SupervisorRegistry, from: UInt64, to: UInt64, seq: inout UInt64, gap: inout UInt64,
                     framesPerS: UInt64 = 100, dropsPerS: UInt64 = 0, mode: ConsumerMode) {
        for t in from...to {
            seq += framesPerS
            gap += dropsPerS
            r.onQosConsumer(qos(seq: seq, gap: gap, mode: mode), session: 1, nowNs: t * s)
        }
    }

    /// Demotes the consumer at t = 2 s; returns the counters reached.
    static func demote(_ r: SupervisorRegistry) -> (seq: UInt64, gap: UInt64) {
        var seq: UInt64 = 0, gap: UInt64 = 0
        feed(r, from: 0, to: 2, seq: &seq, gap: &gap, dropsPerS: 30, mode: .stream)
        #expect(r.drainCommands() == [latest])
        return (seq, gap)
    }

    @Test func cleanProbeRestoresStreamForGood() throws {
        let r = Self.registry()
        var (seq, gap) = Self.demote(r)
        #expect(r.consumers[ConsumerKey(streamId: 1, consumerId: 1)]?.demotion?.probeDueNs == 12 * s)
        // Demoted and quiet in LATEST: nothing until the delay has passed.
        Self.feed(r, from: 3, to: 11, seq: &seq, gap: &gap, mode: .latest)
        #expect(r.drainCommands().isEmpty)
        Self.feed(r, from: 12, to: 12, seq: &seq, gap: &gap, mode: .latest)
        #expect(r.drainCommands() == [stream])
        // The consumer switched; a clean STREAM window ends the demotion.
        Self.feed(r, from: 13, to: 20, seq: &seq, gap: &gap, mode: .stream)
        #expect(r.drainCommands().isEmpty)
        #expect(r.consumers[ConsumerKey(streamId: 1, consumerId: 1)]?.demotion == nil)
        // Much later, still STREAM and healthy: no more commands.
        Self.feed(r, from: 21, to: 80, seq: &seq, gap: &gap, mode: .stream)
        #expect(r.drainCommands().isEmpty)
    }

    @Test func failedProbeDemotesAgainAndDoublesTheDelayUpToTheCap() throws {
        let r = Self.registry()
        let key = ConsumerKey(streamId: 1, consumerId: 1)
        var (seq, gap) = Self.demote(r)
        Self.feed(r, from: 3, to: 12, seq: &seq, gap: &gap, mode: .latest)
        #expect(r.drainCommands() == [stream])
        // Back in STREAM it drops again: demoted on the first judged window, probe delay now 20 s.
        Self.feed(r, from: 13, to: 15, seq: &seq, gap: &gap, dropsPerS: 30, mode: .stream)
        #expect(r.drainCommands() == [latest])
        let demotion = try #require(r.consumers[key]?.demotion)
        #expect(demotion.failedProbes == 1 && demotion.probeDelayNs == 20 * s)
        let demotedAt = demotion.demotedAtNs / s
        Self.feed(r, from: 16, to: demotedAt + 19, seq: &seq, gap: &gap, mode: .latest)
        #expect(r.drainCommands().isEmpty)
        Self.feed(r, from: demotedAt + 20, to: demotedAt + 20, seq: &seq, gap: &gap, mode: .latest)
        #expect(r.drainCommands() == [stream])
        // Fails again: 40 s would exceed the 30 s cap.
        let t = demotedAt + 21
        Self.feed(r, from: t, to: t + 3, seq: &seq, gap: &gap, dropsPerS: 30, mode: .stream)
        #expect(r.drainCommands() == [latest])
        #expect(r.consumers[key]?.demotion?.probeDelayNs == 30 * s)
        #expect(r.consumers[key]?.demotion?.failedProbes == 2)
    }

    @Test func lostProbeCommandIsResent() {
        let r = Self.registry()
        var (seq, gap) = Self.demote(r)
        Self.feed(r, from: 3, to: 12, seq: &seq, gap: &gap, mode: .latest)
        #expect(r.drainCommands() == [stream])
        // The consumer never applies it: re-sent once per window, not on every report.
        Self.feed(r, from: 13, to: 13, seq: &seq, gap: &gap, mode: .latest)
        #expect(r.drainCommands().isEmpty)
        Self.feed(r, from: 14, to: 14, seq: &seq, gap: &gap, mode: .latest)
        #expect(r.drainCommands() == [stream])
    }

    @Test func zeroDelayNeverRestores() {
        let r = Self.registry(restoreAfterNs: 0, maxRestoreAfterNs: 0)
        var (seq, gap) = Self.demote(r)
        Self.feed(r, from: 3, to: 300, seq: &seq, gap: &gap, mode: .latest)
        #expect(r.drainCommands().isEmpty)
    }

    @Test func consumerDemotedFromAnotherModeIsNotProbedIntoStream() {
        let r = Self.registry()
        var seq: UInt64 = 0, gap: UInt64 = 0
        Self.feed(r, from: 0, to: 2, seq: &seq, gap: &gap, dropsPerS: 30, mode: .decimated)
        #expect(r.drainCommands() == [latest])
        Self.feed(r, from: 3, to: 100, seq: &seq, gap: &gap, mode: .latest)
        #expect(r.drainCommands().isEmpty)
        #expect(r.consumers[ConsumerKey(streamId: 1, consumerId: 1)]?.demotion == nil)
    }

    @Test func restartedConsumerForgetsItsDemotion() {
        let r = Self.registry()
        _ = Self.demote(r)
        // A new process under the same id (counters back to zero, new session).
        r.onQosConsumer(qos(seq: 1), session: 2, nowNs: 3 * s)
        #expect(r.consumers[ConsumerKey(streamId: 1, consumerId: 1)]?.demotion == nil)
    }

    @Test func delayDoublingSaturates() {
        var d = ConsumerDemotion(demotedAtNs: 0, probeDelayNs: UInt64.max / 2 + 1)
        d.probing = true
        d.probeFailed(nowNs: 5, maxDelayNs: UInt64.max)
        #expect(d.probeDelayNs == UInt64.max && d.demotedAtNs == 5 && !d.probing)
        #expect(d.probeDueNs == UInt64.max)   // saturates: an overflowing delay must not make the probe due at once
    }
}
