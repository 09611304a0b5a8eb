import Testing
@testable import TensorPool

/// SplitMix64: deterministic pseudo-random numbers for reproducible scenario tests.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: UInt64) -> UInt64 { next() % n }
}

/// Random descriptor streams (gaps, duplicates, other epochs, bad indexes, torn reads, mode changes)
/// checked against accounting invariants that must hold whatever happens.
@Suite struct FrameAdmissionInvariantTests {
    @Test(arguments: [UInt64(1), 2, 3, 42, 1_000])
    func accountingInvariants(seed: UInt64) {
        var rng = SplitMix64(state: seed)
        let modes: [ConsumerModeSettings] = [
            ConsumerModeSettings(mode: .stream), ConsumerModeSettings(mode: .latest),
            ConsumerModeSettings(mode: .decimated, decimation: 3), ConsumerModeSettings(mode: .stream, maxRateHz: 2_000, maxOutstandingSeqGap: 16),
        ]
        var a = FrameAdmission(settings: modes[Int(seed % 4)])
        a.mapped(epoch: 1, headerNslots: 16)
        var seq: UInt64 = 0
        var expectedGap: UInt64 = 0
        var lastSeen: UInt64?
        var outcomes = (read: UInt64(0), held: UInt64(0), drop: UInt64(0), remap: UInt64(0))
        var reads: UInt64 = 0
        var readFailures: UInt64 = 0
        var now: UInt64 = 0
        for _ in 0..<20_000 {
            now += rng.below(1_000_000)
            let roll = rng.below(100)
            var d = FrameDescriptorValue(epoch: 1, seq: seq, headerIndex: UInt32(seq & 15))
            switch roll {
            case 0..<5: d.epoch = 2                                   // other epoch
            case 5..<7: d.headerIndex = UInt32(16 + rng.below(10))    // out of range
            case 7..<9: if seq > 0 { d.seq = seq - 1; d.headerIndex = UInt32(d.seq & 15) }   // duplicate
            case 9: if seq > 1 { d.seq = seq - 2; d.headerIndex = UInt32(d.seq & 15) }        // regression
            case 10..<20:
                let skip = 1 + rng.below(40)                          // gap
                seq += skip
                d.seq = seq; d.headerIndex = UInt32(seq & 15)
            default: break
            }
            if roll == 99 { a.apply(modes[Int(rng.below(4))]) }
            if roll == 98 { a.observeProducerSeq(seq + rng.below(64)) }
            let decision = a.offer(d, nowNs: now)
            switch decision {
            case .read:
                outcomes.read += 1
                reads += 1
                let torn = rng.below(10) == 0
                a.recordRead(seq: d.seq, outcome: torn ? .dropped(.torn) : .accepted, nowNs: now)
                if torn { readFailures += 1 }
            case .held: outcomes.held += 1
            case .drop: outcomes.drop += 1
            case .remapRequired: outcomes.remap += 1
            }
            if decision != .drop(.epochMismatch) && decision != .drop(.headerIndexOutOfRange) && decision != .drop(.headerIndexMismatch)
                && decision != .drop(.duplicate) && decision != .remapRequired {
                if let last = lastSeen, d.seq > last + 1 { expectedGap += d.seq - last - 1 }
                if lastSeen.map({ d.seq > $0 }) ?? true { lastSeen = d.seq }
            }
            if rng.below(4) == 0, let latest = a.takeLatest(nowNs: now) {
                reads += 1
                a.recordRead(seq: latest.seq, outcome: .accepted, nowNs: now)
            }
            if d.seq == seq { seq += 1 }
        }
        let c = a.counters
        // Every descriptor got exactly one decision.
        #expect(c.descriptorsSeen == outcomes.read + outcomes.held + outcomes.drop + outcomes.remap)
        // Every decision-time drop is counted under exactly one reason (read failures are counted separately).
        let decisionDrops = DropReason.allCases.filter { ![.torn, .latestSuperseded, .inFlightDiscarded].contains($0) }.map { c[$0] }.reduce(0, +)
        #expect(decisionDrops == outcomes.drop)
        // Every read ends as delivered or as a read failure.
        #expect(c.framesDelivered + c.torn == reads)
        #expect(c.torn == readFailures)
        // Every held LATEST frame is read, superseded or still pending.
        let pending: UInt64 = a.hasPending ? 1 : 0
        #expect(outcomes.held == c.latestSuperseded + (reads - outcomes.read) + pending)
        // Gap accounting equals the missing sequence numbers among accepted-for-tracking descriptors.
        #expect(c.dropsGap == expectedGap)
        #expect(c.seqRegressions == outcomes.remap)
        #expect(a.lastSeqSeen == lastSeen)
        #expect(outcomes.remap > 0 && outcomes.drop > 0 && reads > 0)
    }
}
