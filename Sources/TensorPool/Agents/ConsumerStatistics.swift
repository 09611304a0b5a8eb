/// A consumer's counters, readable from any thread while the consumer runs (single writer: the consumer).
/// Drop counters are refreshed once per duty cycle that did work; read them with the ``DropReason`` subscript
/// (`statistics[.epochMismatch]`).
public typealias ConsumerStatistics = RoleStatistics<ConsumerStatisticsCounter>

/// The counters of ``ConsumerStatistics`` (`ConsumerStatistics.Counter`); one counter per ``DropReason`` follows
/// them in the same storage.
public enum ConsumerStatisticsCounter: Int, RoleStatisticsCounter {
    /// Frames handed to the application after passing the seqlock re-check (spec §8.3, §15.19): the "accepted"
    /// side of the ledger whose other side is the per-``DropReason`` counters.
    case framesDelivered
    /// Payload bytes (`values_len_bytes`) of the delivered frames, for throughput figures in bytes per second.
    case bytesDelivered
    /// Sum of `now - header.timestamp_ns` over delivered frames, in nanoseconds (a frame stamped ahead of the
    /// consumer's clock adds 0); divide by ``latencyCount`` for the mean.
    case latencySumNs
    /// Number of samples summed in ``latencySumNs``: mean latency is `latencySumNs / latencyCount` nanoseconds.
    case latencyCount
    /// Largest single `now - header.timestamp_ns` seen, in nanoseconds. Only meaningful when the producer stamps
    /// frames with the same `CLOCK_MONOTONIC`/`CLOCK_REALTIME` timebase as the consumer (spec §15.7).
    case latencyMaxNs
    /// QoS `drops_gap` (spec §10.4.1): sequence numbers missing on the descriptor stream, i.e. descriptors this
    /// consumer never saw (a jump from `last` to `seq` adds `seq - last - 1`); mirrored from
    /// ``ConsumerFrameCounters/dropsGap`` once per duty cycle that did work.
    case dropsGap
    /// QoS `drops_late` (spec §10.4.1): frames whose slot was overwritten or not yet committed when read (the sum
    /// of the ``DropReason/isLate`` counters), i.e. the consumer was too slow rather than a descriptor was lost.
    case dropsLate
    /// Epochs whose regions were mapped and validated: the first map and every later remap each add one.
    /// Unmaps count in ``unmaps``, failed maps in ``mapFailures``.
    case maps
    /// Regions unmapped (spec §15.21 mapping state machine): epoch change or regression, a new producer `pid`,
    /// stale announces or activity, a superblock mismatch, `use_shm=false` (``RemapCause``); each one drops the
    /// frames that were in flight at the time.
    case unmaps
    /// Announces whose regions could not be mapped or validated (bad path, `RegionRoot` containment, size or
    /// superblock mismatch, spec §15.22); the consumer stays unmapped and counts an `invalidContent` rejection.
    case mapFailures
    /// Epoch currently mapped (0 = none).
    case mappedEpoch
    /// `FrameProgress` messages delivered to the handler.
    case progressDelivered
    /// `ConsumerConfig` messages for this stream and consumer id that were applied (the rejected ones count in
    /// ``configsRejected``).
    case configsApplied
    /// `ConsumerConfig` messages for this consumer that were refused (unknown mode or boolean value, or a command
    /// the mapping coordinator cannot apply), counted so a misbehaving supervisor is visible (spec §10.1.3).
    /// Configs addressed to other stream or consumer ids are ignored, not counted.
    case configsRejected
    /// Resynchronisations (`max_outstanding_seq_gap`).
    case resyncs
    /// `QosConsumer` messages sent.
    case qosSent
    /// Data-source metadata updates passed to ``TensorFrameHandler/onMetadata(_:)`` (new `meta_version` or
    /// changed content; re-sends of the same content are not counted).
    case metadataUpdates
    /// `FrameProgress` of the mapped epoch not delivered because admission will not take that frame (DECIMATED,
    /// ``FrameAdmission/wantsProgress(epoch:frameId:)``).
    case progressSkipped
    /// Prefixes of frames in progress handed to ``TensorFrameHandler/onProgressPrefix(_:)`` whose slot still
    /// held the frame afterwards (spec §10.2.2).
    case prefixReadsIntact
    /// Prefix reads torn by the producer reclaiming the slot (during the callback, or while the header was
    /// checked: ``ProgressPrefixRefusal/reclaimedDuringCheck``).
    case prefixReadsTorn
    /// Prefix reads refused because no regions were mapped or the update named another epoch.
    case prefixRefusedEpoch
    /// Prefix reads refused because `header_index` was out of range or the slot held another frame (a late
    /// update after the slot was reclaimed, or a forged one).
    case prefixRefusedSlot
    /// Prefix reads refused because the producer had not staged the frame's header at claim.
    case prefixRefusedNotStaged
    /// Prefix reads refused because the layout makes progress informational only (`payload_offset != 0` or
    /// non-contiguous strides for a byte prefix; not row-major or rows not dense for a row read, spec §10.2.2).
    case prefixRefusedInformational
    /// Prefix reads refused because the staged header was invalid, `payload_bytes_filled` exceeded
    /// `values_len_bytes` or `rows_filled` exceeded `dims[0]` (hostile or broken producer).
    case prefixRefusedInvalid
    /// Of ``prefixReadsIntact``, the row reads (`rows_filled` read as rows by a handler that sets
    /// ``TensorFrameHandler/readsProgressRows``).
    case prefixRowReadsIntact
}

extension ConsumerStatisticsCounter {
    /// One counter per ``DropReason``, after the cases.
    public static var trailingCounterCount: Int { DropReason.allCases.count }

    /// Index of the first drop-reason counter (a stored constant: `allCases` builds an array on every access).
    static let dropReasonBase = allCases.count
}

extension RoleStatistics where CounterKind == ConsumerStatisticsCounter {
    /// Frames dropped for `reason`.
    public subscript(reason: DropReason) -> UInt64 { values[Counter.dropReasonBase + Int(reason.rawValue)] }

    func mirror(_ counters: ConsumerFrameCounters) {
        set(.dropsGap, counters.dropsGap)
        set(.dropsLate, counters.dropsLate)
        set(.resyncs, counters.resyncs)
        // Raw-value loop: `allCases` builds an array on every access.
        var raw: UInt8 = 0
        while let reason = DropReason(rawValue: raw) {
            values.set(Counter.dropReasonBase + Int(raw), counters[reason])
            raw += 1
        }
    }
}
