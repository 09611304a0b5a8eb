import TensorPoolCodecs

extension Dtype {
    /// Bytes per element; `nil` for UNKNOWN, unrecognized values and BIT (packed, 8 elements per byte).
    @inlinable
    public var elementSize: Int? {
        switch self {
        case .uint8, .int8, .boolean, .bytes: 1
        case .uint16, .int16: 2
        case .uint32, .int32, .float32: 4
        case .uint64, .int64, .float64: 8
        case .unknown, .bit, .unrecognized: nil
        }
    }

    /// The schema name (`FLOAT32`), or `UNRECOGNIZED(<raw>)`.
    public var displayName: String { schemaName ?? "UNRECOGNIZED(\(rawValue))" }
}

extension MajorOrder {
    /// The schema name (`ROW`), or `UNRECOGNIZED(<raw>)`.
    public var displayName: String { schemaName ?? "UNRECOGNIZED(\(rawValue))" }
}

extension RegionType {
    /// The schema name (`HEADER_RING`), or `UNRECOGNIZED(<raw>)`.
    public var displayName: String { schemaName ?? "UNRECOGNIZED(\(rawValue))" }
}
