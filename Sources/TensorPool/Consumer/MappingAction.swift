/// A side effect the consumer's SHM/Aeron layer performs for the mapping state machine.
///
/// Actions of one transition are returned in execution order.
public enum MappingAction: Sendable, Hashable {
    /// Drop every in-flight frame (pending LATEST descriptor, partially read frames).
    case dropInFlight
    /// Unmap all regions of the stream.
    case unmap(RemapCause)
    /// Map the announced regions, validate their superblocks against the announce, then report
    /// ``ConsumerMappingStateMachine/mapSucceeded(epoch:nowNs:)`` or ``ConsumerMappingStateMachine/mapFailed(epoch:reason:nowNs:)``.
    case map(AnnounceSummary)
    /// Same epoch announced again: metadata may be refreshed; mappings stay.
    case refresh(AnnounceSummary)
    /// Receive payloads from this fallback URI instead of SHM.
    case switchToFallback(uri: String)
    /// Stop using the fallback; SHM will be mapped on the next announce.
    case leaveFallback
    /// The data source cannot be consumed; report the diagnostic.
    case fail(diagnostic: String)
}
