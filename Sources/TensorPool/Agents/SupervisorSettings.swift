/// Everything a ``SupervisorAgent`` needs besides the Aeron client.
public struct SupervisorSettings: Sendable {
    /// Cadences, multiples, drop-rate policy, Aeron endpoint (`[supervisor]` section).
    public var configuration: SupervisorConfiguration
    /// Directory under which announced header rings may be mapped read-only to read `activity_timestamp_ns`;
    /// `nil`: liveness from the control plane only.
    public var shmRoot: String?
    /// Id in the supervisor's counter labels and keys.
    public var supervisorId: UInt32
    /// Interval between ``SupervisorStatusBoard`` snapshots; 0 disables them.
    public var statusIntervalNs: UInt64
    /// Interval between liveness sweeps and superblock reads; `nil`: a quarter of the shorter cadence, at least 1 ms.
    public var housekeepingIntervalNs: UInt64?
    /// EXPIRED entries are removed from the registry once they have been EXPIRED for about this long
    /// (checked every purge interval, so they stay visible in the status for a while); 0 keeps them.
    public var purgeExpiredAfterNs: UInt64
    /// At most this many producers and this many consumers are tracked: announces or QoS from further new ids
    /// are rejected (counted as invalid content, logged), so hostile traffic cannot grow the registry without bound.
    public var maxPeers: Int
    /// Allocate ``SupervisorCounters`` in the driver.
    public var allocateCounters: Bool
    /// Where log lines go.
    public var logSink: TensorPoolLogSink

    /// Settings with production defaults: no region watching unless `shmRoot` is given, no status snapshots
    /// (`statusIntervalNs` 0), housekeeping derived from the cadences, EXPIRED peers purged after 60 s, at most 4096
    /// peers of each kind (`maxPeers` below 1 is raised to 1), counters allocated, logs to standard error.
    public init(configuration: SupervisorConfiguration, shmRoot: String? = nil, supervisorId: UInt32 = 1,
                statusIntervalNs: UInt64 = 0, housekeepingIntervalNs: UInt64? = nil, purgeExpiredAfterNs: UInt64 = 60_000_000_000,
                maxPeers: Int = 4096, allocateCounters: Bool = true,
                logSink: TensorPoolLogSink = .standardError) {
        self.configuration = configuration
        self.shmRoot = shmRoot
        self.supervisorId = supervisorId
        self.statusIntervalNs = statusIntervalNs
        self.housekeepingIntervalNs = housekeepingIntervalNs
        self.purgeExpiredAfterNs = purgeExpiredAfterNs
        self.maxPeers = max(maxPeers, 1)
        self.allocateCounters = allocateCounters
        self.logSink = logSink
    }

    /// The housekeeping interval in effect.
    public var effectiveHousekeepingIntervalNs: UInt64 {
        if let housekeepingIntervalNs { return max(housekeepingIntervalNs, 1) }
        let cadence = min(UInt64(configuration.announceIntervalMs), UInt64(configuration.qosIntervalMs)) * 1_000_000
        return max(cadence / 4, 1_000_000)
    }
}
