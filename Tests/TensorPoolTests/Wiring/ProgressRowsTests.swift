#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import AeronClient
import MallocCounter
import Testing
import TensorPoolCore
@testable import TensorPool

/// Reads `rows_filled` rows of frames in progress (spec §10.2.2) and records what it saw: each row checked against
/// the synthetic pattern at its payload offset (`row * pitch`), and the typed view's filled extent.
struct RowRecordingHandler: TensorFrameHandler {
    struct Rows: Equatable {
        var frameId: UInt64
        var rows: Int
        var rowsMatch: Bool
        var tensorMatches: Bool
        var intact: Bool?
    }
    static var readsProgressPrefixes: Bool { true }
    static var readsProgressRows: Bool { true }
    var reads: [Rows] = []
    var refusals: [ProgressPrefixRefusal] = []
    var accepted: [UInt64] = []

    mutating func onFrame(_ frame: borrowing TensorFrame) {}
    mutating func onFrameCompleted(seq: UInt64, intact: Bool) { if intact { accepted.append(seq) } }
    mutating func onProgressPrefix(_ prefix: borrowing FramePrefix) {
        guard let rows = prefix.rows else {
            reads.append(Rows(frameId: prefix.frameId, rows: -1, rowsMatch: false, tensorMatches: false))
            return
        }
        let epoch = prefix.progress.epoch, seq = prefix.frameId
        var rowsMatch = prefix.rowsFilled == rows.count
        for r in 0..<rows.count {
            rowsMatch = rowsMatch && prefix.withRow(r) {
                $0.count == rows.rowBytes && SyntheticFramePattern.matches($0, epoch: epoch, seq: seq, byteOffset: r * rows.pitch)
            }
        }
        // The typed view: dims[0] cut to the filled rows, elements read through the padded pitch.
        let tensorMatches = (try? prefix.withTensor(of: UInt16.self) { view -> Bool in
            guard view.extent(0) == rows.count, view.byteStride(0) == rows.pitch else { return false }
            var ok = true
            for r in 0..<view.extent(0) {
                for c in [0, view.extent(1) - 1] {
                    let offset = r * rows.pitch + c * 2
                    let expected = UInt16(SyntheticFramePattern.byte(epoch: epoch, seq: seq, offset: offset))
                        | UInt16(SyntheticFramePattern.byte(epoch: epoch, seq: seq, offset: offset + 1)) << 8
                    ok = ok && view[r, c] == expected
                }
            }
            return ok
        }) ?? false
        reads.append(Rows(frameId: seq, rows: rows.count, rowsMatch: rowsMatch, tensorMatches: tensorMatches))
    }
    mutating func onProgressPrefixCompleted(frameId: UInt64, intact: Bool) {
        if let last = reads.indices.last, reads[last].frameId == frameId { reads[last].intact = intact }
    }
    mutating func onProgressPrefixRefused(_ progress: FrameProgressUpdate, reason: ProgressPrefixRefusal) {
        refusals.append(reason)
    }
}

/// Checks the first and last filled rows without allocating (the malloc-counting test's handler).
struct RowCountingHandler: TensorFrameHandler {
    static var readsProgressPrefixes: Bool { true }
    static var readsProgressRows: Bool { true }
    var intact = 0
    var mismatched = 0
    var refused = 0
    /// Intact reads of zero rows (each frame's STARTED).
    var empty = 0
    private var lastOK = false
    private var lastEmpty = false
    mutating func onFrame(_ frame: borrowing TensorFrame) {}
    mutating func onProgressPrefix(_ prefix: borrowing FramePrefix) {
        lastEmpty = prefix.rows?.count == 0
        guard let rows = prefix.rows, rows.count > 0 else { lastOK = false; return }
        let epoch = prefix.progress.epoch, seq = prefix.frameId
        let last = rows.count - 1
        lastOK = prefix.withRow(0) { SyntheticFramePattern.matches($0, epoch: epoch, seq: seq, byteOffset: 0) }
            && prefix.withRow(last) { SyntheticFramePattern.matches($0, epoch: epoch, seq: seq, byteOffset: last * rows.pitch) }
    }
    mutating func onProgressPrefixCompleted(frameId: UInt64, intact: Bool) {
        if lastEmpty && intact { empty += 1 } else if intact && lastOK { self.intact += 1 } else { mismatched += 1 }
    }
    mutating func onProgressPrefixRefused(_ progress: FrameProgressUpdate, reason: ProgressPrefixRefusal) { refused += 1 }
}

@Suite struct ProgressRowsTests {
    /// 32 rows of 100 UINT16 pixels (200 bytes) at a 256-byte pitch: a camera with padded lines.
    static let layout = TensorLayout(dtype: .uint16, shape: [32, 100], strides: [256, 0])
    static let pitch = 256, rowBytes = 200, rows = 32

    /// A consumer that supports progress and hints a row delta of 8 (a row reader asks for row updates: the bytes
    /// per 8 rows here are below the producer's 4 KiB byte-delta floor).
    static func makeConsumer<H: TensorFrameHandler>(_ env: WiringTestEnvironment, id: UInt32, handler: H) throws -> TensorPoolConsumer<H> {
        var config = env.consumerConfiguration(consumerId: id)
        config.supportsProgress = true
        config.progressIntervalUs = 100
        config.progressBytesDelta = 1024
        config.progressRowsDelta = 8
        return try TensorPoolConsumer(configuration: config, aeron: env.aeron, handler: handler, options: env.consumerOptions)
    }

    /// Writes rows `range` of the claim with the synthetic pattern at their payload offsets (padding untouched).
    static func fill(rows range: Range<Int>, _ claim: ProducerClaim, epoch: UInt64) {
        for r in range {
            SyntheticFramePattern.fill(claim.payload, range: (r * pitch)..<(r * pitch + rowBytes), epoch: epoch, seq: claim.seq)
        }
    }

    /// A producer stages a padded row-major layout and reports rows; a row-reading consumer reads every filled row
    /// through the real control plane while the slot is WRITING, and a byte-prefix consumer is refused (the layout
    /// makes bytes informational only), both unchanged by the other.
    @Test func aRowReadingHandlerReadsPaddedRowsThroughTheControlPlane() throws {
        let env = try WiringTestEnvironment("rows-wiring")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(), aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        let rowReader = try Self.makeConsumer(env, id: 71, handler: RowRecordingHandler())
        defer { rowReader.close() }
        let byteReader = try Self.makeConsumer(env, id: 72, handler: PrefixRecordingHandler())
        defer { byteReader.close() }
        try ProducerConsumerTests.connect(env, producer, [rowReader, byteReader]) { [rowReader.mappedEpoch, byteReader.mappedEpoch] }
        #expect(producer.progressPolicy.rowsDelta == 8)
        func drain(until done: () -> Bool) throws -> Bool {
            try env.pump(until: done) { now in
                _ = try rowReader.doWork(nowNs: now)
                _ = try byteReader.doWork(nowNs: now)
            }
        }

        let size = Self.rows * Self.pitch
        var t = TensorPoolClock.monotonicNs()
        let claim = try #require(producer.claim(byteCount: size, layout: Self.layout, nowNs: t))   // STARTED, rows 0
        // Padding and rows not yet written are poison: a row read that reached them would not match the pattern.
        claim.payload.baseAddress!.initializeMemory(as: UInt8.self, repeating: 0xAA, count: size)
        #expect(try drain { rowReader.handler.reads.count == 1 && byteReader.handler.refusals.count == 1 })
        for step in 1...3 {
            Self.fill(rows: (step - 1) * 8..<step * 8, claim, epoch: producer.epoch)
            t += 1_000_000
            producer.reportProgress(claim, bytesFilled: UInt64(step * 8 * Self.pitch), rowsFilled: UInt32(step * 8), nowNs: t)
            #expect(try drain { rowReader.handler.reads.count == step + 1 && byteReader.handler.refusals.count == step + 1 })
        }
        Self.fill(rows: 24..<32, claim, epoch: producer.epoch)
        t += 1_000_000
        #expect(producer.commit(claim, timestampNs: t, nowNs: t) == .published(seq: claim.seq))   // COMPLETE: all 32 rows
        #expect(try drain { rowReader.handler.reads.count == 5 && rowReader.handler.accepted == [claim.seq]
                            && byteReader.handler.refusals.count == 5 })

        let reads = rowReader.handler.reads
        #expect(reads.map(\.rows) == [0, 8, 16, 24, 32])
        // STARTED carries rows_filled 0 (a staged row-major layout): an intact, empty row read, not a refused byte
        // prefix of a padded layout.
        #expect(reads.first.map { $0.frameId == claim.seq && $0.rowsMatch && $0.intact == true } == true)
        #expect(reads.dropFirst().allSatisfy { $0.frameId == claim.seq && $0.rowsMatch && $0.tensorMatches && $0.intact == true })
        #expect(rowReader.handler.refusals.isEmpty)
        #expect(rowReader.statistics[.prefixReadsIntact] == 5)
        #expect(rowReader.statistics[.prefixRowReadsIntact] == 5)
        #expect(rowReader.statistics[.prefixRefusedInformational] == 0)
        // The byte-prefix handler ignores rows_filled: every update is informational for it.
        #expect(byteReader.handler.refusals == Array(repeating: .slot(.nonContiguousStrides), count: 5))
        #expect(byteReader.handler.prefixes.isEmpty)
        #expect(byteReader.statistics[.prefixRefusedInformational] == 5)
        #expect(byteReader.statistics[.prefixRowReadsIntact] == 0)
    }

    /// Hand-made updates with hostile row counts, and rows for a column-major frame: refused, counted, no trap.
    @Test func hostileRowCountsAndColumnMajorRowsAreRefusedAndCounted() throws {
        let env = try WiringTestEnvironment("rows-hostile")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(), aeron: env.aeron, options: env.producerOptions)
        defer { producer.close() }
        let consumer = try Self.makeConsumer(env, id: 73, handler: RowRecordingHandler())
        defer { consumer.close() }
        try ProducerConsumerTests.connect(env, producer, [consumer]) { [consumer.mappedEpoch] }
        func drain(until done: () -> Bool) throws -> Bool {
            try env.pump(until: done) { now in _ = try consumer.doWork(nowNs: now) }
        }
        let t = TensorPoolClock.monotonicNs()
        let claim = try #require(producer.claim(byteCount: Self.rows * Self.pitch, layout: Self.layout, nowNs: t))
        #expect(try drain { consumer.handler.reads.count == 1 })                         // STARTED: 0 rows
        #expect(consumer.handler.reads.first?.rows == 0 && consumer.handler.reads.first?.intact == true)
        let send: (UInt64, UInt32, UInt64, UInt32) -> Void = { frameId, index, bytes, rows in
            producer.controlPlane.sendFrameProgress(streamId: producer.configuration.streamId, epoch: producer.epoch,
                                                    frameId: frameId, headerIndex: index, payloadBytesFilled: bytes,
                                                    state: .progress, rowsFilled: rows)
        }
        send(claim.seq, claim.headerIndex, 0, 33)                                         // dims[0] + 1
        send(claim.seq, claim.headerIndex, .max, .max - 1)                               // huge rows and bytes
        send(claim.seq, 1 << 20, 0, 1)                                                    // header_index out of range
        send(claim.seq, claim.headerIndex, .max, 0)                                      // zero rows: bytes informational
        #expect(try drain { consumer.handler.refusals.count == 3 && consumer.handler.reads.count == 2 })
        #expect(consumer.handler.refusals == [.slot(.rowsFilledBeyondDims(rowsFilled: 33, rows: 32)),
                                                          .slot(.rowsFilledBeyondDims(rowsFilled: .max - 1, rows: 32)),
                                                          .slot(.headerIndexOutOfRange(1 << 20))])
        #expect(consumer.handler.reads.last?.rows == 0 && consumer.handler.reads.last?.intact == true)
        #expect(consumer.statistics[.prefixRefusedInvalid] == 2)
        #expect(consumer.statistics[.prefixRefusedSlot] == 1)
        producer.abort(claim)

        // Column-major (contiguous) frame whose updates carry rows: rows are not readable for it.
        let columns = TensorLayout(dtype: .uint8, shape: [64, 64], majorOrder: .column)
        let c = try #require(producer.claim(byteCount: 4096, layout: columns, nowNs: t))
        // STARTED carries no rows (no row layout): read as a (contiguous, empty) byte prefix, `rows == nil`.
        #expect(try drain { consumer.handler.reads.count == 3 })
        #expect(consumer.handler.reads.last?.rows == -1)
        send(c.seq, c.headerIndex, 64, 1)
        #expect(try drain { consumer.handler.refusals.count == 4 })
        #expect(consumer.handler.refusals.last == .slot(.rowsNeedRowMajor))
        // Only the column-major rows (the padded frame's STARTED carried rows 0 and was read).
        #expect(consumer.statistics[.prefixRefusedInformational] == 1)
        producer.abort(c)
    }

    /// Consumer poll + row read of a padded frame in progress allocates nothing after warm-up.
    @Test func rowPrefixPathAllocatesNothing() throws {
        let env = try WiringTestEnvironment("rows-alloc")
        defer { env.close() }
        let producer = try TensorPoolProducer(configuration: env.producerConfiguration(nslots: 64), aeron: env.aeron,
                                              options: env.producerOptions)
        defer { producer.close() }
        let consumer = try Self.makeConsumer(env, id: 74, handler: RowCountingHandler())
        defer { consumer.close() }
        try ProducerConsumerTests.connect(env, producer, [consumer]) { [consumer.mappedEpoch] }
        let size = Self.rows * Self.pitch
        let now = TensorPoolClock.monotonicNs()
        var t = now

        // One frame per call: staged claim, 4 steps of 8 rows, each followed by a consumer poll until it is read.
        func frame() throws -> Bool {
            guard let claim = producer.claim(byteCount: size, layout: Self.layout, nowNs: t) else { return false }
            var ok = true
            for step in 1...4 {
                Self.fill(rows: (step - 1) * 8..<step * 8, claim, epoch: producer.epoch)
                t += 1_000_000
                let target = consumer.handler.intact + consumer.handler.mismatched + 1
                producer.reportProgress(claim, bytesFilled: UInt64(step * 8 * Self.pitch), rowsFilled: UInt32(step * 8), nowNs: t)
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
        #expect(allocations == 0, "\(allocations) allocations over 200 frames of 4 row reads")
        #expect(consumer.handler.mismatched == 0)
        // The STARTED of each frame carries rows_filled 0: an intact empty row read, none refused.
        #expect(consumer.handler.refused == 0)
        #expect(consumer.handler.empty >= 220)
        #expect(consumer.handler.intact >= 220 * 4)
    }
}
