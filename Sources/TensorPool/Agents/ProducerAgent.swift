/// Supplies frames to a producer from inside its duty cycle (a camera SDK poll, a synthetic generator...).
public protocol ProducerFrameSource {
    /// Publishes whatever is ready at `nowNs` through `producer`; returns the work done (0 = nothing ready).
    mutating func produce(_ producer: TensorPoolProducer, nowNs: UInt64) -> Int
}

/// A producer and its frame source as one agent: each duty cycle runs the producer's control work, then the
/// source. Host it on an `AgentRunner` thread or call it from your loop.
public struct ProducerAgent<Source: ProducerFrameSource>: TensorPoolAgent {
    public let producer: TensorPoolProducer
    public private(set) var source: Source
    public var roleName: String { producer.roleName }

    public init(producer: TensorPoolProducer, source: Source) {
        self.producer = producer
        self.source = source
    }

    public mutating func doWork(nowNs: UInt64) throws -> Int {
        try producer.doWork(nowNs: nowNs) + source.produce(producer, nowNs: nowNs)
    }

    public mutating func onClose() {
        producer.close()
    }
}
