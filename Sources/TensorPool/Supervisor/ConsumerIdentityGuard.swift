/// Detects two consumers using the same `consumer_id` on one stream (spec §10.1.2).
///
/// Rule, in two parts:
///
/// 1. **Session binding** (when the Aeron session id of the sender is known, which it always is
///    over Aeron: each consumer process has its own publication): the id is bound to the first
///    session seen. A message from another session while the bound one is not EXPIRED is a
///    **collision**; its data is ignored so it cannot pollute the bound consumer's QoS. A message from
///    another session after the bound one EXPIRED is a **restart**: the id is rebound.
/// 2. **Counter pattern** (session unknown): two sources interleaving their `QosConsumer` reports
///    make `epoch`, `last_seq_seen` or the drop counters go backwards on alternate reports. One
///    regression is a restart; a second regression within `collisionWindowNs` of the first is a
///    (suspected) collision.
///
/// A collision flag clears after `collisionWindowNs` without colliding evidence.
public struct ConsumerIdentityGuard: Sendable, Hashable {
    /// Verdict on one message.
    public enum Verdict: Sendable, Hashable {
        /// From the bound source: use its data.
        case accept
        /// From a new source after the old one expired, or counters restarted: use it, reset windows.
        case restart
        /// From a second source with the same id: do not use its data.
        case collision
    }

    /// Window for collision evidence and flag expiry.
    public var collisionWindowNs: UInt64
    /// Aeron session the id is bound to.
    public private(set) var boundSession: Int32?
    /// Session of the last colliding sender.
    public private(set) var collidingSession: Int32?
    /// Collisions detected.
    public private(set) var collisions: UInt64 = 0
    /// Restarts detected.
    public private(set) var restarts: UInt64 = 0
    private var lastCollisionNs: UInt64?
    private var lastRegressionNs: UInt64?
    private var lastReport: QosConsumerReport?

    public init(collisionWindowNs: UInt64) {
        self.collisionWindowNs = collisionWindowNs
    }

    /// `true` while a collision was seen within the window.
    public func isColliding(nowNs: UInt64) -> Bool {
        guard let last = lastCollisionNs else { return false }
        return nowNs < last || nowNs - last <= collisionWindowNs
    }

    /// Judges a message from `session` (`nil` when unknown); `boundExpired` tells whether the bound
    /// source is EXPIRED at `nowNs`. `report` is the QoS content when the message is a `QosConsumer`.
    public mutating func judge(session: Int32?, report: QosConsumerReport?, boundExpired: Bool,
                               nowNs: UInt64) -> Verdict {
        if let session {
            if let bound = boundSession, bound != session {
                if !boundExpired {
                    return collide(session: session, nowNs: nowNs)
                }
                boundSession = session
                lastReport = report
                restarts += 1
                return .restart
            }
            boundSession = session
        }
        guard let report else { return .accept }
        defer { lastReport = report }
        guard let previous = lastReport else { return .accept }
        let regressed = report.epoch < previous.epoch
            || (report.epoch == previous.epoch
                && (report.lastSeqSeen < previous.lastSeqSeen || report.dropsGap < previous.dropsGap
                    || report.dropsLate < previous.dropsLate))
        guard regressed else { return .accept }
        if let last = lastRegressionNs, nowNs >= last, nowNs - last <= collisionWindowNs, session == nil {
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
