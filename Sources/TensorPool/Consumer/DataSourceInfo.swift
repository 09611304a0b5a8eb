/// A producer's data-source beacon (`DataSourceAnnounce`, spec §10.3.1) as a consumer received it: who produces the
/// stream, in which epoch, which `meta_version` is current, and the optional human-readable name and summary.
public struct DataSourceInfo: Sendable, Hashable {
    /// Longest `name` a consumer accepts (bytes).
    public static let maxNameBytes = 1024
    /// Longest `summary` a consumer accepts (bytes).
    public static let maxSummaryBytes = 4096

    /// `stream_id` of the data source.
    public var streamId: UInt32
    /// `producer_id` of the producer announcing it.
    public var producerId: UInt32
    /// The producer's `epoch` (changes when it restarts or remaps its regions).
    public var epoch: UInt64
    /// The `meta_version` current at the producer when it sent the beacon (its latest `DataSourceMeta`).
    public var metaVersion: UInt32
    /// Human-readable name or id of the source (`name`, optional in the schema: `nil` when absent or empty).
    public var name: String?
    /// Nominal dtype/shape summary (`summary`, optional in the schema: `nil` when absent or empty).
    public var summary: String?

    /// A beacon with the given fields (as decoded from a `DataSourceAnnounce`, or built by hand in tests).
    public init(streamId: UInt32, producerId: UInt32, epoch: UInt64, metaVersion: UInt32,
                name: String?, summary: String?) {
        self.streamId = streamId
        self.producerId = producerId
        self.epoch = epoch
        self.metaVersion = metaVersion
        self.name = name
        self.summary = summary
    }
}
