/// What a role's inbox did with the raw messages it was handed.
public struct InboxCounters: Sendable, Hashable {
    /// Messages decoded and applied.
    public var applied: UInt64 = 0
    /// Valid tensor-pool messages this role does not consume (or for another stream).
    public var ignored: UInt64 = 0
    /// Messages whose header names another SBE schema (or too short for a header).
    public var foreignSchema: UInt64 = 0
    /// Tensor-pool messages that failed to decode (bounds, block length, unknown enum value, limits).
    public var malformed: UInt64 = 0
    /// Last decoding failure, for diagnostics (set only on the rare failure path).
    public var lastError: WireDecodingError?

    public init() {}
}
