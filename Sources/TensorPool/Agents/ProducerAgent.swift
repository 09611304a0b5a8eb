/// Supplies frames to a producer from inside its duty cycle (a camera SDK poll, a synthetic generator...).
public protocol ProducerFrameSource {
    /// Publishes whatever is ready at `nowNs` through `producer`; returns the work done (0 = nothing ready).
    mutating func produce(_ producer: TensorPoolProducer, nowNs: UInt64) -> Int
}

/// A producer and its frame source as one agent: each duty cycle runs the producer's control work, then the
/// source. Host it on an `AgentRunner` thread or call it from your loop.
///
/// The producer's control work polls its control and QoS subscriptions, which have one Aeron image per publisher:
/// the producer's own plus one per consumer on each stream. A source that publishes every cycle pays that per
/// frame, and after each payload copy those image lines are cold (measured ~16 ns per consumer per cycle on the
/// project machine). ``controlIntervalNs`` runs the control work at most that often instead (hellos, QoS and
/// announces are 1 Hz messages), so the per-frame cost no longer grows with the number of consumers.
public struct ProducerAgent<Source: ProducerFrameSource>: TensorPoolAgent {
    public let producer: TensorPoolProducer
    public private(set) var source: Source
    public var roleName: String { producer.roleName }
    /// Run ``TensorPoolProducer/doWork(nowNs:)`` at most every this many nanoseconds (0, the default: every cycle).
    /// A clock that goes backwards makes it due.
    public var controlIntervalNs: UInt64
    /// When the producer's control work last ran (`nil`: not yet).
    public private(set) var lastControlNs: UInt64?

    public init(producer: TensorPoolProducer, source: Source, controlIntervalNs: UInt64 = 0) {
        self.producer = producer
        self.source = source
        self.controlIntervalNs = controlIntervalNs
    }

    public mutating func doWork(nowNs: UInt64) throws -> Int {
        var work = 0
        if controlIntervalNs == 0 || lastControlNs.map({ nowNs < $0 || nowNs - $0 >= controlIntervalNs }) ?? true {
            lastControlNs = nowNs
            work += try producer.doWork(nowNs: nowNs)
        }
        return work + source.produce(producer, nowNs: nowNs)
    }

    public mutating func onClose() {
        producer.close()
    }
}
