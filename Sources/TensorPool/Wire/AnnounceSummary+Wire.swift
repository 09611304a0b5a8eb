import SBE
import TensorPoolCodecs

extension AnnounceSummary {
    /// The summary of a decoded `ShmPoolAnnounce` (not a hot path: allocates the URIs).
    /// At most ``WireDecodingError/maxPools`` pools and URIs of ``WireDecodingError/maxUriLength`` bytes are accepted.
    public init(_ d: inout ShmPoolAnnounceDecoder) throws(WireDecodingError) {
        var pools: [Pool] = []
        do {
            var group = try d.payloadPools()
            guard group.count <= WireDecodingError.maxPools else {
                throw WireDecodingError.tooManyEntries(field: "ShmPoolAnnounce.payloadPools", count: group.count, maximum: WireDecodingError.maxPools)
            }
            while try group.next() {
                let uri = try Self.uri(try group.regionUri(), field: "ShmPoolAnnounce.payloadPools.regionUri")
                pools.append(Pool(poolId: group.poolId, nslots: group.poolNslots, strideBytes: group.strideBytes, regionUri: uri))
            }
            let headerUri = try Self.uri(try d.headerRegionUri(), field: "ShmPoolAnnounce.headerRegionUri")
            self.init(streamId: d.streamId, producerId: d.producerId, epoch: d.epoch, layoutVersion: d.layoutVersion,
                      headerRegionUri: headerUri, headerNslots: d.headerNslots, headerSlotBytes: d.headerSlotBytes,
                      maxDims: d.maxDims, pools: pools)
        } catch let error as WireDecodingError {
            throw error
        } catch let error as SBEError {
            throw .sbe(error)
        } catch {
            throw .sbe(.valueOutOfRange)
        }
    }

    /// Writes this summary into a `ShmPoolAnnounce` encoder and returns the encoded length.
    public func encode(into e: inout ShmPoolAnnounceEncoder) throws(SBEError) -> Int {
        e.streamId = streamId
        e.producerId = producerId
        e.epoch = epoch
        e.layoutVersion = layoutVersion
        e.headerNslots = headerNslots
        e.headerSlotBytes = headerSlotBytes
        e.maxDims = maxDims
        var group = try e.payloadPoolsCount(pools.count)
        for pool in pools {
            try group.next()
            group.poolId = pool.poolId
            group.poolNslots = pool.nslots
            group.strideBytes = pool.strideBytes
            try group.regionUri(pool.regionUri)
        }
        try e.endPayloadPools(group)
        try e.headerRegionUri(headerRegionUri)
        return try e.finish()
    }

    private static func uri(_ bytes: UnsafeRawBufferPointer, field: String) throws(WireDecodingError) -> String {
        guard bytes.count <= WireDecodingError.maxUriLength else {
            throw .tooLong(field: field, length: bytes.count, maximum: WireDecodingError.maxUriLength)
        }
        return SBEText.string(bytes)
    }
}
