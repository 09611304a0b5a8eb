/// Why an incoming control-plane fragment (or message) was not used. Each reason has its own counter in
/// ``ControlPlaneCounters``; each is logged at most once per second per reason.
public enum ControlMessageRejection: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Shorter than the 8-byte SBE message header.
    case shorterThanHeader = 0
    /// The SBE header carries another schema id than 900.
    case wrongSchemaId
    /// Schema 900 but a template id this implementation does not know (or an SHM-only template).
    case unknownTemplateId
    /// The root block is shorter than the header's `blockLength`, or `blockLength` is below the minimum of version 0.
    case truncated
    /// Groups or variable-length data inconsistent with the message length (or out of order, bad encoding).
    case malformedBody
    /// An enum field carries a value outside the schema (mode, dtype, response code...).
    case unknownEnumValue
    /// Well-formed but semantically invalid (path outside the SHM root, wrong layout version, file too short...).
    case invalidContent

    /// Lower-case phrase used in the rate-limited rejection log lines.
    public var description: String {
        switch self {
        case .shorterThanHeader: "shorter than the SBE header"
        case .wrongSchemaId: "wrong schema id"
        case .unknownTemplateId: "unknown template id"
        case .truncated: "truncated"
        case .malformedBody: "malformed body"
        case .unknownEnumValue: "unknown enum value"
        case .invalidContent: "invalid content"
        }
    }
}
