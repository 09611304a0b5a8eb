import SharedMemory
@testable import TensorPoolCore

/// A producer's regions (writable) plus a consumer's read-only mappings of the same files.
final class SeqlockFixture {
    let directory: TemporaryDirectory
    let regions: RegionSet
    let writer: SlotWriter
    let reader: SeqlockReader
    let nslots: Int
    let stride: Int

    init(nslots: Int = 8, epoch: UInt64 = 1) throws {
        directory = TemporaryDirectory("tp-seqlock")
        self.nslots = nslots
        stride = HugepageBacking.pageSize
        regions = try RegionSet.create(
            .init(root: directory.path, streamId: 7, epoch: epoch, nslots: nslots, pools: [.init(poolId: 1, strideBytes: stride)]),
            nowNs: 1)
        writer = try SlotWriter(regions: regions)
        let root = try RegionRoot(directory.path)
        let ring = try HeaderRing.map(
            uri: regions.headerRingURI, root: root, expected: .headerRing(epoch: epoch, streamId: 7, nslots: UInt32(nslots)))
        let pool = try PayloadPool.map(
            uri: regions.poolURIs[0], root: root,
            expected: .payloadPool(epoch: epoch, streamId: 7, poolId: 1, nslots: UInt32(nslots), strideBytes: UInt32(stride)))
        reader = try SeqlockReader(headerRing: ring, pools: [pool])
    }

    deinit { regions.close() }

    /// A 1-D UINT8 header for `count` bytes in pool 1.
    static func header(count: Int) -> TensorSlotHeader {
        TensorSlotHeader(
            timestampNs: 5, metaVersion: 2, valuesLenBytes: UInt32(count), poolId: 1, dtype: .uint8, majorOrder: .row,
            ndims: 1, dims: TensorDims([Int32(count)]))
    }

    /// Publishes frame `id` with `count` bytes of `FramePattern`.
    @discardableResult
    func publish(_ id: UInt64, count: Int = 256) -> Bool {
        guard let claim = writer.claim(frameId: id, poolId: 1) else { return false }
        FramePattern.fill(claim.payload, frameId: id, count: count)
        return writer.commit(claim, header: Self.header(count: count)) == nil
    }

    /// Commit word of `slot` as a consumer sees it.
    func commitWord(_ slot: Int) -> UInt64 { reader.headerRing.commitWord(slot: slot) }
}
