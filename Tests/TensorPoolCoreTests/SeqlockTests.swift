import SharedMemory
import Testing
@testable import TensorPoolCore

@Suite struct SeqlockTests {
    @Test func acceptsACommittedFrameAndItsPayload() throws {
        let f = try SeqlockFixture()
        for id in UInt64(0)..<20 {
            #expect(f.publish(id))
            let result = f.reader.withFrame(seq: id, headerIndex: UInt32(id % 8)) { header, payload in
                (header, FramePattern.matches(payload, frameId: id), payload.byteCount)
            }
            let (header, ok, count) = try #require(result.value)
            #expect(ok && count == 256)
            #expect(header.frameId == id && header.payloadSlot == UInt32(id % 8) && header.poolId == 1)
            #expect(header.metaVersion == 2 && header.dtype == .uint8 && header.dims[0] == 256)
        }
    }

    @Test func claimMarksTheSlotWritingBeforeHandingOutTheBuffer() throws {
        let f = try SeqlockFixture()
        #expect(f.publish(3))
        let claim = try #require(f.writer.claim(frameId: 11, poolId: 1))
        #expect(claim.headerIndex == 3 && claim.strideBytes == f.stride)
        // The buffer has not been touched yet, but the slot is already WRITING for frame 11.
        #expect(f.commitWord(3) == CommitWord.writing(11))
        #expect(f.commitWord(3) & 1 == 1)
        #expect(f.reader.withFrame(seq: 11, headerIndex: 3) { _, _ in true }.drop == .notCommitted)
        #expect(f.reader.withFrame(seq: 3, headerIndex: 3) { _, _ in true }.drop == .notCommitted)
        FramePattern.fill(claim.payload, frameId: 11, count: 64)
        #expect(f.writer.commit(claim, header: SeqlockFixture.header(count: 64)) == nil)
        #expect(f.commitWord(3) == CommitWord.committed(11))
        #expect(f.reader.withFrame(seq: 11, headerIndex: 3) { _, p in FramePattern.matches(p, frameId: 11) }.value == true)
    }

    @Test func anAbortedSlotStaysNotCommitted() throws {
        let f = try SeqlockFixture()
        #expect(f.publish(2))
        let claim = try #require(f.writer.claim(frameId: 10, poolId: 1))
        FramePattern.fill(claim.payload, frameId: 10, count: 32)   // partial DMA
        f.writer.abort(claim)
        #expect(f.commitWord(2) == CommitWord.writing(10))
        #expect(f.reader.withFrame(seq: 10, headerIndex: 2) { _, _ in 0 }.drop == .notCommitted)
        #expect(f.reader.withFrame(seq: 2, headerIndex: 2) { _, _ in 0 }.drop == .notCommitted)
        // The next frame for that slot works normally.
        #expect(f.publish(18))
        #expect(f.reader.withFrame(seq: 18, headerIndex: 2) { _, p in FramePattern.matches(p, frameId: 18) }.value == true)
    }

    /// The check that makes payload reads safe must come AFTER the payload was read. The closure overwrites its
    /// own slot (as a lapping producer would) after reading: the read must be reported torn and its value
    /// discarded. A reader that re-validated before running the closure would accept here.
    @Test func aSlotRewrittenDuringTheClosureIsTorn() throws {
        let f = try SeqlockFixture()
        #expect(f.publish(5))
        var sawValidPayload = false
        let claimed = f.reader.withFrame(seq: 5, headerIndex: 5) { _, payload in
            sawValidPayload = FramePattern.matches(payload, frameId: 5)
            _ = f.writer.claim(frameId: 13, poolId: 1)   // producer laps: slot 5 becomes WRITING
            return 42
        }
        #expect(sawValidPayload)
        #expect(claimed == .dropped(.torn))
        #expect(claimed.drop?.isLate == true)

        #expect(f.publish(21))
        let completed = f.reader.withFrame(seq: 21, headerIndex: 5) { _, _ in
            f.publish(29)                                  // a complete newer frame lands in the same slot
            return 1
        }
        #expect(completed == .dropped(.torn))
    }

    @Test func aHeaderRewrittenAfterDecodingIsTornEvenIfTheWordReturns() throws {
        // Protects against an ABA-free but torn read: the word changes and comes back to WRITING-then-other.
        let f = try SeqlockFixture()
        #expect(f.publish(4))
        let result = f.reader.withFrame(seq: 4, headerIndex: 4) { header, _ in
            let claim = f.writer.claim(frameId: 12, poolId: 1)!
            f.writer.abort(claim)
            return header.frameId
        }
        #expect(result == .dropped(.torn))
    }

    @Test func copyFrameCopiesUnderTheLock() throws {
        let f = try SeqlockFixture()
        #expect(f.publish(6, count: 512))
        let destination = UnsafeMutableRawBufferPointer.allocate(byteCount: 1024, alignment: 16)
        defer { destination.deallocate() }
        let header = try #require(f.reader.copyFrame(seq: 6, headerIndex: 6, into: destination).value)
        #expect(header.valuesLenBytes == 512)
        #expect(FramePattern.matches(UnsafeRawBufferPointer(rebasing: destination[0..<512]), frameId: 6))
        let small = UnsafeMutableRawBufferPointer.allocate(byteCount: 100, alignment: 16)
        defer { small.deallocate() }
        #expect(f.reader.copyFrame(seq: 6, headerIndex: 6, into: small).drop == .destinationTooSmall(required: 512))
        #expect(f.reader.copyFrame(seq: 7, headerIndex: 7, into: destination).drop == .frameIdMismatch(expected: 7, found: 0))
    }

    @Test func frameIdentityIsChecked() throws {
        let f = try SeqlockFixture()
        #expect(f.publish(11))
        let overwritten = f.reader.withFrame(seq: 3, headerIndex: 3) { _, _ in 0 }
        #expect(overwritten.drop == .frameIdMismatch(expected: 3, found: 11))
        #expect(overwritten.drop?.isLate == true)
        let ahead = f.reader.withFrame(seq: 19, headerIndex: 3) { _, _ in 0 }
        #expect(ahead.drop == .frameIdMismatch(expected: 19, found: 11))
        #expect(ahead.drop?.isLate == false)
        #expect(f.reader.withFrame(seq: 11, headerIndex: 8) { _, _ in 0 }.drop == .headerIndexOutOfRange(8))
        #expect(f.reader.withFrame(seq: 11, headerIndex: UInt32.max) { _, _ in 0 }.drop == .headerIndexOutOfRange(UInt32.max))
    }

    @Test func headerFrameIdMustMatchTheCommitWord() throws {
        let f = try SeqlockFixture()
        #expect(f.publish(5))
        let ring = f.regions.headerRing
        ring.buffer.setUInt64(6, at: ring.slotOffset(5) + RegionLayout.SlotHeader.frameId)
        #expect(f.reader.withFrame(seq: 5, headerIndex: 5) { _, _ in 0 }.drop == .frameIdMismatch(expected: 5, found: 6))
    }

    @Test func aLowerCommitWordThanSeenIsStale() throws {
        let f = try SeqlockFixture()
        #expect(f.publish(9))
        #expect(f.reader.withFrame(seq: 9, headerIndex: 1) { _, _ in 0 }.value == 0)
        // A producer that restarted without bumping the epoch rewrites slot 1 with an older frame id.
        #expect(f.publish(1))
        #expect(f.reader.withFrame(seq: 1, headerIndex: 1) { _, _ in 0 }.drop == .stale)
        f.reader.resetTracking()
        #expect(f.reader.withFrame(seq: 1, headerIndex: 1) { _, _ in 0 }.value == 0)
    }

    @Test func invalidHeadersAreDroppedWithTheReason() throws {
        let f = try SeqlockFixture()
        #expect(f.publish(2))
        let ring = f.regions.headerRing
        let slot = ring.slotOffset(2)
        ring.buffer.setUInt32(3, at: slot + RegionLayout.SlotHeader.payloadSlot)
        #expect(f.reader.withFrame(seq: 2, headerIndex: 2) { _, _ in 0 }.drop == .invalidHeader(.payloadSlotMismatch(payloadSlot: 3, headerIndex: 2)))
        ring.buffer.setUInt32(2, at: slot + RegionLayout.SlotHeader.payloadSlot)
        ring.buffer.setUInt16(9, at: slot + RegionLayout.SlotHeader.poolId)
        #expect(f.reader.withFrame(seq: 2, headerIndex: 2) { _, _ in 0 }.drop == .invalidHeader(.unknownPool(9)))
        ring.buffer.setUInt16(1, at: slot + RegionLayout.SlotHeader.poolId)
        ring.buffer.setInt16(77, at: slot + RegionLayout.SlotHeader.dtype)
        #expect(f.reader.withFrame(seq: 2, headerIndex: 2) { _, _ in 0 }.drop == .invalidHeader(.unknownDtype(77)))
        ring.buffer.setInt16(1, at: slot + RegionLayout.SlotHeader.dtype)
        ring.buffer.setUInt32(UInt32(f.stride + 1), at: slot + RegionLayout.SlotHeader.valuesLenBytes)
        #expect(f.reader.withFrame(seq: 2, headerIndex: 2) { _, _ in 0 }.drop == .invalidHeader(.valuesLenExceedsStride(end: f.stride + 1, strideBytes: f.stride)))
    }

    @Test func theWriterRefusesToCommitAnInvalidHeader() throws {
        let f = try SeqlockFixture()
        let claim = try #require(f.writer.claim(frameId: 4, poolId: 1))
        var header = SeqlockFixture.header(count: 64)
        header.ndims = 0
        #expect(f.writer.commit(claim, header: header) == .ndimsOutOfRange(0))
        #expect(f.commitWord(4) == CommitWord.writing(4))
        #expect(f.writer.claim(frameId: 4, poolId: 9) == nil)
        #expect(f.writer.claim(frameId: 1 << 63, poolId: 1) == nil)
        let big = [UInt8](repeating: 0, count: f.stride + 1)
        #expect(big.withUnsafeBytes { f.writer.publish(frameId: 5, header: SeqlockFixture.header(count: 1), payload: $0) } == false)
        let ok = [UInt8](repeating: 7, count: 16)
        #expect(ok.withUnsafeBytes { f.writer.publish(frameId: 5, header: SeqlockFixture.header(count: 16), payload: $0) })
        #expect(f.reader.withFrame(seq: 5, headerIndex: 5) { _, p in p.withUnsafeBytes { Array($0) } }.value == ok)
    }

    @Test func commitWordEncoding() {
        #expect(CommitWord.writing(5) == 11 && CommitWord.committed(5) == 10)
        #expect(CommitWord.isWriting(11) && !CommitWord.isWriting(10))
        #expect(CommitWord.frameId(11) == 5 && CommitWord.frameId(10) == 5)
    }
}

@Suite struct SeqlockGeometryTests {
    @Test func payloadOffsetAndSlotAddressing() throws {
        let f = try SeqlockFixture(nslots: 4)
        let claim = try #require(f.writer.claim(frameId: 6, poolId: 1))
        #expect(claim.headerIndex == 2)
        let pool = f.regions.pools[0]
        #expect(claim.payload.baseAddress == pool.buffer.base + 64 + 2 * f.stride)
        FramePattern.fill(UnsafeMutableRawBufferPointer(rebasing: claim.payload[128...]), frameId: 6, count: 64)
        var header = SeqlockFixture.header(count: 64)
        header.payloadOffset = 128
        #expect(f.writer.commit(claim, header: header) == nil)
        let ok = f.reader.withFrame(seq: 6, headerIndex: 2) { h, p in h.payloadOffset == 128 && FramePattern.matches(p, frameId: 6) }
        #expect(ok.value == true)
    }

    @Test func readersAndWritersRefuseInconsistentPools() throws {
        let dir = TemporaryDirectory()
        let page = HugepageBacking.pageSize
        let a = try RegionSet.create(.init(root: dir.path, streamId: 1, epoch: 1, nslots: 4, pools: [.init(poolId: 1, strideBytes: page)]), nowNs: 1)
        let b = try RegionSet.create(.init(root: dir.path, streamId: 1, epoch: 2, nslots: 8, pools: [.init(poolId: 1, strideBytes: page)]), nowNs: 1)
        #expect(throws: RegionError.self) { _ = try SeqlockReader(headerRing: a.headerRing, pools: b.pools) }
        #expect(throws: RegionError.self) { _ = try SlotWriter(headerRing: a.headerRing, pools: b.pools) }
        #expect(throws: RegionError.invalidConfiguration("duplicate pool_id 1")) {
            _ = try SeqlockReader(headerRing: a.headerRing, pools: a.pools + a.pools)
        }
        a.close()
        b.close()
    }
}

/// `SlotWriter.stage` writes the header while the slot is WRITING; only `commitStaged` makes it readable.
@Suite struct SlotWriterStagingTests {
    @Test func aStagedHeaderIsNotReadableUntilCommitted() throws {
        let f = try SeqlockFixture()
        #expect(f.publish(6))
        // A reader that loaded frame 6's word before the claim: the staged header of frame 14 makes it torn.
        let lapped = f.reader.withFrame(seq: 6, headerIndex: 6) { _, _ in
            let claim = f.writer.claim(frameId: 14, poolId: 1)!
            FramePattern.fill(claim.payload, frameId: 14, count: 64)
            _ = f.writer.stage(claim, header: SeqlockFixture.header(count: 64))
            return 1
        }
        #expect(lapped == .dropped(.torn))
        #expect(f.commitWord(6) == CommitWord.writing(14))
        #expect(f.reader.withFrame(seq: 14, headerIndex: 6) { _, _ in 0 }.drop == .notCommitted)

        let claim = try #require(f.writer.claim(frameId: 22, poolId: 1))
        FramePattern.fill(claim.payload, frameId: 22, count: 128)
        #expect(f.writer.stage(claim, header: SeqlockFixture.header(count: 128)) == nil)
        #expect(f.reader.withFrame(seq: 22, headerIndex: 6) { _, _ in 0 }.drop == .notCommitted)
        f.writer.commitStaged(claim, timestampNs: 777)
        let read = f.reader.withFrame(seq: 22, headerIndex: 6) { header, payload in
            (header.timestampNs, header.frameId, header.valuesLenBytes, FramePattern.matches(payload, frameId: 22))
        }
        let (timestamp, frameId, length, intact) = try #require(read.value)
        #expect(timestamp == 777 && frameId == 22 && length == 128 && intact)
    }

    @Test func anInvalidStagedHeaderIsNotWritten() throws {
        let f = try SeqlockFixture()
        let claim = try #require(f.writer.claim(frameId: 3, poolId: 1))
        var header = SeqlockFixture.header(count: 64)
        header.ndims = 0
        #expect(f.writer.stage(claim, header: header) == .ndimsOutOfRange(0))
        #expect(f.commitWord(3) == CommitWord.writing(3))
    }
}
