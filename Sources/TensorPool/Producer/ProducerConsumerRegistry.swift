/// The producer's view of its consumers, learnt from `ConsumerHello` and refreshed by `QosConsumer`.
///
/// A consumer expires when silent for more than `expiryMultiple` hello/QoS cadences. Whenever the
/// set of live consumers or their hints change, the effective ``ProgressPolicy`` and whether
/// progress is wanted at all are recomputed (spec §10.2.2). Not a hot-path type (1 Hz messages).
public final class ProducerConsumerRegistry {
    /// One known consumer.
    public struct Entry: Sendable, Hashable {
        /// Latest hello of the consumer.
        public var hint: ConsumerHint
        /// Local time of its last hello or QoS.
        public var lastSeenNs: UInt64
    }

    /// Stream of this producer.
    public let streamId: UInt32
    /// Expected interval between a consumer's hello/QoS messages.
    public let cadenceNs: UInt64
    /// Silence longer than `expiryMultiple * cadenceNs` removes the consumer.
    public let expiryMultiple: UInt32
    /// Defaults and floors of the progress policy.
    public let aggregator: ProgressPolicyAggregator

    /// Live consumers by id.
    public private(set) var entries: [UInt32: Entry] = [:]
    /// Effective progress policy for the live consumers.
    public private(set) var policy: ProgressPolicy
    /// `true` while at least one live consumer supports progress.
    public private(set) var progressWanted = false
    /// Consumers removed by expiry so far.
    public private(set) var expiredCount: UInt64 = 0
    /// Hellos for another stream, ignored.
    public private(set) var ignoredCount: UInt64 = 0

    /// A registry for `streamId` expiring consumers silent for `expiryMultiple * cadenceNs` nanoseconds (e.g. 3 ×
    /// 1 s hello/QoS cadence); starts empty, with the policy `aggregator` yields for no hints.
    public init(streamId: UInt32, cadenceNs: UInt64, expiryMultiple: UInt32,
                aggregator: ProgressPolicyAggregator = ProgressPolicyAggregator()) {
        self.streamId = streamId
        self.cadenceNs = cadenceNs
        self.expiryMultiple = expiryMultiple
        self.aggregator = aggregator
        self.policy = aggregator.aggregate([ConsumerHint]())
    }

    /// A `ConsumerHello` arrived. Returns `true` when the effective policy or progress-wanted changed.
    @discardableResult
    public func onHello(_ hint: ConsumerHint, nowNs: UInt64) -> Bool {
        guard hint.streamId == streamId else {
            ignoredCount += 1
            return false
        }
        let previous = entries[hint.consumerId]
        entries[hint.consumerId] = Entry(hint: hint, lastSeenNs: max(nowNs, previous?.lastSeenNs ?? 0))
        if previous?.hint == hint { return false }
        return recompute()
    }

    /// A `QosConsumer` arrived: refreshes liveness of a known consumer (unknown ids wait for a hello).
    public func onQos(streamId: UInt32, consumerId: UInt32, nowNs: UInt64) {
        guard streamId == self.streamId, var entry = entries[consumerId] else { return }
        entry.lastSeenNs = max(entry.lastSeenNs, nowNs)
        entries[consumerId] = entry
    }

    /// Removes consumers silent for too long. Returns `true` when the policy changed.
    @discardableResult
    public func expire(nowNs: UInt64) -> Bool {
        let window = LivenessTracker.window(cadenceNs, expiryMultiple)
        // Scan first without allocating: the expiry cadence runs on the duty cycle and usually removes nobody.
        var anyExpired = false
        var index = entries.startIndex
        while index != entries.endIndex {
            let lastSeenNs = entries.values[index].lastSeenNs
            if nowNs > lastSeenNs && nowNs - lastSeenNs > window {
                anyExpired = true
                break
            }
            entries.formIndex(after: &index)
        }
        guard anyExpired else { return false }
        let before = entries.count
        entries = entries.filter { _, entry in nowNs <= entry.lastSeenNs || nowNs - entry.lastSeenNs <= window }
        let removed = before - entries.count
        guard removed > 0 else { return false }
        expiredCount += UInt64(removed)
        return recompute()
    }

    /// Live consumer ids in ascending order.
    public var consumerIds: [UInt32] { entries.keys.sorted() }

    private func recompute() -> Bool {
        let hints = entries.values.map(\.hint)
        let newPolicy = aggregator.aggregate(hints)
        let newWanted = aggregator.isProgressWanted(hints)
        defer {
            policy = newPolicy
            progressWanted = newWanted
        }
        return newPolicy != policy || newWanted != progressWanted
    }
}
