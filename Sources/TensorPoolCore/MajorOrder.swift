/// Dimension order of a tensor (schema enum `MajorOrder`, int16; §15.8).
///
/// Row-major: the last dimension is innermost (smallest stride). Column-major: the first dimension is innermost.
/// `unknown` (0) is rejected in headers.
public enum MajorOrder: Int16, Sendable, CaseIterable, CustomStringConvertible {
    case unknown = 0
    case row = 1
    case column = 2

    public var description: String {
        switch self {
        case .unknown: "UNKNOWN"
        case .row: "ROW"
        case .column: "COLUMN"
        }
    }
}
