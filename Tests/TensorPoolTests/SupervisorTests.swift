import Testing
@testable import TensorPool

private let s: UInt64 = 1_000_000_000

@Suite struct LivenessTrackerTests {
    @Test(arguments: [
        (UInt64(0), LivenessState.live), (3 * s, .live), (3 * s + 1, .stale), (10 * s, .stale), (10 * s + 1, .expired),
    ])
    func states(age: UInt64, expected: LivenessState) {
        var t = LivenessTracker(cadenceNs: s, staleMultiple: 3, expiredMultiple: 10)
        t.observe(nowNs: 100)
        #expect(t.state(nowNs: 100 + age) == expected)
    }

    @Test func neverSeenIsExpiredAndOutOfOrderIgnored() {
        var t = LivenessTracker(cadenceNs: s, staleMultiple: 3, expiredMultiple: 1)
        #expect(t.state(nowNs: 0) == .expired)
        #expect(t.expiredMultiple == 3)
        t.observe(nowNs: 50)
        t.observe(nowNs: 10)
        #expect(t.lastSeenNs == 50)
        #expect(t.ageNs(nowNs: 0) == 0)
        #expect(LivenessTracker.window(UInt64.max, 3) == UInt64.max)
    }
}

@Suite struct DropRatePolicyTests {
    @Test(arguments: [
        // frames, drops, reported mode, expected mode
        (UInt64(100), UInt64(0), ConsumerMode.stream, ConsumerMode?.none),
        (100, 1, .stream, nil),          // 1% is not > 1%
        (100, 2, .stream, .latest),
        (5, 5, .stream, nil),            // too few frames
        (100, 50, .latest, nil),         // already there
        (100, 50, .decimated, .latest),
    ] as [(UInt64, UInt64, ConsumerMode, ConsumerMode?)])
    func decide(frames: UInt64, drops: UInt64, mode: ConsumerMode, expected: ConsumerMode?) {
        let p = DropRatePolicy(maxDropFraction: 0.01, minFrames: 10, action: .latest)
        #expect(p.decide(framesInWindow: frames, dropsInWindow: drops, reportedMode: mode)?.mode == expected)
    }

    @Test func decimatedActionCarriesDecimationAndDisabledDoesNothing() {
        var p = DropRatePolicy(action: .decimated, decimation: 4)
        let d = p.decide(framesInWindow: 100, dropsInWindow: 50, reportedMode: .stream)
        #expect(d?.mode == .decimated && d?.decimation == 4)
        p.enabled = false
        #expect(p.decide(framesInWindow: 100, dropsInWindow: 50, reportedMode: .stream) == nil)
    }
}

private func qos(_ id: UInt32 = 1, epoch: UInt64 = 1, seq: UInt64, gap: UInt64 = 0, late: UInt64 = 0,
                 mode: ConsumerMode = .stream) -> QosConsumerReport {
    QosConsumerReport(streamId: 1, consumerId: id, epoch: epoch, lastSeqSeen: seq, dropsGap: gap, dropsLate: late, mode: mode)
}

@Suite struct ConsumerQosWindowTests {
    @Test func completesWindowsAndComputesRates() {
        var w = ConsumerQosWindow(windowNs: 2 * s)
        #expect(w.add(qos(seq: 0), nowNs: 0) == nil)
        #expect(w.add(qos(seq: 100, gap: 1), nowNs: s) == nil)
        let c = w.add(qos(seq: 200, gap: 4, late: 6), nowNs: 2 * s)
        #expect(c?.frames == 200)
        #expect(c?.drops == 10)
        #expect(c?.dropsPerSecond == 5)
        #expect(c?.framesPerSecond == 100)
        #expect(c?.dropFraction == 0.05)
        #expect(w.last == c)
    }

    @Test func counterRegressionOrEpochChangeRestartsWindow() {
        var w = ConsumerQosWindow(windowNs: s)
        _ = w.add(qos(seq: 500, gap: 10), nowNs: 0)
        #expect(w.add(qos(seq: 10, gap: 0), nowNs: 2 * s) == nil)
        #expect(w.add(qos(epoch: 2, seq: 20), nowNs: 4 * s) == nil)
        #expect(w.add(qos(epoch: 2, seq: 40), nowNs: 5 * s)?.frames == 20)
    }
}

@Suite struct ConsumerIdentityGuardTests {
    @Test func sessionAlternationIsACollisionASwitchIsARestart() {
        var g = ConsumerIdentityGuard(collisionWindowNs: 3 * s)
        #expect(g.judge(kind: .qos, session: 10, report: nil, nowNs: 0) == .accept)
        #expect(g.judge(kind: .qos, session: 10, report: nil, nowNs: s) == .accept)
        #expect(g.judge(kind: .qos, session: 11, report: nil, nowNs: s + 1) == .restart)      // a new process...
        #expect(g.judge(kind: .qos, session: 11, report: nil, nowNs: 2 * s) == .accept)
        #expect(g.judge(kind: .qos, session: 10, report: nil, nowNs: 2 * s + 1) == .collision) // ...but the old one is alive
        #expect(g.boundSession(.qos) == 11)
        #expect(g.collidingSession == 10)
        #expect(g.isColliding(nowNs: 5 * s + 1))
        #expect(!g.isColliding(nowNs: 5 * s + 2))
        #expect(g.collisions == 1)
        #expect(g.restarts == 1)
    }

    @Test func restartAfterOldSessionFellSilentIsNotACollision() {
        var g = ConsumerIdentityGuard(collisionWindowNs: 3 * s)
        _ = g.judge(kind: .qos, session: 10, report: nil, nowNs: 0)
        #expect(g.judge(kind: .qos, session: 11, report: nil, nowNs: 5 * s) == .restart)
        #expect(g.judge(kind: .qos, session: 12, report: nil, nowNs: 6 * s) == .restart)
        #expect(g.judge(kind: .qos, session: 10, report: nil, nowNs: 10 * s) == .restart)     // 10 silent for > window
        #expect(g.collisions == 0)
    }

    @Test func helloAndQosSessionsAreBoundSeparately() {
        var g = ConsumerIdentityGuard(collisionWindowNs: 3 * s)
        #expect(g.judge(kind: .hello, session: 1, report: nil, nowNs: 0) == .accept)
        #expect(g.judge(kind: .qos, session: 2, report: qos(seq: 1), nowNs: 1) == .accept)
        #expect(g.judge(kind: .hello, session: 1, report: nil, nowNs: s) == .accept)
        #expect(g.judge(kind: .qos, session: 2, report: qos(seq: 2), nowNs: s + 1) == .accept)
        #expect(g.collisions == 0 && g.restarts == 0)
    }

    @Test func counterPatternWithoutSession() {
        var g = ConsumerIdentityGuard(collisionWindowNs: 3 * s)
        // Consumer A at seq ~1000, consumer B at seq ~10, interleaved, same id, unknown sessions.
        #expect(g.judge(kind: .qos, session: nil, report: qos(seq: 1000), nowNs: 0) == .accept)
        #expect(g.judge(kind: .qos, session: nil, report: qos(seq: 1010), nowNs: s) == .accept)
        #expect(g.judge(kind: .qos, session: nil, report: qos(seq: 10), nowNs: s + 1) == .restart)
        #expect(g.judge(kind: .qos, session: nil, report: qos(seq: 1020), nowNs: 2 * s) == .accept)
        #expect(g.judge(kind: .qos, session: nil, report: qos(seq: 20), nowNs: 2 * s + 1) == .collision)
    }

    @Test func singleRestartIsNotACollision() {
        var g = ConsumerIdentityGuard(collisionWindowNs: 3 * s)
        _ = g.judge(kind: .qos, session: nil, report: qos(seq: 1000, gap: 5), nowNs: 0)
        #expect(g.judge(kind: .qos, session: nil, report: qos(seq: 1001, gap: 2), nowNs: s) == .restart)
        #expect(g.judge(kind: .qos, session: nil, report: qos(seq: 1002, gap: 2), nowNs: 2 * s) == .accept)
        #expect(g.judge(kind: .qos, session: nil, report: qos(seq: 1003, gap: 2), nowNs: 3 * s) == .accept)
        // Epoch increase (producer restart) is not a regression.
        #expect(g.judge(kind: .qos, session: nil, report: qos(epoch: 2, seq: 0), nowNs: 4 * s) == .accept)
        #expect(g.collisions == 0)
    }
}

@Suite struct SupervisorRegistryTests {
    let params = SupervisorRegistry.Parameters(announceCadenceNs: s, qosCadenceNs: s, staleMultiple: 3, expiredMultiple: 10,
                                                policy: DropRatePolicy(windowNs: 2 * s, maxDropFraction: 0.1, minFrames: 10, action: .latest))
    let p1 = ProducerKey(streamId: 1, producerId: 1)

    @Test func producerLiveStaleExpiredFromAnyControlSignal() {
        let r = SupervisorRegistry(parameters: params)
        r.onAnnounce(p1, epoch: 5, nowNs: 0)
        r.onHeartbeat(p1, epoch: 5, nowNs: 2 * s)
        r.onQosProducer(p1, epoch: 5, currentSeq: 42, nowNs: 4 * s)
        #expect(r.sweep(nowNs: 7 * s) == [])
        #expect(r.sweep(nowNs: 7 * s + 1) == [.producer(p1, from: .live, to: .stale)])
        #expect(r.sweep(nowNs: 14 * s + 1) == [.producer(p1, from: .stale, to: .expired)])
        r.onAnnounce(p1, epoch: 5, nowNs: 15 * s)
        #expect(r.sweep(nowNs: 15 * s) == [.producer(p1, from: .expired, to: .live)])
        #expect(r.producers[p1]?.currentSeq == 42)
        #expect(r.producers[p1]?.announces == 2)
        #expect(r.producers[p1]?.heartbeats == 1)
    }

    @Test func staleActivityTimestampMakesProducerStaleDespiteAnnounces() {
        let r = SupervisorRegistry(parameters: params)
        r.onAnnounce(p1, epoch: 5, nowNs: 0)
        r.onActivityTimestamp(p1, activityTimestampNs: 123, nowNs: 0)
        for t: UInt64 in 1...5 {
            r.onAnnounce(p1, epoch: 5, nowNs: t * s)
            r.onActivityTimestamp(p1, activityTimestampNs: 123, nowNs: t * s)   // not advancing
        }
        #expect(r.sweep(nowNs: 5 * s) == [.producer(p1, from: .live, to: .stale)])
        r.onActivityTimestamp(p1, activityTimestampNs: 124, nowNs: 5 * s + 1)
        #expect(r.sweep(nowNs: 5 * s + 1) == [.producer(p1, from: .stale, to: .live)])
    }

    @Test func epochChangesAndRegressionsCounted() {
        let r = SupervisorRegistry(parameters: params)
        r.onAnnounce(p1, epoch: 5, nowNs: 0)
        r.onQosProducer(p1, epoch: 5, currentSeq: 9, nowNs: 0)
        r.onAnnounce(p1, epoch: 6, nowNs: 1)
        #expect(r.producers[p1]?.currentSeq == nil)
        r.onAnnounce(p1, epoch: 4, nowNs: 2)
        #expect(r.producers[p1]?.epochChanges == 2)
        #expect(r.producers[p1]?.epochRegressions == 1)
        #expect(r.producers[p1]?.epoch == 4)
    }

    @Test func consumerLivenessAndPurge() {
        let r = SupervisorRegistry(parameters: params)
        let c = ConsumerKey(streamId: 1, consumerId: 7)
        r.onConsumerHello(ConsumerHint(streamId: 1, consumerId: 7, mode: .latest), session: 1, nowNs: 0)
        #expect(r.sweep(nowNs: 3 * s + 1) == [.consumer(c, from: .live, to: .stale)])
        #expect(r.sweep(nowNs: 10 * s + 1) == [.consumer(c, from: .stale, to: .expired)])
        #expect(r.purgeExpired(nowNs: 10 * s + 1) == 1)
        #expect(r.consumers.isEmpty)
    }

    @Test func collisionDataIsIgnoredAndReported() {
        let r = SupervisorRegistry(parameters: params)
        let key = ConsumerKey(streamId: 1, consumerId: 1)
        #expect(r.onQosConsumer(qos(seq: 100, gap: 1), session: 1, nowNs: 0) == .accept)
        #expect(r.onQosConsumer(qos(seq: 5, gap: 99), session: 2, nowNs: 1) == .restart)
        #expect(r.onQosConsumer(qos(seq: 101, gap: 1), session: 1, nowNs: 2) == .collision)
        #expect(r.consumers[key]?.lastReport?.lastSeqSeen == 5)
        let status = r.status(nowNs: 3)
        #expect(status.consumers.first?.colliding == true)
        #expect(status.description.contains("COLLISION"))
        // Session 1 falls silent: after the window the flag clears.
        #expect(r.onQosConsumer(qos(seq: 6, gap: 99), session: 2, nowNs: 10 * s) == .accept)
        #expect(r.status(nowNs: 10 * s).consumers.first?.colliding == false)
    }

    @Test func policyDemotesDroppingConsumerOnce() {
        let r = SupervisorRegistry(parameters: params)
        r.onQosConsumer(qos(seq: 0), session: 1, nowNs: 0)
        r.onQosConsumer(qos(seq: 100, gap: 5), session: 1, nowNs: s)
        r.onQosConsumer(qos(seq: 200, gap: 30), session: 1, nowNs: 2 * s)   // window: 30/200 = 15% > 10%
        let commands = r.drainCommands()
        #expect(commands == [ConsumerConfigCommand(streamId: 1, consumerId: 1, useShm: true, mode: .latest, decimation: 1)])
        #expect(r.drainCommands().isEmpty)
        // Next window still dropping but consumer already switched: no command.
        r.onQosConsumer(qos(seq: 400, gap: 100, mode: .latest), session: 1, nowNs: 4 * s)
        #expect(r.drainCommands().isEmpty)
        #expect(r.status(nowNs: 4 * s).consumers.first?.commandedMode == .latest)
    }

    @Test func policyResendsIfConsumerIgnoredCommandForAWindow() {
        let r = SupervisorRegistry(parameters: params)
        r.onQosConsumer(qos(seq: 0), session: 1, nowNs: 0)
        r.onQosConsumer(qos(seq: 200, gap: 30), session: 1, nowNs: 2 * s)
        #expect(r.drainCommands().count == 1)
        r.onQosConsumer(qos(seq: 400, gap: 60), session: 1, nowNs: 4 * s)
        #expect(r.drainCommands().count == 1)
    }

    @Test func healthyConsumerGetsNoCommand() {
        let r = SupervisorRegistry(parameters: params)
        for t: UInt64 in 0...10 { r.onQosConsumer(qos(seq: t * 100, gap: t), session: 1, nowNs: t * s) }
        #expect(r.drainCommands().isEmpty)
        let status = r.status(nowNs: 10 * s)
        #expect(status.consumers.first?.dropsPerSecond == 1)
        #expect(status.consumers.first?.framesPerSecond == 100)
    }

    @Test func statusIsSortedAndRendered() {
        let r = SupervisorRegistry(parameters: params)
        r.onAnnounce(ProducerKey(streamId: 2, producerId: 1), epoch: 1, nowNs: 0)
        r.onAnnounce(ProducerKey(streamId: 1, producerId: 3), epoch: 1, nowNs: 0)
        r.onConsumerHello(ConsumerHint(streamId: 1, consumerId: 9), session: nil, nowNs: 0)
        let status = r.status(nowNs: 4 * s)
        #expect(status.producers.map(\.key) == [ProducerKey(streamId: 1, producerId: 3), ProducerKey(streamId: 2, producerId: 1)])
        #expect(status.producers.allSatisfy { $0.state == .stale })
        let text = status.description
        #expect(text.contains("producers: 2"))
        #expect(text.contains("consumer=9"))
        #expect(text.contains("state=STALE"))
    }
}

@Suite struct ConsumerIdentitySharedSessionTests {
    /// Concurrent publications of one stream share a session: the counter pattern must still work.
    @Test func interleavedCountersOnASharedSessionAreACollision() {
        var g = ConsumerIdentityGuard(collisionWindowNs: 3 * s)
        func report(_ seq: UInt64) -> QosConsumerReport {
            QosConsumerReport(streamId: 1, consumerId: 1, epoch: 1, lastSeqSeen: seq, dropsGap: 0, dropsLate: 0, mode: .stream)
        }
        #expect(g.judge(kind: .qos, session: 5, report: report(1000), nowNs: 0) == .accept)
        #expect(g.judge(kind: .qos, session: 5, report: report(10), nowNs: 1) == .restart)
        #expect(g.judge(kind: .qos, session: 5, report: report(1001), nowNs: s) == .accept)
        #expect(g.judge(kind: .qos, session: 5, report: report(11), nowNs: s + 1) == .collision)
    }
}
