/// Throttling thresholds for `FrameProgress` messages (spec §10.2.2).
public struct ProgressPolicy: Sendable, Hashable {
    /// Minimum interval between two PROGRESS messages of a frame, in nanoseconds.
    public var intervalNs: UInt64
    /// Minimum `payload_bytes_filled` advance for a PROGRESS message.
    public var bytesDelta: UInt64
    /// Minimum `rows_filled` advance for a PROGRESS message; 0 = rows not used.
    public var rowsDelta: UInt32

    /// Thresholds in nanoseconds, bytes and rows; no range is enforced here because ``ProgressPolicyAggregator``
    /// clamps consumer hints to the producer's floors before a policy is used.
    public init(intervalNs: UInt64, bytesDelta: UInt64, rowsDelta: UInt32) {
        self.intervalNs = intervalNs
        self.bytesDelta = bytesDelta
        self.rowsDelta = rowsDelta
    }

    /// Spec-recommended defaults: 250 µs, 64 KiB, rows unset.
    public static let specDefaults = ProgressPolicy(intervalNs: 250_000, bytesDelta: 65_536, rowsDelta: 0)
}
