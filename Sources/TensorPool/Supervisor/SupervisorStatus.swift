/// A point-in-time view of the supervisor registry, for `tp supervisor status` and monitoring.
public struct SupervisorStatus: Sendable, Hashable, CustomStringConvertible {
    public struct Producer: Sendable, Hashable {
        public var key: ProducerKey
        public var state: LivenessState
        public var epoch: UInt64
        public var currentSeq: UInt64?
        public var lastSeenAgeNs: UInt64?
        public var epochChanges: UInt64
        public var epochRegressions: UInt64
    }

    public struct Consumer: Sendable, Hashable {
        public var key: ConsumerKey
        public var state: LivenessState
        public var mode: ConsumerMode?
        public var epoch: UInt64?
        public var lastSeqSeen: UInt64?
        public var dropsGap: UInt64
        public var dropsLate: UInt64
        public var dropsPerSecond: Double?
        public var framesPerSecond: Double?
        public var colliding: Bool
        public var collisions: UInt64
        public var restarts: UInt64
        public var commandedMode: ConsumerMode?
    }

    public var nowNs: UInt64
    public var producers: [Producer]
    public var consumers: [Consumer]

    /// Plain-text table rendering, one line per entry.
    public var description: String {
        var lines = ["producers: \(producers.count)"]
        for p in producers {
            let seq = p.currentSeq.map(String.init) ?? "-"
            let age = p.lastSeenAgeNs.map { "\($0 / 1_000_000)ms" } ?? "-"
            lines.append("  stream=\(p.key.streamId) producer=\(p.key.producerId) state=\(p.state) epoch=\(p.epoch) seq=\(seq) age=\(age) epochChanges=\(p.epochChanges)")
        }
        lines.append("consumers: \(consumers.count)")
        for c in consumers {
            let rate = c.dropsPerSecond.map { String(Int($0.rounded())) } ?? "-"
            var line = "  stream=\(c.key.streamId) consumer=\(c.key.consumerId) state=\(c.state) mode=\(c.mode?.name ?? "-") lastSeq=\(c.lastSeqSeen.map(String.init) ?? "-") dropsGap=\(c.dropsGap) dropsLate=\(c.dropsLate) drops/s=\(rate)"
            if c.colliding { line += " COLLISION(\(c.collisions))" }
            if let m = c.commandedMode { line += " commanded=\(m.name)" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
