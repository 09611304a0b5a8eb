import TOMLKit
import TensorPoolCore

/// `[producer]` section.
///
/// | key | default | rule |
/// |---|---|---|
/// | `stream_id` | 1 | u32 |
/// | `producer_id` | 1 | u32 |
/// | `shm_root_dir` | `/dev/shm/tensorpool-$USER` | absolute path |
/// | `header_nslots` | 64 | power of two, ≤ 2^30 |
/// | `payload_pools` | `[{pool_id=1, stride_bytes=1048576}]` | ≥ 1 pool, unique ids, strides powers of two and page multiples |
/// | `page_size_bytes` | 4096 | power of two |
/// | `require_hugepages` | false | strides must then be multiples of `hugepage_size_bytes` |
/// | `hugepage_size_bytes` | 2097152 | power of two |
/// | `layout_version` | 1 | u32 |
/// | `announce_interval_ms`, `qos_interval_ms`, `heartbeat_interval_ms` | 1000 | > 0 |
/// | `consumer_expiry_multiple` | 5 | > 0: consumers silent this many hello/QoS cadences are forgotten |
/// | `consumer_hello_interval_ms` | 1000 | > 0: expected consumer hello/QoS cadence |
/// | `progress_interval_us`, `progress_bytes_delta`, `progress_rows_delta` | 250, 65536, 0 (unset) | defaults when no consumer hints; ≥ the matching minimum |
/// | `progress_min_interval_us`, `progress_min_bytes_delta`, `progress_min_rows_delta` | 50, 4096, 1 | producer floors |
/// | `name` | none | data source name for `DataSourceAnnounce` |
/// | aeron keys | see ``AeronEndpointConfiguration`` | |
public struct ProducerConfiguration: Sendable, Hashable {
    /// `producer.stream_id`
    public var streamId: UInt32 = 1
    /// `producer.producer_id`
    public var producerId: UInt32 = 1
    /// `producer.shm_root_dir`
    public var shmRootDir: String
    /// `producer.header_nslots`
    public var headerNslots: UInt32 = 64
    /// `producer.payload_pools`
    public var payloadPools: [PayloadPoolConfiguration] = [PayloadPoolConfiguration(poolId: 1, strideBytes: 1 << 20)]
    /// `producer.page_size_bytes`
    public var pageSizeBytes: UInt32 = 4096
    /// `producer.require_hugepages`
    public var requireHugepages = false
    /// `producer.hugepage_size_bytes`
    public var hugepageSizeBytes: UInt32 = 2 << 20
    /// `producer.layout_version`
    public var layoutVersion: UInt32 = 1
    /// `producer.announce_interval_ms`
    public var announceIntervalMs: UInt32 = 1000
    /// `producer.qos_interval_ms`
    public var qosIntervalMs: UInt32 = 1000
    /// `producer.heartbeat_interval_ms`
    public var heartbeatIntervalMs: UInt32 = 1000
    /// `producer.consumer_expiry_multiple`
    public var consumerExpiryMultiple: UInt32 = 5
    /// `producer.consumer_hello_interval_ms`
    public var consumerHelloIntervalMs: UInt32 = 1000
    /// Policy applied when no consumer sends hints.
    public var progressDefaults = ProgressPolicy.specDefaults
    /// Producer safety floors.
    public var progressFloors = ProgressPolicy(intervalNs: 50_000, bytesDelta: 4096, rowsDelta: 1)
    /// `producer.name`
    public var name: String?
    /// Aeron directory, channel and stream ids of this role.
    public var aeron: AeronEndpointConfiguration

    /// Defaults for `user` (used in the default SHM and Aeron directories).
    public init(user: String) {
        shmRootDir = "/dev/shm/tensorpool-\(user)"
        aeron = AeronEndpointConfiguration(aeronDir: AeronEndpointConfiguration.defaultAeronDir(user: user))
    }

    /// Progress aggregator built from the defaults and floors.
    public var progressAggregator: ProgressPolicyAggregator {
        ProgressPolicyAggregator(defaults: progressDefaults, floors: progressFloors)
    }

    static func read(_ r: inout ConfigurationSectionReader, user: String) throws(ConfigurationError) -> ProducerConfiguration {
        var c = ProducerConfiguration(user: user)
        c.streamId = try r.integer("stream_id", default: c.streamId)
        c.producerId = try r.integer("producer_id", default: c.producerId)
        c.shmRootDir = try r.string("shm_root_dir", default: c.shmRootDir)
        try requireAbsolutePath(c.shmRootDir, key: "shm_root_dir", r)
        c.headerNslots = try r.integer("header_nslots", default: c.headerNslots)
        if !isPowerOfTwo(c.headerNslots) || c.headerNslots > 1 << 30 {
            throw .invalidValue(key: r.path("header_nslots"), value: String(c.headerNslots),
                                reason: "must be a power of two between 1 and 2^30", source: r.sourceOf("header_nslots"))
        }
        c.pageSizeBytes = try r.integer("page_size_bytes", default: c.pageSizeBytes)
        if !isPowerOfTwo(c.pageSizeBytes) {
            throw .invalidValue(key: r.path("page_size_bytes"), value: String(c.pageSizeBytes),
                                reason: "must be a power of two", source: r.sourceOf("page_size_bytes"))
        }
        c.requireHugepages = try r.bool("require_hugepages", default: c.requireHugepages)
        c.hugepageSizeBytes = try r.integer("hugepage_size_bytes", default: c.hugepageSizeBytes)
        if !isPowerOfTwo(c.hugepageSizeBytes) {
            throw .invalidValue(key: r.path("hugepage_size_bytes"), value: String(c.hugepageSizeBytes),
                                reason: "must be a power of two", source: r.sourceOf("hugepage_size_bytes"))
        }
        c.payloadPools = try readPools(&r, default: c.payloadPools, pageSize: Int(c.pageSizeBytes),
                                       hugepageSize: c.requireHugepages ? Int(c.hugepageSizeBytes) : nil)
        c.layoutVersion = try r.integer("layout_version", default: c.layoutVersion)
        for (key, path) in [("announce_interval_ms", \ProducerConfiguration.announceIntervalMs),
                            ("qos_interval_ms", \.qosIntervalMs), ("heartbeat_interval_ms", \.heartbeatIntervalMs),
                            ("consumer_expiry_multiple", \.consumerExpiryMultiple),
                            ("consumer_hello_interval_ms", \.consumerHelloIntervalMs)] {
            c[keyPath: path] = try r.integer(key, default: c[keyPath: path])
            try requirePositive(c[keyPath: path], key: key, r)
        }
        let intervalUs: UInt32 = try r.integer("progress_interval_us", default: 250)
        let bytes: UInt32 = try r.integer("progress_bytes_delta", default: 65_536)
        let rows: UInt32 = try r.integer("progress_rows_delta", default: 0)
        let minIntervalUs: UInt32 = try r.integer("progress_min_interval_us", default: 50)
        let minBytes: UInt32 = try r.integer("progress_min_bytes_delta", default: 4096)
        let minRows: UInt32 = try r.integer("progress_min_rows_delta", default: 1)
        try requirePositive(intervalUs, key: "progress_interval_us", r)
        try requirePositive(bytes, key: "progress_bytes_delta", r)
        try requirePositive(minRows, key: "progress_min_rows_delta", r)
        for (key, value, minKey, minimum) in [("progress_interval_us", intervalUs, "progress_min_interval_us", minIntervalUs),
                                              ("progress_bytes_delta", bytes, "progress_min_bytes_delta", minBytes)]
        where value < minimum {
            throw .invalidValue(key: r.path(key), value: String(value),
                                reason: "below \(r.path(minKey)) (\(minimum))", source: r.sourceOf(key))
        }
        if rows != 0 && rows < minRows {
            throw .invalidValue(key: r.path("progress_rows_delta"), value: String(rows),
                                reason: "below \(r.path("progress_min_rows_delta")) (\(minRows))", source: r.sourceOf("progress_rows_delta"))
        }
        c.progressDefaults = ProgressPolicy(intervalNs: UInt64(intervalUs) * 1000, bytesDelta: UInt64(bytes), rowsDelta: rows)
        c.progressFloors = ProgressPolicy(intervalNs: UInt64(minIntervalUs) * 1000, bytesDelta: UInt64(minBytes), rowsDelta: minRows)
        c.name = try r.optionalString("name")
        c.aeron = try AeronEndpointConfiguration.read(&r, user: user)
        return c
    }

    private static func readPools(_ r: inout ConfigurationSectionReader, default pools: [PayloadPoolConfiguration],
                                  pageSize: Int, hugepageSize: Int?) throws(ConfigurationError) -> [PayloadPoolConfiguration] {
        let key = "payload_pools"
        guard let raw = r.raw(key) else {
            try validatePools(pools, r, key: key, pageSize: pageSize, hugepageSize: hugepageSize, source: .file)
            return pools
        }
        var result: [PayloadPoolConfiguration] = []
        let source = r.source(raw)
        switch raw {
        case .env(let text, _):
            for (i, entry) in text.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
                let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
                let entryPath = "\(r.path(key))[\(i)]"
                guard parts.count == 2, let id = UInt16(String(parts[0]).trimmedBlanks),
                      let stride = UInt32(String(parts[1]).trimmedBlanks) else {
                    throw .wrongType(key: entryPath, expected: "pool_id:stride_bytes (u16:u32)",
                                     value: String(reflecting: String(entry)), source: source)
                }
                result.append(PayloadPoolConfiguration(poolId: id, strideBytes: stride))
            }
        case .toml(let value):
            guard let array = value.array else {
                throw .wrongType(key: r.path(key), expected: "array of tables", value: ConfigurationSectionReader.render(value), source: source)
            }
            for i in 0..<array.count {
                let entryPath = "\(r.path(key))[\(i)]"
                guard let table = array[i].table else {
                    throw .wrongType(key: entryPath, expected: "table {pool_id, stride_bytes}",
                                     value: ConfigurationSectionReader.render(array[i]), source: source)
                }
                var sub = ConfigurationSectionReader(section: entryPath, table: table, environment: [:])
                guard let id = try sub.optionalInteger("pool_id", as: UInt16.self) else {
                    throw .invalidValue(key: "\(entryPath).pool_id", value: "missing", reason: "required", source: source)
                }
                guard let stride = try sub.optionalInteger("stride_bytes", as: UInt32.self) else {
                    throw .invalidValue(key: "\(entryPath).stride_bytes", value: "missing", reason: "required", source: source)
                }
                try sub.rejectUnknownKeys()
                result.append(PayloadPoolConfiguration(poolId: id, strideBytes: stride))
            }
        }
        try validatePools(result, r, key: key, pageSize: pageSize, hugepageSize: hugepageSize, source: source)
        return result
    }

    /// Pool rules: at least one pool, unique ids, strides per `TensorPoolCore.StrideRule` (§15.22), the
    /// same rule the producer applies when it creates the regions.
    private static func validatePools(_ pools: [PayloadPoolConfiguration], _ r: ConfigurationSectionReader, key: String,
                                      pageSize: Int, hugepageSize: Int?,
                                      source: ConfigurationError.Source) throws(ConfigurationError) {
        if pools.isEmpty {
            throw .invalidValue(key: r.path(key), value: "[]", reason: "at least one payload pool is required", source: source)
        }
        for (i, pool) in pools.enumerated() {
            let entry = "\(r.path(key))[\(i)]"
            do {
                try StrideRule.validate(strideBytes: Int(pool.strideBytes), pageSize: pageSize, hugepageSize: hugepageSize)
            } catch {
                let reason: String
                if case .invalidStride(_, let why) = error { reason = why } else { reason = error.description }
                throw .invalidValue(key: "\(entry).stride_bytes", value: String(pool.strideBytes), reason: reason, source: source)
            }
            if pools[..<i].contains(where: { $0.poolId == pool.poolId }) {
                throw .invalidValue(key: "\(entry).pool_id", value: String(pool.poolId),
                                    reason: "duplicate pool id", source: source)
            }
        }
    }
}
