/// Identity of a producer in the supervisor registry.
public struct ProducerKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `stream_id`.
    public var streamId: UInt32
    /// `producer_id`.
    public var producerId: UInt32
    public init(streamId: UInt32, producerId: UInt32) {
        self.streamId = streamId
        self.producerId = producerId
    }
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
    public init(streamId: UInt32, consumerId: UInt32) {
        self.streamId = streamId
        self.consumerId = consumerId
    }
    public static func < (a: ConsumerKey, b: ConsumerKey) -> Bool { (a.streamId, a.consumerId) < (b.streamId, b.consumerId) }
    /// `description`.
    public var description: String { "stream \(streamId) consumer \(consumerId)" }
}
