/// `[supervisor]` section.
///
/// | key | default | rule |
/// |---|---|---|
/// | `announce_interval_ms` | 1000 | producer announce/heartbeat cadence (> 0) |
/// | `qos_interval_ms` | 1000 | consumer QoS/hello cadence (> 0) |
/// | `stale_multiple` | 3 | > 0 |
/// | `expired_multiple` | 10 | > `stale_multiple` |
/// | `policy_enabled` | true | |
/// | `policy_window_ms` | 5000 | > 0 |
/// | `policy_max_drop_fraction` | 0.01 | 0...1 |
/// | `policy_min_frames` | 10 | |
/// | `policy_action` | `latest` | `latest` or `decimated` |
/// | `policy_decimation` | 2 | ≥ 1 |
/// | `policy_restore_after_ms` | 60000 | time demoted before a STREAM probe; 0 = never restore |
/// | `policy_max_restore_after_ms` | 960000 | ≥ `policy_restore_after_ms`; the delay doubles per failed probe |
/// | aeron keys | see ``AeronEndpointConfiguration`` | |
public struct SupervisorConfiguration: Sendable, Hashable {
    /// `supervisor.announce_interval_ms`
    public var announceIntervalMs: UInt32 = 1000
    /// `supervisor.qos_interval_ms`
    public var qosIntervalMs: UInt32 = 1000
    /// `supervisor.stale_multiple`
    public var staleMultiple: UInt32 = 3
    /// `supervisor.expired_multiple`
    public var expiredMultiple: UInt32 = 10
    /// `policy_*` keys.
    public var policy = DropRatePolicy()
    /// Aeron directory, channel and stream ids of this role.
    public var aeron: AeronEndpointConfiguration

    /// The defaults in the table above, with Aeron in `/dev/shm/aeron-<user>` and the default drop-rate policy.
    public init(user: String) {
        aeron = AeronEndpointConfiguration(aeronDir: AeronEndpointConfiguration.defaultAeronDir(user: user))
    }

    /// Registry parameters derived from this configuration.
    public var registryParameters: SupervisorRegistry.Parameters {
        .init(announceCadenceNs: UInt64(announceIntervalMs) * 1_000_000, qosCadenceNs: UInt64(qosIntervalMs) * 1_000_000,
              staleMultiple: staleMultiple, expiredMultiple: expiredMultiple, policy: policy)
    }

    static func read(_ r: inout ConfigurationSectionReader, user: String) throws(ConfigurationError) -> SupervisorConfiguration {
        var c = SupervisorConfiguration(user: user)
        for (key, path) in [("announce_interval_ms", \SupervisorConfiguration.announceIntervalMs),
                            ("qos_interval_ms", \.qosIntervalMs), ("stale_multiple", \.staleMultiple),
                            ("expired_multiple", \.expiredMultiple)] {
            c[keyPath: path] = try r.integer(key, default: c[keyPath: path])
            try requirePositive(c[keyPath: path], key: key, r)
        }
        if c.expiredMultiple <= c.staleMultiple {
            throw .invalidValue(key: r.path("expired_multiple"), value: String(c.expiredMultiple),
                                reason: "must be greater than supervisor.stale_multiple (\(c.staleMultiple))", source: r.sourceOf("expired_multiple"))
        }
        c.policy.enabled = try r.bool("policy_enabled", default: true)
        let windowMs: UInt32 = try r.integer("policy_window_ms", default: 5000)
        try requirePositive(windowMs, key: "policy_window_ms", r)
        c.policy.windowNs = UInt64(windowMs) * 1_000_000
        c.policy.maxDropFraction = try r.double("policy_max_drop_fraction", default: 0.01)
        if !(0...1).contains(c.policy.maxDropFraction) {
            throw .invalidValue(key: r.path("policy_max_drop_fraction"), value: String(c.policy.maxDropFraction),
                                reason: "must be within 0...1", source: r.sourceOf("policy_max_drop_fraction"))
        }
        c.policy.minFrames = try r.integer("policy_min_frames", default: 10)
        let actionName = try r.string("policy_action", default: "latest")
        guard let action = ConsumerMode(name: actionName), action != .stream else {
            throw .invalidValue(key: r.path("policy_action"), value: String(reflecting: actionName),
                                reason: "must be latest or decimated", source: r.sourceOf("policy_action"))
        }
        c.policy.action = action
        c.policy.decimation = try r.integer("policy_decimation", default: 2)
        if c.policy.decimation == 0 {
            throw .invalidValue(key: r.path("policy_decimation"), value: "0", reason: "must be >= 1", source: r.sourceOf("policy_decimation"))
        }
        let restoreMs: UInt64 = try r.integer("policy_restore_after_ms", default: 60_000)
        let maxRestoreMs: UInt64 = try r.integer("policy_max_restore_after_ms", default: max(960_000, restoreMs))
        if maxRestoreMs < restoreMs {
            throw .invalidValue(key: r.path("policy_max_restore_after_ms"), value: String(maxRestoreMs),
                                reason: "must be >= supervisor.policy_restore_after_ms (\(restoreMs))",
                                source: r.sourceOf("policy_max_restore_after_ms"))
        }
        let msLimit = UInt64.max / 1_000_000
        for (key, value) in [("policy_restore_after_ms", restoreMs), ("policy_max_restore_after_ms", maxRestoreMs)] where value > msLimit {
            throw .invalidValue(key: r.path(key), value: String(value), reason: "must be <= \(msLimit)", source: r.sourceOf(key))
        }
        c.policy.restoreAfterNs = restoreMs * 1_000_000
        c.policy.maxRestoreAfterNs = maxRestoreMs * 1_000_000
        c.aeron = try AeronEndpointConfiguration.read(&r, user: user)
        return c
    }
}
