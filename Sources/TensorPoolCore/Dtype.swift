/// Scalar element type of a tensor (schema enum `Dtype`, int16; normative values in §15.8).
///
/// `unknown` (0) exists on the wire but is never a valid element type: headers carrying it are rejected.
public enum Dtype: Int16, Sendable, CaseIterable, CustomStringConvertible {
    case unknown = 0
    case uint8 = 1
    case int8 = 2
    case uint16 = 3
    case int16 = 4
    case uint32 = 5
    case int32 = 6
    case uint64 = 7
    case int64 = 8
    case float32 = 9
    case float64 = 10
    case boolean = 11
    case bytes = 13
    case bit = 14

    /// Bytes per element; `nil` for `unknown` and for `bit` (packed, 8 elements per byte).
    @inlinable
    public var elementSize: Int? {
        switch self {
        case .uint8, .int8, .boolean, .bytes: 1
        case .uint16, .int16: 2
        case .uint32, .int32, .float32: 4
        case .uint64, .int64, .float64: 8
        case .unknown, .bit: nil
        }
    }

    /// The schema name, e.g. `FLOAT32`.
    public var description: String {
        switch self {
        case .unknown: "UNKNOWN"
        case .uint8: "UINT8"
        case .int8: "INT8"
        case .uint16: "UINT16"
        case .int16: "INT16"
        case .uint32: "UINT32"
        case .int32: "INT32"
        case .uint64: "UINT64"
        case .int64: "INT64"
        case .float32: "FLOAT32"
        case .float64: "FLOAT64"
        case .boolean: "BOOLEAN"
        case .bytes: "BYTES"
        case .bit: "BIT"
        }
    }
}
