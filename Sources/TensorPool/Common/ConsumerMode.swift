/// How a consumer selects frames from the descriptor stream (spec §11, wire enum `Mode`).
///
/// Raw values are the SBE wire values of the `Mode` enum (uint8): they must not change.
public enum ConsumerMode: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Process every descriptor; frames the consumer is too late for are dropped.
    case stream = 1
    /// Keep only the newest descriptor of each poll; process at a low rate.
    case latest = 2
    /// Process every Nth frame (N = decimation).
    case decimated = 3

    /// Parses a configuration name (`stream`, `latest`, `decimated`, case-insensitive).
    public init?(name: String) {
        switch name.lowercased() {
        case "stream": self = .stream
        case "latest": self = .latest
        case "decimated": self = .decimated
        default: return nil
        }
    }

    /// The configuration name of the mode.
    public var name: String {
        switch self {
        case .stream: "stream"
        case .latest: "latest"
        case .decimated: "decimated"
        }
    }

    /// The configuration name (`stream`, `latest`, `decimated`), so logs and `tp` output use the spelling a user
    /// would type in TOML.
    public var description: String { name }
}
