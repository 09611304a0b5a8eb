/// A consumer's `payload_fallback_uri` resolved to a bridge subscription (spec §10.1.3, docs/BRIDGE.md
/// "Consumer FALLBACK").
///
/// Form: an Aeron channel plus the bridge's Aeron stream id in a `stream-id=<n>` parameter, e.g.
/// `aeron:udp?endpoint=10.0.0.5:40123|stream-id=7001` or `aeron:ipc?stream-id=7001`. The parameter is ours: it
/// is removed before the channel is given to the media driver. Without it, the consumer's
/// `fallback_bridge_stream_id` (``ConsumerConfiguration/fallbackBridgeStreamId``, overridden by
/// ``ConsumerOptions/fallbackBridgeStreamId``) is used; with neither the URI is refused. `bridge://<id>` URIs name a bridge instance that only a bridge
/// registry could resolve; there is none, so they are refused with a diagnostic.
public struct BridgeFallbackURI: Sendable, Hashable {
    /// The Aeron channel subscribed to (without `stream-id`).
    public var channel: String
    /// The bridge's Aeron stream id on ``channel``.
    public var streamId: Int32

    /// The URI parameter carrying the bridge's Aeron stream id.
    public static let streamIdParameter = "stream-id"

    /// Resolves `uri`; `defaultStreamId` applies when the URI has no `stream-id` parameter.
    public static func parse(_ uri: String, defaultStreamId: Int32?) -> Result<BridgeFallbackURI, BridgeFallbackURIError> {
        if uri.hasPrefix("bridge://") { return .failure(.bridgeIdUnsupported(uri)) }
        guard uri.hasPrefix("aeron:") else { return .failure(.unsupportedScheme(uri)) }
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let media = String(parts[0])
        guard media.count > "aeron:".count else { return .failure(.invalid(uri, "no media (expected aeron:udp or aeron:ipc)")) }
        var kept: [Substring] = []
        var streamId: Int32?
        if parts.count == 2 {
            for parameter in parts[1].split(separator: "|", omittingEmptySubsequences: true) {
                let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard pair.count == 2, pair[0] == Substring(streamIdParameter) else {
                    kept.append(parameter)
                    continue
                }
                guard streamId == nil else { return .failure(.invalid(uri, "\(streamIdParameter) given twice")) }
                guard let value = Int32(pair[1]) else {
                    return .failure(.invalid(uri, "\(streamIdParameter) '\(pair[1])' is not a 32-bit integer"))
                }
                streamId = value
            }
        }
        guard let resolved = streamId ?? defaultStreamId else { return .failure(.noStreamId(uri)) }
        let channel = kept.isEmpty ? media : media + "?" + kept.joined(separator: "|")
        return .success(BridgeFallbackURI(channel: channel, streamId: resolved))
    }
}

/// Why a fallback URI cannot be followed.
public enum BridgeFallbackURIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `bridge://<id>`: no bridge registry resolves ids.
    case bridgeIdUnsupported(String)
    /// Neither `aeron:` nor `bridge://`.
    case unsupportedScheme(String)
    /// An `aeron:` URI without `stream-id` and no configured default.
    case noStreamId(String)
    /// Malformed.
    case invalid(String, String)

    /// The diagnostic shown in logs and `lastDiagnostic`.
    public var description: String {
        switch self {
        case .bridgeIdUnsupported(let uri):
            return "fallback URI '\(uri)': bridge://<id> URIs are not supported (no bridge registry resolves ids); "
                + "give the bridge channel instead, e.g. aeron:udp?endpoint=host:port|stream-id=<bridge stream>"
        case .unsupportedScheme(let uri):
            return "fallback URI '\(uri)': unsupported scheme (expected aeron:)"
        case .noStreamId(let uri):
            return "fallback URI '\(uri)': no \(BridgeFallbackURI.streamIdParameter)=<n> parameter and no configured bridge stream id"
        case .invalid(let uri, let why):
            return "fallback URI '\(uri)': \(why)"
        }
    }
}
