#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runtime options of a ``TensorPoolConsumer`` that are not part of the `[consumer]` configuration section.
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
    /// Aeron stream id of the bridge for FALLBACK URIs without a `stream-id=<n>` parameter (``BridgeFallbackURI``);
    /// `nil`: such URIs are refused.
    public var fallbackBridgeStreamId: Int32?
    /// Largest frame accepted in FALLBACK, in bytes: two reassembly buffers of this size are allocated when a
    /// bridge subscription opens; larger frames are counted drops (``FallbackStatistics/Counter/oversizeFrames``).
    public var fallbackMaxFrameBytes = 16 << 20
    /// A FALLBACK frame with no chunk for this long is abandoned (the bridge sender died mid-frame).
    public var fallbackAssemblyTimeoutNs: UInt64 = 1_000_000_000

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
