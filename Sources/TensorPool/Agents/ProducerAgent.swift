/// Supplies frames to a producer from inside its duty cycle (a camera SDK poll, a synthetic generator...).
public protocol ProducerFrameSource {
    /// Publishes whatever is ready at `nowNs` through `producer`; returns the work done (0 = nothing ready).
    mutating func produce(_ producer: TensorPoolProducer, nowNs: UInt64) -> Int
}

/// A producer and its frame source as one agent: each duty cycle runs the producer's control work, then the
/// source. Host it on an `AgentRunner` thread or call it from your loop.
///
/// The producer's control work polls its control and QoS subscriptions, which have one Aeron image per publisher:
/// the producer's own plus one per consumer on each stream (measured ~16 ns per consumer per cycle on the project
/// machine when polled every cycle). The producer's ``ControlPlane`` already skips those polls for
/// ``TensorPoolProducer/controlPollIntervalNs`` after one that read nothing; ``controlIntervalNs`` goes further and
/// runs the whole control work (polls, announces, QoS) at most that often.
public struct ProducerAgent<Source: ProducerFrameSource>: TensorPoolAgent {
    /// The producer whose control work (hellos, announces, QoS, progress) this agent runs; also reachable by the
    /// source, which publishes through it.
    public let producer: TensorPoolProducer
    /// The frame source polled once per duty cycle after the producer's control work; `private(set)` because the
    /// agent mutates it in place (frame counters, pacing state) on the agent's thread only.
    public private(set) var source: Source
    /// The producer's role name, used by `AgentRunner` to name the thread and by logs to tag lines.
    public var roleName: String { producer.roleName }
    /// Run ``TensorPoolProducer/doWork(nowNs:)`` at most every this many nanoseconds (0, the default: every cycle).
    /// A clock that goes backwards makes it due.
    public var controlIntervalNs: UInt64
    /// When the producer's control work last ran (`nil`: not yet).
    public private(set) var lastControlNs: UInt64?

    /// Wraps `producer` and `source`; `controlIntervalNs` (nanoseconds, 0 = every cycle) throttles the producer's
    /// control work as described above. The agent takes no ownership beyond closing the producer in ``onClose()``.
    public init(producer: TensorPoolProducer, source: Source, controlIntervalNs: UInt64 = 0) {
        self.producer = producer
        self.source = source
        self.controlIntervalNs = controlIntervalNs
    }

    /// Runs the producer's control work when due, then lets the source publish; returns the sum of both, so an idle
    /// strategy backs off only when neither had anything to do. Throws what ``TensorPoolProducer/doWork(nowNs:)``
    /// throws.
    public mutating func doWork(nowNs: UInt64) throws -> Int {
        var work = 0
        if controlIntervalNs == 0 || lastControlNs.map({ nowNs < $0 || nowNs - $0 >= controlIntervalNs }) ?? true {
            lastControlNs = nowNs
            work += try producer.doWork(nowNs: nowNs)
        }
        return work + source.produce(producer, nowNs: nowNs)
    }

    /// Closes the producer (unlinking its regions when ``ProducerOptions/unlinkOnClose`` is set) when the runner
    /// stops; the source is not told, since it holds no Aeron or SHM resources of its own.
    public mutating func onClose() {
        producer.close()
    }
}
