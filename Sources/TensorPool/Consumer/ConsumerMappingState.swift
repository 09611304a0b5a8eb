/// State of the consumer mapping state machine (spec §15.12, §15.21).
public enum ConsumerMappingState: Sendable, Hashable {
    /// M0: no regions mapped; waiting for a usable `ShmPoolAnnounce`.
    case unmapped
    /// Map requested for `epoch`; waiting for the SHM layer's result. Frames are not admitted.
    case mapping(epoch: UInt64)
    /// M1: regions mapped and validated for `epoch`.
    case mapped(epoch: UInt64)
    /// SHM not used; payloads come from `uri`.
    case fallback(uri: String)
    /// SHM not usable and no fallback: the data source is failed with a diagnostic.
    case failed(diagnostic: String)
}
