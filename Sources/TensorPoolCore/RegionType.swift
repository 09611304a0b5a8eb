/// `region_type` of a superblock (schema enum `RegionType`, int16).
public enum RegionType: Int16, Sendable, CaseIterable, CustomStringConvertible {
    case headerRing = 1
    case payloadPool = 2

    public var description: String {
        switch self {
        case .headerRing: "HEADER_RING"
        case .payloadPool: "PAYLOAD_POOL"
        }
    }
}
