/// The attributes a producer published for one `meta_version` of its data source (`DataSourceMeta`, spec §10.3.2),
/// as a consumer received them: what a frame's `meta_version` (``TensorSlotHeader/metaVersion``) refers to
/// (camera serial, intrinsics, units...).
///
/// Decoded only when a new version or changed content arrives, never on the frame path. A consumer accepts at most
/// ``maxAttributes`` attributes and ``maxAttributeBytes`` bytes of keys, formats and values per message, keys and
/// formats of printable US-ASCII only (the schema's `varAsciiEncoding`); anything else is rejected as a whole.
public struct DataSourceMetadata: Sendable, Hashable {
    /// Largest number of attributes a consumer accepts in one `DataSourceMeta` (the schema allows 65535):
    /// bounds the memory one hostile message can make a consumer allocate.
    public static let maxAttributes = 256
    /// Largest sum of key, format and value bytes a consumer accepts in one `DataSourceMeta` (1 MiB). Producers
    /// with larger calibration data are expected to use meta blobs (spec §10.3.3).
    public static let maxAttributeBytes = 1 << 20

    /// `stream_id` of the data source.
    public var streamId: UInt32
    /// `meta_version` these attributes belong to: frames carrying this value in their header refer to them.
    public var metaVersion: UInt32
    /// `timestamp_ns` of the message that introduced this content (producer clock). Periodic re-sends of the same
    /// content carry newer timestamps and do not update it.
    public var timestampNs: UInt64
    /// The attributes in the order the producer sent them. Consumers MAY ignore unknown keys (spec §10.3.2).
    public var attributes: [MetaAttribute]

    /// Metadata with the given fields (as decoded from a `DataSourceMeta`, or built by hand in tests).
    public init(streamId: UInt32, metaVersion: UInt32, timestampNs: UInt64, attributes: [MetaAttribute]) {
        self.streamId = streamId
        self.metaVersion = metaVersion
        self.timestampNs = timestampNs
        self.attributes = attributes
    }

    /// The first attribute named `key`, if any (keys are meant to be unique within one version).
    public func attribute(forKey key: String) -> MetaAttribute? {
        attributes.first { $0.key == key }
    }

    /// Whether both describe the same content: stream, version and attributes, whatever their timestamps.
    public func hasSameContent(as other: DataSourceMetadata) -> Bool {
        streamId == other.streamId && metaVersion == other.metaVersion && attributes == other.attributes
    }
}
