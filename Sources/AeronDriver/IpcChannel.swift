/// A parsed, validated `aeron:ipc` channel URI with the parameters an IPC-only driver honours.
///
/// Network (`aeron:udp`) and spy (`aeron-spy:`) channels are refused with a message pointing at the Aeron C or
/// Java media driver; unknown parameters are refused too, so a typo never silently changes behaviour.
public struct IpcChannel: Sendable, Equatable {
    /// The original URI string, as sent by the client.
    public let uri: String
    /// `term-length` (bytes).
    public var termLength: Int?
    /// `mtu` (bytes).
    public var mtu: Int?
    /// `pub-wnd` (bytes).
    public var publicationWindow: Int?
    /// `session-id`.
    public var sessionId: Int32?
    /// `init-term-id` (with `term-id` and `term-offset`: the start position).
    public var initialTermId: Int32?
    /// `term-id`.
    public var termId: Int32?
    /// `term-offset`.
    public var termOffset: Int?
    /// `sparse`.
    public var sparse: Bool?
    /// `eos`.
    public var signalEndOfStream: Bool?
    /// `linger` (ns).
    public var lingerNs: Int64?
    /// Entity tag from `tags=<channel>,<entity>`.
    public var entityTag: Int64?
    /// `response-correlation-id`.
    public var responseCorrelationId: Int64?
    /// `untethered-window-limit-timeout` (ns).
    public var untetheredWindowLimitTimeoutNs: Int64?
    /// `untethered-linger-timeout` (ns).
    public var untetheredLingerTimeoutNs: Int64?
    /// `untethered-resting-timeout` (ns).
    public var untetheredRestingTimeoutNs: Int64?
    /// Subscription only: tethered (default true).
    public var tether: Bool?
    /// Subscription only: rejoin after being dropped as untethered (default true).
    public var rejoin: Bool?
    /// `control-mode=response`.
    public var isResponse = false

    /// Keys accepted on `aeron:ipc` (parsed but irrelevant ones included so standard URIs are not refused).
    static let knownKeys: Set<String> = [
        "term-length", "mtu", "pub-wnd", "session-id", "init-term-id", "term-id", "term-offset", "sparse", "eos",
        "linger", "tags", "response-correlation-id", "untethered-window-limit-timeout", "untethered-linger-timeout",
        "untethered-resting-timeout", "tether", "rejoin", "control-mode", "ssc", "max-resend", "alias",
        "reliable", "group", "spies-simulate-connection", "stream-id",
    ]

    /// Maximum URI length (bytes), as the C driver.
    public static let maxLength = 4095

    /// Parses `uri`; throws the ON_ERROR the driver sends for it.
    public static func parse(_ uri: String) throws(ControlError) -> IpcChannel {
        guard uri.utf8.count <= maxLength else { throw ControlError(.invalidChannel, "channel URI too long: length=\(uri.utf8.count)") }
        if uri.hasPrefix("aeron:udp") || uri.hasPrefix("aeron-spy:") {
            throw ControlError(.notSupported,
                "network channels are not served by the embedded Swift IPC media driver (it serves aeron:ipc only); "
                + "run the Aeron C or Java media driver for network channels: channel=\(uri)")
        }
        guard uri.hasPrefix("aeron:ipc") else {
            throw ControlError(.invalidChannel, "invalid channel, expected aeron:ipc[?key=value|...]: channel=\(uri)")
        }
        let rest = uri.dropFirst("aeron:ipc".count)
        var channel = IpcChannel(uri: uri)
        if rest.isEmpty { return channel }
        guard rest.first == "?" else {
            throw ControlError(.invalidChannel, "invalid channel, expected aeron:ipc[?key=value|...]: channel=\(uri)")
        }
        for pair in rest.dropFirst().split(separator: "|", omittingEmptySubsequences: false) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ControlError(.invalidChannel, "invalid channel parameter '\(pair)', expected key=value: channel=\(uri)")
            }
            let key = String(parts[0]), value = String(parts[1])
            guard knownKeys.contains(key) else {
                throw ControlError(.invalidChannel,
                    "unknown or unsupported parameter '\(key)' for aeron:ipc (network parameters need the Aeron C or Java media driver): channel=\(uri)")
            }
            try channel.apply(key: key, value: value)
        }
        return channel
    }

    private mutating func apply(key: String, value: String) throws(ControlError) {
        switch key {
        case "term-length": termLength = try Self.size(key, value)
        case "mtu": mtu = try Self.size(key, value)
        case "pub-wnd": publicationWindow = try Self.size(key, value)
        case "session-id": sessionId = try Self.int32(key, value)
        case "init-term-id": initialTermId = try Self.int32(key, value)
        case "term-id": termId = try Self.int32(key, value)
        case "term-offset": termOffset = try Self.size(key, value)
        case "sparse": sparse = try Self.bool(key, value)
        case "eos": signalEndOfStream = try Self.bool(key, value)
        case "tether": tether = try Self.bool(key, value)
        case "rejoin": rejoin = try Self.bool(key, value)
        case "linger": lingerNs = try Self.duration(key, value)
        case "untethered-window-limit-timeout": untetheredWindowLimitTimeoutNs = try Self.duration(key, value)
        case "untethered-linger-timeout": untetheredLingerTimeoutNs = try Self.duration(key, value)
        case "untethered-resting-timeout": untetheredRestingTimeoutNs = try Self.duration(key, value)
        case "response-correlation-id": responseCorrelationId = try Self.int64(key, value)
        case "control-mode": isResponse = value == "response"
        case "tags":
            let tags = value.split(separator: ",", omittingEmptySubsequences: false)
            if tags.count > 1, !tags[1].isEmpty { entityTag = try Self.int64(key, String(tags[1])) }
        default: break
        }
    }

    static func int64(_ key: String, _ value: String) throws(ControlError) -> Int64 {
        guard let v = Int64(value) else { throw ControlError(.genericError, "invalid value for \(key): \(value)") }
        return v
    }

    static func int32(_ key: String, _ value: String) throws(ControlError) -> Int32 {
        guard let v = Int32(value) else { throw ControlError(.genericError, "invalid value for \(key): \(value)") }
        return v
    }

    static func bool(_ key: String, _ value: String) throws(ControlError) -> Bool {
        switch value {
        case "true": return true
        case "false": return false
        default: throw ControlError(.genericError, "invalid value for \(key), expected true or false: \(value)")
        }
    }

    /// A size with an optional `k`/`m`/`g` suffix.
    static func size(_ key: String, _ value: String) throws(ControlError) -> Int {
        var digits = Substring(value)
        var multiplier = 1
        switch value.last {
        case "k", "K": multiplier = 1024; digits = digits.dropLast()
        case "m", "M": multiplier = 1024 * 1024; digits = digits.dropLast()
        case "g", "G": multiplier = 1024 * 1024 * 1024; digits = digits.dropLast()
        default: break
        }
        guard let v = Int(digits), v >= 0, v <= Int(Int32.max) / multiplier else {
            throw ControlError(.genericError, "invalid size for \(key): \(value)")
        }
        return v * multiplier
    }

    /// A duration in ns with an optional `ns`/`us`/`ms`/`s` suffix.
    static func duration(_ key: String, _ value: String) throws(ControlError) -> Int64 {
        let units: [(String, Int64)] = [("ns", 1), ("us", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000)]
        for (suffix, scale) in units where value.hasSuffix(suffix) {
            guard let v = Int64(value.dropLast(suffix.count)), v >= 0, v <= Int64.max / scale else { break }
            return v * scale
        }
        guard let v = Int64(value), v >= 0 else { throw ControlError(.genericError, "invalid duration for \(key): \(value)") }
        return v
    }
}
