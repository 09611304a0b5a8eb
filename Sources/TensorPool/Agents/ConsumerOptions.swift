#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runtime options of a ``TensorPoolConsumer`` that are not part of the `[consumer]` configuration section, plus
/// per-process overrides of its `fallback_*` keys (set by `tp consumer`'s `--fallback-*` flags).
public struct ConsumerOptions: Sendable {
    /// The only directory announced regions may live under (`RegionRoot` containment, spec §15.22): paths
    /// outside it are rejected. Default `/dev/shm/tensorpool-$USER`, the producer's default `shm_root_dir`.
    public var shmRootDir: String
    /// Diagnostics sink.
    public var logSink: TensorPoolLogSink = .standardError
    /// Fragments polled per subscription per duty cycle.
    public var fragmentLimit = 64
    /// Publish the consumer's counters as Aeron counters (`ConsumerCounters`).
    public var allocateCounters = true
    /// How often the Aeron counters are refreshed from ``TensorPoolConsumer/statistics``.
    public var countersIntervalNs: UInt64 = 100_000_000
    /// Overrides ``ConsumerConfiguration/fallbackBridgeStreamId`` (`consumer.fallback_bridge_stream_id`): Aeron
    /// stream id of the bridge for FALLBACK URIs without a `stream-id=<n>` parameter (``BridgeFallbackURI``).
    /// `nil`: the configured value applies (and with none configured either, such URIs are refused).
    public var fallbackBridgeStreamId: Int32?
    /// Overrides ``ConsumerConfiguration/fallbackMaxFrameBytes`` (`consumer.fallback_max_frame_bytes`, default
    /// 16 MiB): largest frame accepted in FALLBACK, in bytes. Two reassembly buffers of this size are allocated
    /// when a bridge subscription opens; larger frames are counted drops
    /// (``FallbackStatisticsCounter/oversizeFrames``). `nil`: the configured value applies.
    public var fallbackMaxFrameBytes: Int?
    /// Overrides ``ConsumerConfiguration/fallbackAssemblyTimeoutMs`` (`consumer.fallback_assembly_timeout_ms`,
    /// default 1 s): a FALLBACK frame with no chunk for this long is abandoned (the bridge sender died mid-frame).
    /// `nil`: the configured value applies.
    public var fallbackAssemblyTimeoutNs: UInt64?

    /// Options with the defaults above; `shmRootDir` nil means `/dev/shm/tensorpool-$USER` (`default` when `$USER` is
    /// unset), which matches a producer left on its default `shm_root_dir`, so the two find each other with no
    /// configuration.
    public init(shmRootDir: String? = nil) {
        let user = ProcessInfoUser.name
        self.shmRootDir = shmRootDir ?? "/dev/shm/tensorpool-\(user)"
    }
}

/// `$USER`, or `default`.
enum ProcessInfoUser {
    static var name: String {
        if let value = getenv("USER"), let user = String(validatingCString: value), !user.isEmpty { return user }
        return "default"
    }
}
