#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SharedMemory

/// The producer's regions for one epoch: a header ring and its payload pools, in a directory of their own.
///
/// Files live at `<root>/<stream_id>/<epoch>/header.ring` and `<root>/<stream_id>/<epoch>/pool-<pool_id>.pool`.
/// A new epoch always gets new files (the epoch directory must not exist), so a consumer that still maps the
/// previous epoch's files keeps valid (if stale) memory: nothing it mapped is ever truncated under it.
/// ``close()`` unlinks the files and the epoch directory when ``Configuration/unlinkOnClose`` is set (clean
/// shutdown); a crash leaves them for inspection, detected as dead through a stale `activity_timestamp_ns`.
public final class RegionSet: @unchecked Sendable {
    /// A pool size class.
    public struct Pool: Equatable, Sendable {
        /// Pool id announced in `ShmPoolAnnounce` and written into every header that points into the pool.
        public var poolId: UInt16
        /// Bytes per payload slot, hence the largest frame the pool takes (must satisfy ``StrideRule``).
        public var strideBytes: Int
        /// A size class `poolId` with slots of `strideBytes`.
        public init(poolId: UInt16, strideBytes: Int) {
            self.poolId = poolId
            self.strideBytes = strideBytes
        }
    }

    /// What to create.
    public struct Configuration: Equatable, Sendable {
        /// Directory under which `<stream>/<epoch>/` is created (must exist).
        public var root: String
        /// Stream the regions serve; the first path component under ``root``.
        public var streamId: UInt32
        /// Producer epoch; the second path component. Must be new: an existing epoch directory is refused.
        public var epoch: UInt64
        /// Slots in the header ring and in every pool (§15.5).
        public var nslots: Int
        /// Size classes, by ascending stride preferably.
        public var pools: [Pool]
        /// Announce `require_hugepages=true` and refuse to create unless the root is on hugetlbfs.
        public var requireHugepages: Bool
        /// Unlink files and the epoch directory on ``RegionSet/close()``.
        public var unlinkOnClose: Bool
        /// File mode before the umask (§15.10: 0660).
        public var permissions: mode_t

        /// Creation parameters; the defaults are the spec's (no hugepages, unlink on clean close, mode 0660).
        public init(
            root: String, streamId: UInt32, epoch: UInt64, nslots: Int, pools: [Pool], requireHugepages: Bool = false,
            unlinkOnClose: Bool = true, permissions: mode_t = 0o660
        ) {
            self.root = root
            self.streamId = streamId
            self.epoch = epoch
            self.nslots = nslots
            self.pools = pools
            self.requireHugepages = requireHugepages
            self.unlinkOnClose = unlinkOnClose
            self.permissions = permissions
        }
    }

    /// What the set was created with.
    public let configuration: Configuration
    /// `<root>/<stream>/<epoch>`.
    public let directory: String
    /// The header ring of this epoch, written by the producer and mapped by consumers.
    public let headerRing: HeaderRing
    /// Pools in configuration order.
    public let pools: [PayloadPool]
    /// URI to announce for the header ring.
    public let headerRingURI: ShmRegionURI
    /// URIs to announce for the pools, in the order of ``pools``.
    public let poolURIs: [ShmRegionURI]
    private var closed = false

    private init(
        configuration: Configuration, directory: String, headerRing: HeaderRing, pools: [PayloadPool],
        headerRingURI: ShmRegionURI, poolURIs: [ShmRegionURI]
    ) {
        self.configuration = configuration
        self.directory = directory
        self.headerRing = headerRing
        self.pools = pools
        self.headerRingURI = headerRingURI
        self.poolURIs = poolURIs
    }

    /// Creates the epoch directory and every region (pools first, header ring last, each superblock written last
    /// and flushed). On failure everything created so far is removed.
    public static func create(_ configuration: Configuration, pid: UInt64 = UInt64(getpid()), nowNs: UInt64) throws(RegionError) -> RegionSet {
        try RegionMapping.validateSlotCount(configuration.nslots)
        guard !configuration.pools.isEmpty else { throw .invalidConfiguration("no payload pools") }
        var seen = Set<UInt16>()
        for pool in configuration.pools where !seen.insert(pool.poolId).inserted {
            throw .invalidConfiguration("duplicate pool_id \(pool.poolId)")
        }
        let root: RegionRoot
        do { root = try RegionRoot(configuration.root) } catch { throw .path(error) }
        let streamDirectory = root.path + "/\(configuration.streamId)"
        let directory = streamDirectory + "/\(configuration.epoch)"
        try makeDirectory(streamDirectory, mayExist: true)
        try makeDirectory(directory, mayExist: false)

        var created: [String] = []
        func cleanUp() {
            for path in created { unlink(path) }
            rmdir(directory)
        }
        do {
            var pools: [PayloadPool] = []
            var poolURIs: [ShmRegionURI] = []
            for pool in configuration.pools {
                let path = directory + "/pool-\(pool.poolId).pool"
                let uri: ShmRegionURI
                do { uri = try ShmRegionURI(path: path, requireHugepages: configuration.requireHugepages) } catch { throw RegionError.uri(error) }
                let region = try PayloadPool.create(
                    path: path, poolId: pool.poolId, nslots: configuration.nslots, strideBytes: pool.strideBytes,
                    epoch: configuration.epoch, streamId: configuration.streamId, pid: pid, nowNs: nowNs,
                    requireHugepages: configuration.requireHugepages, permissions: configuration.permissions)
                created.append(path)
                pools.append(region)
                poolURIs.append(uri)
            }
            let ringPath = directory + "/header.ring"
            let ringURI: ShmRegionURI
            do { ringURI = try ShmRegionURI(path: ringPath, requireHugepages: false) } catch { throw RegionError.uri(error) }
            let ring = try HeaderRing.create(
                path: ringPath, nslots: configuration.nslots, epoch: configuration.epoch, streamId: configuration.streamId,
                pid: pid, nowNs: nowNs, permissions: configuration.permissions)
            created.append(ringPath)
            return RegionSet(
                configuration: configuration, directory: directory, headerRing: ring, pools: pools,
                headerRingURI: ringURI, poolURIs: poolURIs)
        } catch let error as RegionError {
            cleanUp()
            throw error
        } catch {
            cleanUp()
            throw .invalidConfiguration("\(error)")
        }
    }

    /// The pool with `poolId`, if configured.
    public func pool(id poolId: UInt16) -> PayloadPool? { pools.first { $0.poolId == poolId } }

    /// The smallest pool whose stride holds `valuesLenBytes` (§9 pool selection); `nil` means drop the frame.
    public func smallestPool(fitting valuesLenBytes: Int) -> PayloadPool? {
        var best: PayloadPool?
        for pool in pools where pool.strideBytes >= valuesLenBytes {
            if best == nil || pool.strideBytes < best!.strideBytes { best = pool }
        }
        return best
    }

    /// Refreshes `activity_timestamp_ns` in every region (release stores), e.g. at the announce cadence.
    public func refreshActivity(nowNs: UInt64) {
        headerRing.refreshActivity(nowNs: nowNs)
        var index = 0
        while index < pools.count {
            pools[index].refreshActivity(nowNs: nowNs)
            index += 1
        }
    }

    /// Clean shutdown: unlinks the region files and the epoch directory if configured. Mappings stay valid
    /// until the objects are released (an unlinked file lives on while mapped). Idempotent.
    public func close() {
        guard !closed else { return }
        closed = true
        guard configuration.unlinkOnClose else { return }
        for pool in pools { unlink(pool.path) }
        unlink(headerRing.path)
        rmdir(directory)
    }

    private static func makeDirectory(_ path: String, mayExist: Bool) throws(RegionError) {
        if mkdir(path, 0o770) == 0 { return }
        let error = SystemError.current("mkdir", path: path)
        guard error.errno == EEXIST else { throw .system(error) }
        guard mayExist else { throw .alreadyExists(path) }
        var st = stat()
        guard lstat(path, &st) == 0 else { throw .system(.current("lstat", path: path)) }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw .path(.notRegularFile(path: path, kind: (st.st_mode & S_IFMT) == S_IFLNK ? "symbolic link where a directory was expected" : "non-directory"))
        }
    }
}
