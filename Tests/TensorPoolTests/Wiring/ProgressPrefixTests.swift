#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import AeronClient
import MallocCounter
import SBE
import Testing
import TensorPoolCodecs
import TensorPoolCore
@testable import TensorPool

/// Reads the filled prefixes of frames in progress and records what it saw (spec §10.2.2).
struct PrefixRecordingHandler: TensorFrameHandler {
    struct Prefix: Equatable {
        var frameId: UInt64
        var bytes: Int
        var matches: Bool
        var frameAlreadyDelivered: Bool
        var intact: Bool?
    }
    static var readsProgressPrefixes: Bool { true }
    var prefixes: [Prefix] = []
    var refusals: [ProgressPrefixRefusal] = []
    var accepted: [UInt64] = []
    private var pendingFrame: UInt64?

    mutating func onFrame(_ frame: borrowing TensorFrame) { pendingFrame = frame.seq }
    mutating func onFrameCompleted(seq: UInt64, intact: Bool) { if intact { accepted.append(seq) } }
    mutating func onProgressPrefix(_ prefix: borrowing FramePrefix) {
        let matches = prefix.withBytes { SyntheticFramePattern.matches($0, epoch: prefix.progress.epoch, seq: prefix.frameId) }
        prefixes.append(Prefix(frameId: prefix.frameId, bytes: prefix.byteCount, matches: matches,
                               frameAlreadyDelivered: accepted.contains(prefix.frameId), intact: nil))
    }
    mutating func onProgressPrefixCompleted(frameId: UInt64, intact: Bool) {
        if let last = prefixes.indices.last, prefixes[last].frameId == frameId { prefixes[last].intact = intact }
    }
    mutating func onProgressPrefixRefused(_ progress: FrameProgressUpdate, reason: ProgressPrefixRefusal) {
        refusals.append(reason)
    }
}

/// Counts prefixes without allocating (the malloc-counting test's handler).
struct PrefixCountingHandler: TensorFrameHandler {
    static var readsProgressPrefixes: Bool { true }
    var intact = 0
    var mismatched = 0
    var refused = 0
    private var lastOK = false
    mutating func onFrame(_ frame: borrowing TensorFrame) {}
    mutating func onProgressPrefix(_ prefix: borrowing FramePrefix) {
        lastOK = prefix.withBytes { SyntheticFramePattern.matches($0, epoch: prefix.progress.epoch, seq: prefix.frameId) }
    }
    mutating func onProgressPrefixCompleted(frameId: UInt64, intact: Bool) {
        if intact && lastOK { self.intact += 1 } else { mismatched += 1 }
    }
    mutating func onProgressPrefixRefused(_ progress: FrameProgressUpdate, reason: ProgressPrefixRefusal) { refused += 1 }
}

@Suite struct ProgressPrefixTests {
    typealias Consumer = TensorPoolConsumer<PrefixRecordingHandler>

    static func makeConsumer<H: TensorFrameHandler>(_ env: WiringTestEnvironment, id: UInt32, handler: H,
                                                    mode: ConsumerMode = .stream, decimation: UInt16 = 1) throws -> TensorPoolConsumer<H> {
        var config = env.consumerConfiguration(consumerId: id, mode: mode, decimation: decimation)
        config.supportsProgress = true
        config.progressIntervalUs = 100
        config.progressBytesDelta = 1024
        return try TensorPoolConsumer(configuration: config, aeron: env.aeron, handler: handler, options: env.consumerOptions)
    }

    /// Polls `consumer` until `done`.
    static func drain<H>(_ env: WiringTestEnvironment, _ consumer: TensorPoolConsumer<H>, until done: () -> Bool) throws -> Bool {
        try env.pump(until: done) { now in _ = try consumer.doWork(nowNs: now) }
    }

    /// A producer stages a 2-D layout at claim and fills the frame in four steps; the consumer reads each filled
    /// prefix through the real control plane while the slot is still WRITING, then the committed frame.
    @Test func aHandlerReadsIntactPrefixesDuringAClaimedFrame() throws {
        let env = try WiringTestEnvironment("prefix-wiring")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(), aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        let consumer = try Self.makeConsumer(env, id: 61, handler: PrefixRecordingHandler())
        defer { consumer.close() }
        try ProducerConsumerTests.connect(env, producer, [consumer]) { [consumer.mappedEpoch] }
        #expect(producer.progressWanted)

        let layout = TensorLayout(dtype: .uint16, shape: [64, 256])       // 64 rows of 512 bytes
        let size = layout.contiguousByteCount
        var t = TensorPoolClock.monotonicNs()
        let claim = try #require(producer.claim(byteCount: size, layout: layout, nowNs: t))   // staged, then STARTED
        #expect(claim.hasStagedLayout)
        var expected: [Int] = [0]
        #expect(try Self.drain(env, consumer) { consumer.handler.prefixes.count == 1 })
        for step in 1...3 {
            let end = step * size / 4
            SyntheticFramePattern.fill(claim.payload, range: (end - size / 4)..<end, epoch: producer.epoch, seq: claim.seq)
            t += 1_000_000
            producer.reportProgress(claim, bytesFilled: UInt64(end), nowNs: t)
            expected.append(end)
            #expect(try Self.drain(env, consumer) { consumer.handler.prefixes.count == expected.count })
        }
        SyntheticFramePattern.fill(claim.payload, range: (3 * size / 4)..<size, epoch: producer.epoch, seq: claim.seq)
        t += 1_000_000
        #expect(producer.commit(claim, timestampNs: t, nowNs: t) == .published(seq: claim.seq))    // descriptor, COMPLETE
        expected.append(size)
        #expect(try Self.drain(env, consumer) { consumer.handler.prefixes.count == expected.count && consumer.handler.accepted == [claim.seq] })

        let prefixes = consumer.handler.prefixes
        #expect(prefixes.map(\.bytes) == expected)
        #expect(prefixes.allSatisfy { $0.frameId == claim.seq && $0.matches && $0.intact == true })
        // The first four were read before the frame was committed and delivered.
        #expect(prefixes.prefix(4).allSatisfy { !$0.frameAlreadyDelivered })
        #expect(consumer.handler.refusals.isEmpty)
        #expect(consumer.statistics[.prefixReadsIntact] == UInt64(expected.count))
        #expect(consumer.statistics[.prefixReadsTorn] == 0)
    }

    /// Progress of a claim made without a layout cannot be read (no staged header); commits of staged claims keep
    /// the staged layout.
    @Test func unstagedClaimsAreRefusedAndStagedLayoutsCannotChange() throws {
        let env = try WiringTestEnvironment("prefix-unstaged")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(), aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        let consumer = try Self.makeConsumer(env, id: 62, handler: PrefixRecordingHandler())
        defer { consumer.close() }
        try ProducerConsumerTests.connect(env, producer, [consumer]) { [consumer.mappedEpoch] }

        let layout = TensorLayout(dtype: .uint8, shape: [8192])
        let t = TensorPoolClock.monotonicNs()
        // Frame 0 first: a never-written slot's zeroed header has frame_id 0, so an unstaged frame 0 would be refused
        // as an invalid header (ndims 0) rather than as not staged.
        let first = try #require(producer.claim(byteCount: 8192, layout: layout, nowNs: t))
        SyntheticFramePattern.fill(first.payload, count: 8192, epoch: producer.epoch, seq: first.seq)
        #expect(producer.commit(first, timestampNs: t, nowNs: t) == .published(seq: 0))
        #expect(try Self.drain(env, consumer) { consumer.handler.accepted == [0] && consumer.handler.prefixes.count == 2 })
        let plain = try #require(producer.claim(byteCount: 8192, nowNs: t))                       // STARTED, no header
        #expect(!plain.hasStagedLayout)
        #expect(producer.commit(plain, timestampNs: t, nowNs: t) == .dropped(.noStagedLayout))
        #expect(try Self.drain(env, consumer) { consumer.handler.refusals.count == 1 })
        guard case .slot(.headerNotStaged) = consumer.handler.refusals[0] else {
            Issue.record("expected headerNotStaged, got \(consumer.handler.refusals)")
            return
        }
        #expect(consumer.statistics[.prefixRefusedNotStaged] == 1)
        SyntheticFramePattern.fill(plain.payload, count: 8192, epoch: producer.epoch, seq: plain.seq)
        #expect(producer.commit(plain, layout: layout, valuesLength: 8192, timestampNs: t, nowNs: t) == .published(seq: plain.seq))

        let staged = try #require(producer.claim(byteCount: 8192, layout: layout, nowNs: t))
        SyntheticFramePattern.fill(staged.payload, count: 8192, epoch: producer.epoch, seq: staged.seq)
        let other = TensorLayout(dtype: .uint8, shape: [64, 128])
        #expect(producer.commit(staged, layout: other, valuesLength: 8192, timestampNs: t, nowNs: t) == .dropped(.stagedLayoutMismatch))
        #expect(producer.commit(staged, layout: layout, valuesLength: 4096, timestampNs: t, nowNs: t) == .dropped(.stagedLayoutMismatch))
        #expect(producer.claimsInFlight == 1)                                                     // still open
        // The same layout through the layout-taking commit is accepted.
        #expect(producer.commit(staged, layout: layout, valuesLength: 8192, timestampNs: t, nowNs: t) == .published(seq: staged.seq))
        // A layout that does not describe the claimed bytes is refused at claim, and its seq becomes a gap.
        let invalidBefore = producer.statistics[.invalidLayoutDrops]
        #expect(producer.claim(byteCount: 100, layout: layout, nowNs: t) == nil)
        #expect(producer.statistics[.invalidLayoutDrops] == invalidBefore + 1)
        #expect(producer.claimsInFlight == 0)
        #expect(try Self.drain(env, consumer) { consumer.handler.accepted.count == 3 })
        #expect(consumer.handler.prefixes.allSatisfy { $0.matches && $0.intact == true })
    }

    /// Hand-made FrameProgress on the descriptor stream: filled beyond the slot, header index out of range, another
    /// epoch, a frame whose slot was reclaimed. Each is refused, counted and reported; nothing traps.
    @Test func hostileAndStaleProgressIsRefusedAndCounted() throws {
        let env = try WiringTestEnvironment("prefix-hostile")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(), aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        let consumer = try Self.makeConsumer(env, id: 63, handler: PrefixRecordingHandler())
        defer { consumer.close() }
        try ProducerConsumerTests.connect(env, producer, [consumer]) { [consumer.mappedEpoch] }

        let layout = TensorLayout(dtype: .uint8, shape: [4096])
        let t = TensorPoolClock.monotonicNs()
        let claim = try #require(producer.claim(byteCount: 4096, layout: layout, nowNs: t))
        #expect(try Self.drain(env, consumer) { consumer.handler.prefixes.count == 1 })          // STARTED, 0 bytes
        let epoch = producer.epoch
        let nslots = env.producerConfiguration().headerNslots
        let send: (UInt64, UInt64, UInt32, UInt64) -> Void = { epoch, frameId, index, filled in
            producer.controlPlane.sendFrameProgress(streamId: producer.configuration.streamId, epoch: epoch, frameId: frameId,
                                                    headerIndex: index, payloadBytesFilled: filled, state: .progress, rowsFilled: nil)
        }
        send(epoch, claim.seq, claim.headerIndex, 4097)                    // beyond values_len_bytes
        send(epoch, claim.seq, claim.headerIndex, .max)                    // beyond anything
        send(epoch, claim.seq, nslots, 16)                                 // header_index out of range
        send(epoch, claim.seq, .max, 16)
        send(epoch &+ 1, claim.seq, claim.headerIndex, 16)                 // another epoch
        send(epoch, claim.seq &+ UInt64(nslots), claim.headerIndex, 16)    // a frame the slot has not reached
        #expect(try Self.drain(env, consumer) { consumer.handler.refusals.count == 6 })
        let s = consumer.statistics
        #expect(s[.prefixRefusedInvalid] == 2)
        #expect(s[.prefixRefusedSlot] == 3)
        #expect(s[.prefixRefusedEpoch] == 1)
        #expect(consumer.handler.refusals.contains(.otherEpoch(epoch &+ 1)))
        #expect(consumer.handler.refusals.contains(.slot(.filledBeyondPayload(filled: 4097, valuesLenBytes: 4096))))

        // Commit, then reclaim the same slot: a late update of the first frame is refused as such.
        SyntheticFramePattern.fill(claim.payload, count: 4096, epoch: epoch, seq: claim.seq)
        #expect(producer.commit(claim, timestampNs: t, nowNs: t).seq == claim.seq)
        for _ in 1..<nslots {
            let c = try #require(producer.claim(byteCount: 4096, layout: layout, nowNs: t))
            SyntheticFramePattern.fill(c.payload, count: 4096, epoch: epoch, seq: c.seq)
            #expect(producer.commit(c, timestampNs: t, nowNs: t).seq != nil)
        }
        // Every STARTED and COMPLETE of those frames read before the slot is reclaimed (2 per frame).
        #expect(try Self.drain(env, consumer) { consumer.handler.prefixes.count == 2 * Int(nslots) && consumer.handler.accepted.count == Int(nslots) })
        let lapping = try #require(producer.claim(byteCount: 4096, layout: layout, nowNs: t))
        #expect(lapping.headerIndex == claim.headerIndex)
        let refusedBefore = consumer.handler.refusals.count
        send(epoch, claim.seq, claim.headerIndex, 4096)
        #expect(try Self.drain(env, consumer) { consumer.handler.refusals.count == refusedBefore + 1 })
        #expect(consumer.handler.refusals.last == .slot(.slotHoldsOtherFrame(found: lapping.seq)))
        producer.abort(lapping)
        #expect(consumer.handler.prefixes.allSatisfy { $0.matches && $0.intact == true })
    }

    /// A DECIMATED consumer does not read prefixes of frames it will not take.
    @Test func decimatedConsumersSkipProgressOfFramesTheyWillNotTake() throws {
        let env = try WiringTestEnvironment("prefix-decimated")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(), aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        let consumer = try Self.makeConsumer(env, id: 64, handler: PrefixRecordingHandler(), mode: .decimated, decimation: 4)
        defer { consumer.close() }
        try ProducerConsumerTests.connect(env, producer, [consumer]) { [consumer.mappedEpoch] }
        let layout = TensorLayout(dtype: .uint8, shape: [4096])
        var t = TensorPoolClock.monotonicNs()
        for _ in 0..<8 {
            let c = try #require(producer.claim(byteCount: 4096, layout: layout, nowNs: t))
            SyntheticFramePattern.fill(c.payload, count: 4096, epoch: producer.epoch, seq: c.seq)
            t += 1_000_000
            #expect(producer.commit(c, timestampNs: t, nowNs: t).seq == c.seq)
            #expect(try Self.drain(env, consumer) { consumer.frameCounters.descriptorsSeen == c.seq + 1 })
        }
        #expect(try Self.drain(env, consumer) { consumer.statistics[.progressDelivered] + consumer.statistics[.progressSkipped] == 16 })
        // Frames 0 and 4 are taken: only their STARTED is followed. Progress of frames 1-3 and 5-7 (STARTED and
        // COMPLETE) and the COMPLETE of frames already delivered are skipped.
        #expect(consumer.handler.accepted == [0, 4])
        #expect(consumer.handler.prefixes.map(\.frameId) == [0, 4])
        #expect(consumer.statistics[.progressSkipped] == 14)
    }

    /// Consumer poll + prefix read of a frame in progress allocates nothing after warm-up.
    @Test func prefixPathAllocatesNothing() throws {
        let env = try WiringTestEnvironment("prefix-alloc")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(nslots: 64), aeron: env.aeron,
                                              options: env.producerOptions)
        defer { producer.close() }
        let consumer = try Self.makeConsumer(env, id: 65, handler: PrefixCountingHandler())
        defer { consumer.close() }
        try ProducerConsumerTests.connect(env, producer, [consumer]) { [consumer.mappedEpoch] }
        let layout = TensorLayout(dtype: .uint8, shape: [65536])
        let size = 65536
        let now = TensorPoolClock.monotonicNs()
        var t = now

        // One frame per call: staged claim, 8 filled steps each followed by a consumer poll until its prefix is read.
        func frame() throws -> Bool {
            guard let claim = producer.claim(byteCount: size, layout: layout, nowNs: t) else { return false }
            var ok = true
            for step in 1...8 {
                let end = step * size / 8
                SyntheticFramePattern.fill(claim.payload, range: (end - size / 8)..<end, epoch: producer.epoch, seq: claim.seq)
                t += 1_000_000
                let target = consumer.handler.intact + consumer.handler.mismatched + 1
                producer.reportProgress(claim, bytesFilled: UInt64(end), nowNs: t)
                var spins = 0
                while consumer.handler.intact + consumer.handler.mismatched < target && spins < 1_000_000 {
                    _ = try consumer.doWork(nowNs: now)
                    spins += 1
                }
                ok = ok && spins < 1_000_000
            }
            ok = producer.commit(claim, timestampNs: t, nowNs: t).seq != nil && ok
            for _ in 0..<100 { _ = try consumer.doWork(nowNs: now) }
            return ok
        }
        for _ in 0..<20 { #expect(try frame()) }
        let before = malloc_counter_thread_allocations()
        var failures = 0
        for _ in 0..<200 where !(try frame()) { failures += 1 }
        let allocations = malloc_counter_thread_allocations() - before
        #expect(failures == 0)
        #expect(allocations == 0, "\(allocations) allocations over 200 frames of 8 prefix reads")
        #expect(consumer.handler.mismatched == 0)
        #expect(consumer.handler.refused == 0)
        #expect(consumer.handler.intact >= 220 * 8)
    }
}
