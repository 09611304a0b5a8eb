/// Runtime options of a ``TensorPoolProducer`` that are not part of the `[producer]` configuration section.
public struct ProducerOptions: Sendable {
    /// Unlink the region files on ``TensorPoolProducer/close()`` (clean shutdown). Default `true`.
    public var unlinkOnClose = true
    /// Directory of the epoch files (`EpochAllocator`); default `<shm_root_dir>/epochs`, or a directory under
    /// `/dev/shm/tp-epochs` when the root is on hugetlbfs (``EpochAllocator/defaultDirectory(shmRootDir:)``).
    public var epochDirectory: String?
    /// Diagnostics sink.
    public var logSink: TensorPoolLogSink = .standardError
    /// Respond with `ControlResponse(REJECTED)` to a `ConsumerHello` for another stream id. Off by default:
    /// on a shared control stream, hellos for other producers' streams are normal traffic.
    public var rejectHellosForOtherStreams = false
    /// `DataSourceAnnounce` summary (e.g. "FLOAT32 [480, 640]").
    public var summary: String?

    /// Publish the producer's counters as Aeron counters (`ProducerCounters`, visible to `AeronStat`-like tools).
    public var allocateCounters = true
    /// How often the Aeron counters are refreshed from ``TensorPoolProducer/statistics``.
    public var countersIntervalNs: UInt64 = 100_000_000

    /// Defaults suited to a single long-lived producer: regions unlinked on close, epochs under
    /// `<shm_root_dir>/epochs`, counters published every 100 ms.
    public init() {}
}
