/// A superblock field that does not match what the announce (or the producer's configuration) promised.
///
/// §15.1/§15.14: any mismatch means the mapping must be dropped and the region remapped (or the data source
/// failed); the message names the field and both values so an operator can tell a stale epoch from a
/// misconfigured pool.
public struct SuperblockMismatch: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The first field that differs.
    public let field: SuperblockField
    /// The announced (or configured) value, widened to 64 bits.
    public let expected: UInt64
    /// The value found in the region, widened to 64 bits.
    public let actual: UInt64

    /// A mismatch of `field`.
    public init(field: SuperblockField, expected: UInt64, actual: UInt64) {
        self.field = field
        self.expected = expected
        self.actual = actual
    }

    /// `superblock field <name>: expected X, found Y` (magic in hex), for drop reasons and `tp` output.
    public var description: String {
        if field == .magic {
            return "superblock field magic: expected 0x\(String(expected, radix: 16, uppercase: true)), found 0x\(String(actual, radix: 16, uppercase: true))"
        }
        return "superblock field \(field.rawValue): expected \(expected), found \(actual)"
    }
}
