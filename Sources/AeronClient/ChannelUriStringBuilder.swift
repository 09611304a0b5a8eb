/// Builds Aeron channel URIs (`aeron:<media>?key=value|key=value`), e.g. the channels of a response-channel pair:
///
/// ```swift
/// // Client: a response subscription, then a request publication naming it.
/// let responseChannel = ChannelUriStringBuilder(media: .udp).controlEndpoint("localhost:10001").controlMode(.response)
/// let responses = try aeron.addSubscription(channel: try responseChannel.build(), streamId: 2)
/// let request = try ChannelUriStringBuilder(media: .udp).endpoint("localhost:10000")
///     .responseCorrelationId(responses.registrationId).build()
/// // Server: answer an image of its request subscription on a publication naming that image.
/// let reply = try responseChannel.responseCorrelationId(image.correlationId).build()
/// ```
///
/// Response channels work over `aeron:ipc` too: the client subscribes with `control-mode=response` and publishes
/// with `response-correlation-id=<subscription registration id>`; the server publishes with
/// `response-correlation-id=<Image.correlationId>` and the driver links only that publication to the response
/// subscription.
public struct ChannelUriStringBuilder: Sendable, Equatable, CustomStringConvertible {
    /// The transport after `aeron:`.
    public struct Media: RawRepresentable, Sendable, Equatable {
        /// The text after `aeron:`, e.g. `ipc`.
        public let rawValue: String
        /// Any media name (the driver decides whether it supports it).
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Shared-memory IPC.
        public static let ipc = Media(rawValue: "ipc")
        /// UDP unicast or multicast.
        public static let udp = Media(rawValue: "udp")
    }

    /// The `control-mode` parameter.
    public struct ControlMode: RawRepresentable, Sendable, Equatable {
        /// The parameter's value, e.g. `response`.
        public let rawValue: String
        /// Any control mode value.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Destinations added by the publisher.
        public static let manual = ControlMode(rawValue: "manual")
        /// Destinations learned from receivers' status messages.
        public static let dynamic = ControlMode(rawValue: "dynamic")
        /// The response side of a response-channel pair.
        public static let response = ControlMode(rawValue: "response")
    }

    /// The transport.
    public var media: Media
    /// `aeron-spy:` prefix for a spy subscription, or nil.
    public var isSpy = false
    /// Parameters in the order they were first set.
    public private(set) var parameters: [(key: String, value: String)] = []

    /// A builder for `aeron:<media>`.
    public init(media: Media) { self.media = media }

    /// Same media, spy prefix and parameters in the same order.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.media == rhs.media && lhs.isSpy == rhs.isSpy
            && lhs.parameters.map(\.key) == rhs.parameters.map(\.key) && lhs.parameters.map(\.value) == rhs.parameters.map(\.value)
    }

    /// Sets (or, with nil, removes) `key`; a key keeps its first position when set again.
    public func set(_ key: String, _ value: String?) -> Self {
        var copy = self
        if let index = copy.parameters.firstIndex(where: { $0.key == key }) {
            if let value { copy.parameters[index].value = value } else { copy.parameters.remove(at: index) }
        } else if let value {
            copy.parameters.append((key, value))
        }
        return copy
    }

    /// The value of `key`, if set.
    public func value(_ key: String) -> String? { parameters.first { $0.key == key }?.value }

    /// `endpoint=` (UDP: where the publication sends / the subscription receives).
    public func endpoint(_ value: String?) -> Self { set("endpoint", value) }
    /// `control=` (UDP: the control address of a multi-destination or response channel).
    public func controlEndpoint(_ value: String?) -> Self { set("control", value) }
    /// `control-mode=`.
    public func controlMode(_ value: ControlMode?) -> Self { set("control-mode", value?.rawValue) }
    /// `response-correlation-id=`: on a request publication, the registration id of the client's response
    /// subscription; on a response publication, the ``Image/correlationId`` of the request image it answers.
    public func responseCorrelationId(_ value: Int64?) -> Self { set("response-correlation-id", value.map(String.init)) }
    /// `session-id=`.
    public func sessionId(_ value: Int32?) -> Self { set("session-id", value.map(String.init)) }
    /// `term-length=` (bytes).
    public func termLength(_ value: Int?) -> Self { set("term-length", value.map(String.init)) }
    /// `mtu=` (bytes).
    public func mtu(_ value: Int?) -> Self { set("mtu", value.map(String.init)) }

    /// The URI, e.g. `aeron:udp?endpoint=localhost:10000|response-correlation-id=7`.
    ///
    /// - Throws: ``AeronError/invalidArgument(_:)`` when a key is empty or holds `=`, `|` or `?`, or a value is empty
    ///   or holds `|` (the URI could not be parsed back as written).
    public func build() throws(AeronError) -> String {
        var uri = (isSpy ? "aeron-spy:" : "") + "aeron:" + media.rawValue
        for (i, parameter) in parameters.enumerated() {
            guard !parameter.key.isEmpty, !parameter.key.contains(where: { "=|?".contains($0) }) else {
                throw .invalidArgument("channel URI key '\(parameter.key)' is empty or contains '=', '|' or '?'")
            }
            guard !parameter.value.isEmpty, !parameter.value.contains("|") else {
                throw .invalidArgument("channel URI value '\(parameter.value)' of '\(parameter.key)' is empty or contains '|'")
            }
            uri += (i == 0 ? "?" : "|") + parameter.key + "=" + parameter.value
        }
        return uri
    }

    /// The URI, or a note that it is invalid.
    public var description: String { (try? build()) ?? "invalid channel URI aeron:\(media.rawValue) \(parameters)" }
}
