/// A point-in-time view of the supervisor registry, for `tp supervisor status` and monitoring.
public struct SupervisorStatus: Sendable, Hashable, CustomStringConvertible {
    /// One producer's row of the status: identity, liveness, epoch history and progress (`current_seq`).
    public struct Producer: Sendable, Hashable {
        /// `key`.
        public var key: ProducerKey
        /// `state`.
        public var state: LivenessState
        /// `epoch`.
        public var epoch: UInt64
        /// `current_seq`.
        public var currentSeq: UInt64?
        /// Age of the last control-plane signal.
        public var lastSeenAgeNs: UInt64?
        /// `epoch_changes`.
        public var epochChanges: UInt64
        /// `epoch_regressions`.
        public var epochRegressions: UInt64
    }

    /// One consumer's row of the status: identity, liveness, QoS counters and rates, collisions and policy state.
    public struct Consumer: Sendable, Hashable {
        /// `key`.
        public var key: ConsumerKey
        /// `state`.
        public var state: LivenessState
        /// `mode`.
        public var mode: ConsumerMode?
        /// `epoch`.
        public var epoch: UInt64?
        /// `last_seq_seen`.
        public var lastSeqSeen: UInt64?
        /// `drops_gap`.
        public var dropsGap: UInt64
        /// `drops_late`.
        public var dropsLate: UInt64
        /// Drops per second over the last QoS window.
        public var dropsPerSecond: Double?
        /// Frames per second over the last QoS window.
        public var framesPerSecond: Double?
        /// Collision seen within the window.
        public var colliding: Bool
        /// `collisions`.
        public var collisions: UInt64
        /// `restarts`.
        public var restarts: UInt64
        /// Mode last commanded by the policy.
        public var commandedMode: ConsumerMode?
    }

    /// Time of the snapshot.
    public var nowNs: UInt64
    /// Producers sorted by key.
    public var producers: [Producer]
    /// Consumers sorted by key.
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
            let rate = c.dropsPerSecond.map { Int64(exactly: $0.rounded()).map(String.init) ?? String($0) } ?? "-"
            var line = "  stream=\(c.key.streamId) consumer=\(c.key.consumerId) state=\(c.state) mode=\(c.mode?.name ?? "-") lastSeq=\(c.lastSeqSeen.map(String.init) ?? "-") dropsGap=\(c.dropsGap) dropsLate=\(c.dropsLate) drops/s=\(rate)"
            if c.colliding { line += " COLLISION(\(c.collisions))" }
            if let m = c.commandedMode { line += " commanded=\(m.name)" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
