/// Identity of a producer in the supervisor registry.
public struct ProducerKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `stream_id`.
    public var streamId: UInt32
    /// `producer_id`.
    public var producerId: UInt32
    /// The key of producer `producerId` on `streamId`; the pair is unique per live producer (spec §10.1.1).
    public init(streamId: UInt32, producerId: UInt32) {
        self.streamId = streamId
        self.producerId = producerId
    }
    /// Orders by stream, then producer id, so status output lists producers grouped by stream.
    public static func < (a: ProducerKey, b: ProducerKey) -> Bool { (a.streamId, a.producerId) < (b.streamId, b.producerId) }
    /// `description`.
    public var description: String { "stream \(streamId) producer \(producerId)" }
}

/// Identity of a consumer in the supervisor registry.
public struct ConsumerKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `stream_id`.
    public var streamId: UInt32
    /// `consumer_id`.
    public var consumerId: UInt32
    /// The key of consumer `consumerId` on `streamId`; two live processes sharing it are a collision (spec §10.1.2).
    public init(streamId: UInt32, consumerId: UInt32) {
        self.streamId = streamId
        self.consumerId = consumerId
    }
    /// Orders by stream, then consumer id, so status output lists consumers grouped by stream.
    public static func < (a: ConsumerKey, b: ConsumerKey) -> Bool { (a.streamId, a.consumerId) < (b.streamId, b.consumerId) }
    /// `description`.
    public var description: String { "stream \(streamId) consumer \(consumerId)" }
}
