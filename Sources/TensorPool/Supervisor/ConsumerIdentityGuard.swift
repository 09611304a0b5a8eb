/// Detects two consumers using the same `consumer_id` on one stream (spec §10.1.2).
///
/// Rule, in two parts:
///
/// 1. **Session alternation** (senders with distinct Aeron sessions, e.g. exclusive publications).
///    A consumer sends hellos and QoS reports on different streams, so through different
///    publications with different session ids: each kind of message is bound separately. A message
///    from a new session rebinds the id to it and counts as a **restart** (a consumer that restarts
///    gets new sessions and its old ones fall silent). A message from the session the id was just
///    rebound *away from*, within `collisionWindowNs` of that session's last message, proves two live
///    senders interleaving: a **collision**. Its data is ignored, so it cannot pollute the QoS of the
///    consumer currently bound.
/// 2. **Counter pattern** (always applied to QoS reports): two sources interleaving their
///    `QosConsumer` reports make `epoch`, `last_seq_seen` or the drop counters go backwards on
///    alternate reports. One regression is a restart; a second regression within `collisionWindowNs`
///    of the first is a collision. This is the rule that works with *concurrent* publications: those
///    of one channel and stream share a single session on a driver, so consumers on one host all
///    look like the same sender and part 1 cannot tell them apart (pass `nil` then).
///
/// A collision flag clears after `collisionWindowNs` without colliding evidence.
public struct ConsumerIdentityGuard: Sendable, Hashable {
    /// Verdict on one message.
    public enum Verdict: Sendable, Hashable {
        /// From the bound source: use its data.
        case accept
        /// From a new source (restart) or counters restarted: use it, reset windows.
        case restart
        /// From a second live source with the same id: do not use its data.
        case collision
    }

    /// Which message kind a session binding is for.
    public enum Kind: Sendable, Hashable {
        /// `ConsumerHello`, which a consumer sends on the control stream and so through its own publication and
        /// session.
        case hello
        /// `QosConsumer`, sent on the QoS stream through a different publication, hence bound separately from hellos.
        case qos
    }

    struct Binding: Sendable, Hashable {
        var bound: Int32?
        var boundLastNs: UInt64 = 0
        var previous: Int32?
        var previousLastNs: UInt64 = 0
    }

    /// Window for collision evidence and flag expiry.
    public var collisionWindowNs: UInt64
    /// Session the collision evidence came from.
    public private(set) var collidingSession: Int32?
    /// Collisions detected.
    public private(set) var collisions: UInt64 = 0
    /// Restarts detected.
    public private(set) var restarts: UInt64 = 0
    private var hello = Binding()
    private var qos = Binding()
    private var lastCollisionNs: UInt64?
    private var lastRegressionNs: UInt64?
    private var lastReport: QosConsumerReport?

    /// Session bound for `kind`.
    public func boundSession(_ kind: Kind) -> Int32? {
        kind == .hello ? hello.bound : qos.bound
    }

    /// A guard with no session bound yet; `collisionWindowNs` (nanoseconds) should span a few QoS periods so that two
    /// interleaving senders are caught, yet expire a flag once one of them has gone.
    public init(collisionWindowNs: UInt64) {
        self.collisionWindowNs = collisionWindowNs
    }

    /// `true` while a collision was seen within the window.
    public func isColliding(nowNs: UInt64) -> Bool {
        guard let last = lastCollisionNs else { return false }
        return nowNs < last || nowNs - last <= collisionWindowNs
    }

    /// Judges a message of `kind` from `session` (`nil` when unknown) at `nowNs`; `report` is the QoS
    /// content for `.qos` messages.
    public mutating func judge(kind: Kind, session: Int32?, report: QosConsumerReport?, nowNs: UInt64) -> Verdict {
        if let session {
            var binding = kind == .hello ? hello : qos
            defer { if kind == .hello { hello = binding } else { qos = binding } }
            if let bound = binding.bound, bound != session {
                if session == binding.previous, nowNs >= binding.previousLastNs,
                   nowNs - binding.previousLastNs <= collisionWindowNs {
                    binding.previousLastNs = nowNs
                    return collide(session: session, nowNs: nowNs)
                }
                binding.previous = bound
                binding.previousLastNs = binding.boundLastNs
                binding.bound = session
                binding.boundLastNs = nowNs
                lastReport = report
                restarts += 1
                return .restart
            }
            binding.bound = session
            binding.boundLastNs = max(binding.boundLastNs, nowNs)
        }
        guard let report else { return .accept }
        defer { lastReport = report }
        guard let previous = lastReport else { return .accept }
        let regressed = report.epoch < previous.epoch
            || (report.epoch == previous.epoch
                && (report.lastSeqSeen < previous.lastSeqSeen || report.dropsGap < previous.dropsGap
                    || report.dropsLate < previous.dropsLate))
        guard regressed else { return .accept }
        if let last = lastRegressionNs, nowNs >= last, nowNs - last <= collisionWindowNs {
            lastRegressionNs = nowNs
            return collide(session: nil, nowNs: nowNs)
        }
        lastRegressionNs = nowNs
        restarts += 1
        return .restart
    }

    private mutating func collide(session: Int32?, nowNs: UInt64) -> Verdict {
        collisions += 1
        collidingSession = session
        lastCollisionNs = nowNs
        return .collision
    }
}
