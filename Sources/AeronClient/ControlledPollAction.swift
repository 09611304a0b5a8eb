/// What a controlled-poll handler tells the image to do with the fragment it was just given.
@frozen
public enum ControlledPollAction: Sendable {
    /// Do not consume this fragment; stop polling (it is delivered again next time).
    case abort
    /// Consume this fragment and stop polling.
    case breakPoll
    /// Consume this fragment and publish the position now, then continue.
    case commit
    /// Consume this fragment and continue.
    case continuePoll
}
