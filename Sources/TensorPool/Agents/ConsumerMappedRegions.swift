import TensorPoolCore

/// The regions a consumer has mapped for one epoch, and the seqlock reader over them.
struct ConsumerMappedRegions {
    let announce: AnnounceSummary
    let headerRing: HeaderRing
    let pools: [PayloadPool]
    let reader: SeqlockReader

    var epoch: UInt64 { announce.epoch }

    /// Maps and validates every announced region under `root` (§15.1, §15.22): URI syntax, path containment,
    /// file size, superblock fields against the announce. Nothing is kept on failure.
    static func map(_ announce: AnnounceSummary, rootPath: String) throws(RegionError) -> ConsumerMappedRegions {
        let root: RegionRoot
        do { root = try RegionRoot(rootPath) } catch { throw .path(error) }
        let ringURI: ShmRegionURI
        do { ringURI = try ShmRegionURI(parsing: announce.headerRegionUri) } catch { throw .uri(error) }
        let ring = try HeaderRing.map(
            uri: ringURI, root: root,
            expected: .headerRing(epoch: announce.epoch, streamId: announce.streamId, nslots: announce.headerNslots,
                                  layoutVersion: announce.layoutVersion))
        var pools: [PayloadPool] = []
        for pool in announce.pools {
            let uri: ShmRegionURI
            do { uri = try ShmRegionURI(parsing: pool.regionUri) } catch { throw .uri(error) }
            pools.append(try PayloadPool.map(
                uri: uri, root: root,
                expected: .payloadPool(epoch: announce.epoch, streamId: announce.streamId, poolId: pool.poolId,
                                       nslots: pool.nslots, strideBytes: pool.strideBytes, layoutVersion: announce.layoutVersion)))
        }
        let reader = try SeqlockReader(headerRing: ring, pools: pools)
        return ConsumerMappedRegions(announce: announce, headerRing: ring, pools: pools, reader: reader)
    }

    /// Re-reads every superblock: `nil` when consistent with the announce, else what differs. Also returns the
    /// header ring's `pid` and `activity_timestamp_ns` (the producer heartbeat).
    func check() -> (pid: UInt64, activityNs: UInt64, mismatch: String?) {
        let ring = headerRing.superblock
        var mismatch: String?
        let ringExpected = RegionExpectation.headerRing(epoch: announce.epoch, streamId: announce.streamId,
                                                        nslots: announce.headerNslots, layoutVersion: announce.layoutVersion)
        if let first = ring.firstMismatch(against: ringExpected) {
            mismatch = "header ring: \(first)"
        }
        // Index loop, no String unless something differs: this runs on the duty cycle at the announce cadence.
        var i = 0
        while i < pools.count, i < announce.pools.count, mismatch == nil {
            let pool = pools[i]
            let announced = announce.pools[i]
            i += 1
            let expected = RegionExpectation.payloadPool(
                epoch: announce.epoch, streamId: announce.streamId, poolId: announced.poolId, nslots: announced.nslots,
                strideBytes: announced.strideBytes, layoutVersion: announce.layoutVersion)
            let superblock = pool.superblock
            if let first = superblock.firstMismatch(against: expected) {
                mismatch = "pool \(announced.poolId): \(first)"
            } else if superblock.pid != ring.pid {
                mismatch = "pool \(announced.poolId): pid \(superblock.pid) != header ring pid \(ring.pid)"
            }
        }
        return (ring.pid, ring.activityTimestampNs, mismatch)
    }
}
