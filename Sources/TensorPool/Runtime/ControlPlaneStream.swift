/// The four logical streams of a data source (spec §5, §15.11). How they map onto Aeron streams comes from
/// ``AeronEndpointConfiguration``; several logical streams may share one Aeron stream (multiplexed by template id).
public enum ControlPlaneStream: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Announces, hellos, configs, responses, heartbeats (default stream 1000).
    case control = 0
    /// `FrameDescriptor` and `FrameProgress` (default stream 1100).
    case descriptor = 1
    /// `QosProducer`, `QosConsumer` (default stream 1200).
    case qos = 2
    /// `DataSourceAnnounce`, `DataSourceMeta` (default stream 1300).
    case metadata = 3

    /// The lower-case stream name (`control`, `descriptor`, `qos`, `metadata`), for log and diagnostic text.
    public var description: String {
        switch self {
        case .control: "control"
        case .descriptor: "descriptor"
        case .qos: "qos"
        case .metadata: "metadata"
        }
    }

    /// The Aeron stream id of this logical stream in `endpoint`.
    public func streamId(in endpoint: AeronEndpointConfiguration) -> Int32 {
        switch self {
        case .control: endpoint.controlStreamId
        case .descriptor: endpoint.descriptorStreamId
        case .qos: endpoint.qosStreamId
        case .metadata: endpoint.metadataStreamId
        }
    }
}
