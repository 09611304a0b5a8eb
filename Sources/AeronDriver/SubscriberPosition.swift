import AeronConcurrent

/// One subscription's position on one IPC publication: its `sub-pos` counter plus the untethered state machine.
final class SubscriberPosition {
    /// Untethered subscriber states (tethered subscribers stay `active`).
    enum TetherState { case active, linger, resting }

    let subscription: SubscriptionLink
    let counterId: Int32
    var state: TetherState = .active
    var timeOfLastUpdateNs: Int64

    init(subscription: SubscriptionLink, counterId: Int32, nowNs: Int64) {
        self.subscription = subscription
        self.counterId = counterId
        self.timeOfLastUpdateNs = nowNs
    }

    /// Counts toward the publisher limit and connectivity (not lingering or resting).
    var isWorking: Bool { state == .active }
}
