#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AeronClient
import SBE
import TensorPoolCore

/// Errors raised while starting a producer (never on the publish path).
public enum ProducerError: Error, CustomStringConvertible {
    /// The epoch file could not be read or persisted. The producer does not start without a fresh epoch: with a
    /// reused one, consumers would keep the previous run's mappings as if nothing had changed (spec §15.2).
    case epoch(EpochAllocator.Failure)
    /// The header ring or a pool could not be created or mapped under `shm_root_dir` (e.g. the epoch directory
    /// exists, hugepages required but unavailable, disk full). The epoch is spent all the same.
    case regions(RegionError)
    /// The Aeron client refused a publication, subscription or counter (driver down, timeout); the regions already
    /// created are closed first (unlinked with ``ProducerOptions/unlinkOnClose``).
    case aeron(AeronError)
    /// The configuration cannot run as given (e.g. `header_nslots` not a power of two); the text says why. Raised
    /// before any file is created.
    case configuration(String)

    /// One line naming the failed start-up step and its cause, for logs and `tp` error output.
    public var description: String {
        switch self {
        case .epoch(let e): "epoch allocation failed: \(e)"
        case .regions(let e): "cannot create SHM regions: \(e)"
        case .aeron(let e): "Aeron: \(e)"
        case .configuration(let why): "invalid producer configuration: \(why)"
        }
    }
}

/// The producer role (spec §8–§10, §15.2, §15.19): owns the SHM regions of one data source for one epoch,
/// writes frames with the commit protocol and announces them over Aeron.
///
/// - Start: a fresh epoch from ``EpochAllocator`` (never reused, also across restarts of a standalone producer),
///   new region files `<shm_root_dir>/<stream>/<epoch>/…`, then `ShmPoolAnnounce` immediately.
/// - Copy path: ``publish(_:layout:timestampNs:metaVersion:nowNs:)``. Zero-copy path: ``claim(byteCount:nowNs:)``
///   → fill ``ProducerClaim/payload`` → ``commit(_:layout:valuesLength:timestampNs:metaVersion:nowNs:)`` (or
///   ``abort(_:)``); several claims may be in flight, committed in claim order.
/// - Duty cycle (``doWork(nowNs:)``): consumer hellos (progress policy from their hints, within the producer's
///   floors; `ControlResponse` to invalid ones), `ShmPoolAnnounce`/`DataSourceAnnounce`/`DataSourceMeta` at the
///   announce cadence and on change, superblock `activity_timestamp_ns`, `QosProducer`, `Heartbeat`, throttled
///   `FrameProgress`.
///
/// Single-threaded: call everything from one thread (its `AgentRunner` or your loop). Publishing allocates
/// nothing in steady state.
public final class TensorPoolProducer: TensorPoolAgent, ControlMessageHandler {
    /// The `[producer]` section this producer runs with: ids, SHM root, ring and pool sizes, cadences, progress floors.
    public let configuration: ProducerConfiguration
    /// Runtime options fixed at init: epoch directory, unlink on close, counters, log sink, `DataSourceAnnounce`
    /// summary.
    public let options: ProducerOptions
    /// `producer[<stream_id>/<producer_id>]`: names the `AgentRunner` thread and prefixes this producer's log lines.
    public let roleName: String
    /// This run's epoch.
    public let epoch: UInt64
    /// The producer's Aeron streams: publishes on all four logical streams, receives control (hellos) and QoS; while
    /// no control message arrives they are polled again only after ``controlPollIntervalNs`` (or
    /// ``ControlPlane/secondaryPollInterval`` cycles). Used only on the producer's thread; its
    /// ``ControlPlane/counters`` can be read from any thread.
    public let controlPlane: ControlPlane
    /// Frames and bytes published, drops, claims, descriptor offer failures, announces, hellos: written by the
    /// producer's thread, readable from any thread while it runs.
    public let statistics = ProducerStatistics()
    /// The announce this producer sends.
    public let announce: AnnounceSummary
    /// This epoch's header ring and payload pools under `<shm_root_dir>/<stream_id>/<epoch>/`, owned by the producer:
    /// ``close()`` unlinks the files with ``ProducerOptions/unlinkOnClose``; the mappings stay until this object is
    /// freed.
    public let regions: RegionSet
    /// The producer's Aeron counters (when ``ProducerOptions/allocateCounters``), refreshed at
    /// ``ProducerOptions/countersIntervalNs``.
    public let counters: ProducerCounters?

    @usableFromInline let writer: SlotWriter
    @usableFromInline let streamId: UInt32
    /// Per-publish and per-cycle mutable state (see ``ProducerDutyCycleState``).
    @usableFromInline let state: UnsafeMutablePointer<ProducerDutyCycleState>
    /// Per header slot: claimed, then aborted while an older claim is still open (`header_nslots` flags).
    @usableFromInline let abortedSlots: UnsafeMutablePointer<Bool>
    @usableFromInline let slotMask: UInt64
    @usableFromInline let registry: ProducerConsumerRegistry
    /// Current `meta_version` (bumped by ``setMetadata(_:nowNs:)``).
    public var metaVersion: UInt32 { state.pointee.metaVersion }
    private var metaAttributes: [MetaAttribute] = []
    /// The `name` of the producer's `DataSourceAnnounce`: `producer.name` of the configuration until
    /// ``setDataSource(name:summary:nowNs:)`` replaces it.
    public private(set) var dataSourceName: String?
    /// The `summary` of the producer's `DataSourceAnnounce`: ``ProducerOptions/summary`` until
    /// ``setDataSource(name:summary:nowNs:)`` replaces it.
    public private(set) var dataSourceSummary: String?

    /// While no control message arrives, the producer's control and QoS subscriptions are polled at most this often
    /// (and at least every ``ControlPlane/secondaryPollInterval`` duty cycles): a producer publishing on every duty
    /// cycle does not poll its idle control images per frame. 20 µs is far below every control cadence.
    public static let controlPollIntervalNs: UInt64 = 20_000

    /// Payload size from which a commit also prefetches the lines its descriptor goes to in the Aeron log
    /// (``ControlPlane/warm(_:frameLines:)``): half this VM's 1 MiB L2. A fill that large has pushed them out, and
    /// fetching them before the clock is read keeps the misses out of the frame's latency (paced 4 MiB: 91–100 ns
    /// descriptor p50 with, 115–139 without). After a small fill the prefetch is still in flight when the
    /// descriptor is written, which then waits for it (paced 64 B, ~400 ns cross-core round trip: 331–545 ns with,
    /// 300–391 without); there the duty cycle's prefetch (``doWork(nowNs:)``) has already brought them.
    public static let descriptorLinesWarmBytes = 512 << 10

    /// Allocates the epoch, creates the regions and opens the Aeron streams.
    public init(configuration: ProducerConfiguration, aeron: Aeron, options: ProducerOptions = ProducerOptions()) throws(ProducerError) {
        self.configuration = configuration
        self.options = options
        dataSourceName = configuration.name
        dataSourceSummary = options.summary
        streamId = configuration.streamId
        roleName = "producer[\(configuration.streamId)/\(configuration.producerId)]"
        guard let planner = ProducerFramePlanner(headerNslots: configuration.headerNslots, pools: configuration.payloadPools) else {
            throw .configuration("header_nslots \(configuration.headerNslots) is not a power of two")
        }
        Self.makeDirectories(configuration.shmRootDir)
        let allocator = EpochAllocator(directory: options.epochDirectory ?? EpochAllocator.defaultDirectory(shmRootDir: configuration.shmRootDir))
        do {
            epoch = try allocator.allocate(streamId: configuration.streamId, producerId: configuration.producerId,
                                           wallClockNs: TensorPoolClock.realtimeNs())
        } catch { throw .epoch(error) }
        let nowNs = TensorPoolClock.monotonicNs()
        do {
            regions = try RegionSet.create(
                RegionSet.Configuration(
                    root: configuration.shmRootDir, streamId: configuration.streamId, epoch: epoch,
                    nslots: Int(configuration.headerNslots),
                    pools: configuration.payloadPools.map { RegionSet.Pool(poolId: $0.poolId, strideBytes: Int($0.strideBytes)) },
                    requireHugepages: configuration.requireHugepages, unlinkOnClose: options.unlinkOnClose),
                nowNs: nowNs)
            writer = try SlotWriter(regions: regions)
        } catch { throw .regions(error) }
        announce = AnnounceSummary(
            streamId: configuration.streamId, producerId: configuration.producerId, epoch: epoch,
            layoutVersion: configuration.layoutVersion, headerRegionUri: regions.headerRingURI.description,
            headerNslots: configuration.headerNslots, headerSlotBytes: 256, maxDims: 8,
            pools: zip(regions.pools, regions.poolURIs).map { pool, uri in
                AnnounceSummary.Pool(poolId: pool.poolId, nslots: UInt32(pool.nslots), strideBytes: UInt32(pool.strideBytes),
                                     regionUri: uri.description)
            })
        do {
            controlPlane = try ControlPlane(aeron: aeron, endpoint: configuration.aeron, roleName: roleName,
                                            publishing: [.control, .descriptor, .qos, .metadata],
                                            subscribing: [.control, .qos],
                                            idlePollIntervalNs: Self.controlPollIntervalNs, logSink: options.logSink)
        } catch {
            regions.close()
            throw .aeron(error)
        }
        do {
            counters = options.allocateCounters
                ? try ProducerCounters(aeron: aeron, streamId: configuration.streamId, instanceId: configuration.producerId) : nil
        } catch {
            controlPlane.close()
            regions.close()
            throw .aeron(error)
        }
        let nslots = Int(configuration.headerNslots)
        abortedSlots = .allocate(capacity: nslots)
        abortedSlots.initialize(repeating: false, count: nslots)
        slotMask = UInt64(configuration.headerNslots) - 1
        registry = ProducerConsumerRegistry(
            streamId: configuration.streamId, cadenceNs: UInt64(configuration.consumerHelloIntervalMs) * 1_000_000,
            expiryMultiple: configuration.consumerExpiryMultiple, aggregator: configuration.progressAggregator)
        state = .allocate(capacity: 1)
        state.initialize(to: ProducerDutyCycleState(
            planner: planner, throttler: ProgressThrottler(policy: registry.policy),
            announceCadence: Cadence(intervalNs: UInt64(configuration.announceIntervalMs) * 1_000_000),
            qosCadence: Cadence(intervalNs: UInt64(configuration.qosIntervalMs) * 1_000_000),
            heartbeatCadence: Cadence(intervalNs: UInt64(configuration.heartbeatIntervalMs) * 1_000_000),
            expiryCadence: Cadence(intervalNs: UInt64(configuration.consumerHelloIntervalMs) * 1_000_000),
            countersCadence: Cadence(intervalNs: max(options.countersIntervalNs, 1))))
        controlPlane.logEvent("epoch \(epoch), regions in \(regions.directory)")
    }

    deinit {
        close()
        state.deinitialize(count: 1)
        state.deallocate()
        abortedSlots.deallocate()
    }

    /// Clean shutdown: closes the Aeron streams and unlinks the regions (if ``ProducerOptions/unlinkOnClose``).
    public func close() {
        guard !state.pointee.isClosed else { return }
        state.pointee.isClosed = true
        refreshCounters()
        counters?.close()
        controlPlane.close()
        regions.close()
    }

    /// Copies ``statistics`` into the Aeron counters.
    func refreshCounters() {
        guard let counters else { return }
        let s = statistics
        counters.set(.framesPublished, Int64(bitPattern: s[.framesPublished]))
        counters.set(.bytesPublished, Int64(bitPattern: s[.bytesPublished]))
        counters.set(.dropsNoPool, Int64(bitPattern: s[.oversizeDrops]))
        counters.set(.dropsInvalidFrame, Int64(bitPattern: s[.invalidLayoutDrops]))
        counters.set(.descriptorBackPressure, Int64(bitPattern: s[.descriptorBackPressured]))
        counters.set(.descriptorNotConnected, Int64(bitPattern: s[.descriptorNotConnected]))
        counters.set(.descriptorFailed, Int64(bitPattern: s[.descriptorOfferFailures]))
        counters.set(.framesAborted, Int64(bitPattern: s[.claimsAborted]))
        counters.set(.announcesSent, Int64(bitPattern: s[.announcesSent]))
        counters.set(.qosSent, Int64(bitPattern: s[.qosSent]))
        counters.set(.epoch, Int64(bitPattern: epoch))
        counters.set(.consumersKnown, Int64(bitPattern: s[.consumers]))
    }

    // MARK: progress policy

    /// The progress policy currently applied (aggregated consumer hints within the producer floors).
    public var progressPolicy: ProgressPolicy { state.pointee.throttler.policy }
    /// Whether some registered consumer supports progress (`FrameProgress` is sent only then).
    public var progressWanted: Bool { registry.progressWanted }
    /// Ids of the consumers currently registered.
    public var consumerIds: [UInt32] { registry.consumerIds }

    // MARK: copy path

    /// Copies `payload` into the smallest fitting pool, commits it and sends its `FrameDescriptor`.
    ///
    /// Every `.dropped` result is counted: `closed` excepted, in `outOfOrderCommits`, `oversizeDrops`,
    /// `invalidLayoutDrops`, or `claimsRefused` when the slot writer refuses the planned slot (returned as
    /// ``ProducerDropReason/unknownClaim``).
    ///
    /// - Parameters:
    ///   - timestampNs: frame time (`CLOCK_MONOTONIC`, e.g. capture time); consumers measure latency from it.
    ///   - metaVersion: `DataSourceMeta` version the frame refers to (default: the current one).
    @inlinable
    public func publish(_ payload: UnsafeRawBufferPointer, layout: TensorLayout, timestampNs: UInt64,
                        metaVersion: UInt32? = nil, nowNs: UInt64) -> ProducerPublishResult {
        publish(payload, layout: layout, timestamp: .ns(timestampNs), metaVersion: metaVersion, nowNs: nowNs)
    }

    /// Copies `payload` into the smallest fitting pool, commits it and sends its `FrameDescriptor`, stamped as
    /// `timestamp` says: ``FrameTimestamp/atCommit`` reads the clock after the copy, right before the commit, so
    /// consumer latency excludes the copy.
    @inlinable
    public func publish(_ payload: UnsafeRawBufferPointer, layout: TensorLayout, timestamp: FrameTimestamp,
                        metaVersion: UInt32? = nil, nowNs: UInt64) -> ProducerPublishResult {
        if state.pointee.isClosed { return .dropped(.closed) }
        let expected = state.pointee.oldestOpenSeq
        if state.pointee.planner.sequence.nextSeq != expected {
            statistics.add(.outOfOrderCommits)
            return .dropped(.outOfOrder(expectedSeq: expected, claimSeq: state.pointee.planner.sequence.nextSeq))
        }
        guard let plan = state.pointee.planner.plan(valuesLength: UInt64(payload.count)) else {
            statistics.add(.oversizeDrops)
            return .dropped(.tooLarge(bytes: payload.count))
        }
        guard let claim = writer.claim(frameId: plan.seq, poolId: plan.poolId) else {
            finish(seq: plan.seq)
            statistics.add(.claimsRefused)
            return .dropped(.unknownClaim)
        }
        if let base = payload.baseAddress, payload.count > 0 {
            claim.payload.baseAddress!.copyMemory(from: base, byteCount: payload.count)
        }
        return commitClaimed(claim, layout: layout, valuesLength: payload.count, timestamp: timestamp,
                             metaVersion: metaVersion ?? state.pointee.metaVersion, nowNs: nowNs)
    }

    // MARK: zero-copy path

    /// Claims the next slot in the smallest pool holding `byteCount` bytes: its commit word is set to WRITING and
    /// its payload memory is returned. `nil` when too large (counted in `oversizeDrops`), when every slot is
    /// already claimed, or when closed.
    @inlinable
    public func claim(byteCount: Int, nowNs: UInt64) -> ProducerClaim? {
        guard canClaim() else { return nil }
        guard let plan = state.pointee.planner.plan(valuesLength: UInt64(max(byteCount, 0))) else {
            statistics.add(.oversizeDrops)
            return nil
        }
        return claimPlanned(plan, nowNs: nowNs)
    }

    /// Claims the next slot in pool `poolId` (e.g. buffers pre-registered with a device). `nil` for an unknown
    /// pool, when every slot is already claimed, or when closed.
    @inlinable
    public func claim(poolId: UInt16, nowNs: UInt64) -> ProducerClaim? {
        guard canClaim(), let plan = state.pointee.planner.reserve(poolId: poolId) else { return nil }
        return claimPlanned(plan, nowNs: nowNs)
    }

    /// Claims the next slot like ``claim(byteCount:nowNs:)`` and stages its slot header now: `layout`, `byteCount` as
    /// `values_len_bytes` and `meta_version` (default: the current one) are written to the header while the slot is
    /// WRITING, before the `FrameProgress` STARTED goes out. Consumers that opted in can then read the filled prefix
    /// `[0, payload_bytes_filled)` of the frame while it is written (spec §10.2.2; contiguous layouts only, as the
    /// spec requires), each time ``reportProgress(_:bytesFilled:rowsFilled:nowNs:)`` sends an update.
    ///
    /// The staged header is final: commit with ``commit(_:timestampNs:nowNs:)``. A commit that passes another layout
    /// is refused (``ProducerDropReason/stagedLayoutMismatch``, the claim stays open) rather than changing a header
    /// consumers may already have read prefixes under. `nil` (nothing claimed) for the reasons of
    /// ``claim(byteCount:nowNs:)``, and when `layout` does not describe `byteCount` bytes (counted in
    /// `invalidLayoutDrops`; the sequence number becomes a gap).
    @inlinable
    public func claim(byteCount: Int, layout: TensorLayout, metaVersion: UInt32? = nil, nowNs: UInt64) -> ProducerClaim? {
        guard canClaim() else { return nil }
        guard byteCount >= 0, let plan = state.pointee.planner.plan(valuesLength: UInt64(byteCount)) else {
            statistics.add(.oversizeDrops)
            return nil
        }
        let header = layout.header(valuesLength: byteCount, timestampNs: 0, metaVersion: metaVersion ?? state.pointee.metaVersion)
        return claimPlanned(plan, staging: header, nowNs: nowNs)
    }

    /// Reports how much of a claimed frame is filled; sends a throttled `FrameProgress` when due.
    ///
    /// For a claim with a staged layout (``ProducerClaim/hasStagedLayout``) consumers may read
    /// `[0, bytesFilled)` as soon as the update arrives: call this only after those bytes are written (and, for
    /// device DMA, visible to the CPU), and do not change them afterwards. Values never go backwards.
    @inlinable
    public func reportProgress(_ claim: ProducerClaim, bytesFilled: UInt64, rowsFilled: UInt32? = nil, nowNs: UInt64) {
        guard state.pointee.progressSeq == claim.seq else { return }
        if let emission = state.pointee.throttler.update(payloadBytesFilled: bytesFilled, rowsFilled: rowsFilled, nowNs: nowNs) {
            send(emission)
        }
    }

    /// Commits a claimed frame (`valuesLength` bytes at the start of the slot) with `layout` and sends its
    /// descriptor. Claims must be committed (or aborted) in the order they were made.
    @inlinable
    public func commit(_ claim: ProducerClaim, layout: TensorLayout, valuesLength: Int, timestampNs: UInt64,
                       metaVersion: UInt32? = nil, nowNs: UInt64) -> ProducerPublishResult {
        commit(claim, layout: layout, valuesLength: valuesLength, timestamp: .ns(timestampNs), metaVersion: metaVersion,
               nowNs: nowNs)
    }

    /// Commits a claimed frame like ``commit(_:layout:valuesLength:timestampNs:metaVersion:nowNs:)``, stamped as
    /// `timestamp` says (``FrameTimestamp/atCommit``: the clock read right before the commit).
    @inlinable
    public func commit(_ claim: ProducerClaim, layout: TensorLayout, valuesLength: Int, timestamp: FrameTimestamp,
                       metaVersion: UInt32? = nil, nowNs: UInt64) -> ProducerPublishResult {
        if state.pointee.isClosed { return .dropped(.closed) }
        guard claim.epoch == epoch, claim.seq >= state.pointee.oldestOpenSeq, claim.seq < state.pointee.planner.sequence.nextSeq,
              !abortedSlots[Int(UInt64(claim.headerIndex) & slotMask)] else {
            return .dropped(.unknownClaim)
        }
        if claim.seq != state.pointee.oldestOpenSeq {
            statistics.add(.outOfOrderCommits)
            return .dropped(.outOfOrder(expectedSeq: state.pointee.oldestOpenSeq, claimSeq: claim.seq))
        }
        if let staged = claim.stagedHeader {
            // The staged header is what consumers may already have read prefixes under: it cannot change.
            let resolvedMeta = metaVersion ?? staged.metaVersion
            guard valuesLength >= 0,
                  layout.header(valuesLength: valuesLength, timestampNs: 0, metaVersion: resolvedMeta) == staged else {
                return .dropped(.stagedLayoutMismatch)
            }
            return commitClaimed(slotClaim(claim), layout: layout, valuesLength: valuesLength, timestamp: timestamp,
                                 metaVersion: resolvedMeta, staged: true, completeRows: staged.completeRows, nowNs: nowNs)
        }
        guard valuesLength >= 0, valuesLength <= claim.strideBytes else {
            writer.abort(slotClaim(claim))
            finish(seq: claim.seq)
            statistics.add(.invalidLayoutDrops)
            return .dropped(.invalidLayout("values length \(valuesLength) outside the \(claim.strideBytes)-byte slot"))
        }
        return commitClaimed(slotClaim(claim), layout: layout, valuesLength: valuesLength, timestamp: timestamp,
                             metaVersion: metaVersion ?? state.pointee.metaVersion, nowNs: nowNs)
    }

    /// Commits a claim whose header was staged at claim time (``claim(byteCount:layout:metaVersion:nowNs:)``) with
    /// that header, and sends its descriptor. `.dropped(.noStagedLayout)` (claim left open) for a claim made
    /// without a layout.
    @inlinable
    public func commit(_ claim: ProducerClaim, timestampNs: UInt64, nowNs: UInt64) -> ProducerPublishResult {
        commit(claim, timestamp: .ns(timestampNs), nowNs: nowNs)
    }

    /// ``commit(_:timestampNs:nowNs:)`` stamped as `timestamp` says (``FrameTimestamp/atCommit``: the clock read
    /// right before the commit).
    @inlinable
    public func commit(_ claim: ProducerClaim, timestamp: FrameTimestamp, nowNs: UInt64) -> ProducerPublishResult {
        if state.pointee.isClosed { return .dropped(.closed) }
        guard claim.epoch == epoch, claim.seq >= state.pointee.oldestOpenSeq, claim.seq < state.pointee.planner.sequence.nextSeq,
              !abortedSlots[Int(UInt64(claim.headerIndex) & slotMask)] else {
            return .dropped(.unknownClaim)
        }
        guard let staged = claim.stagedHeader else { return .dropped(.noStagedLayout) }
        if claim.seq != state.pointee.oldestOpenSeq {
            statistics.add(.outOfOrderCommits)
            return .dropped(.outOfOrder(expectedSeq: state.pointee.oldestOpenSeq, claimSeq: claim.seq))
        }
        return commitStaged(slotClaim(claim), valuesLength: Int(staged.valuesLenBytes), timestamp: timestamp,
                            metaVersion: staged.metaVersion, completeRows: staged.completeRows, nowNs: nowNs)
    }

    /// Gives up a claim: the slot stays WRITING (readers drop it) and its `seq` becomes a gap for consumers.
    @inlinable
    public func abort(_ claim: ProducerClaim) {
        guard !state.pointee.isClosed, claim.epoch == epoch, claim.seq >= state.pointee.oldestOpenSeq, claim.seq < state.pointee.planner.sequence.nextSeq,
              !abortedSlots[Int(UInt64(claim.headerIndex) & slotMask)] else { return }
        writer.abort(slotClaim(claim))
        statistics.add(.claimsAborted)
        if state.pointee.progressSeq == claim.seq {
            _ = state.pointee.throttler.complete(payloadBytesFilled: 0, nowNs: 0)
            state.pointee.progressSeq = nil
        }
        if claim.seq == state.pointee.oldestOpenSeq {
            finish(seq: claim.seq)
        } else {
            abortedSlots[Int(UInt64(claim.headerIndex) & slotMask)] = true
        }
    }

    /// Claims in flight (claimed, not yet committed or aborted).
    public var claimsInFlight: Int { Int(state.pointee.planner.sequence.nextSeq - state.pointee.oldestOpenSeq) }
    /// The next sequence number to be claimed.
    public var nextSeq: UInt64 { state.pointee.planner.sequence.nextSeq }

    // MARK: metadata

    /// Replaces the data source's metadata attributes: bumps `meta_version` and sends `DataSourceMeta` and
    /// `DataSourceAnnounce` now (and at the announce cadence). Returns the new version.
    @discardableResult
    public func setMetadata(_ attributes: [MetaAttribute], nowNs: UInt64) -> UInt32 {
        metaAttributes = attributes
        state.pointee.metaVersion &+= 1
        statistics.set(.metaVersion, UInt64(metaVersion))
        sendMetadata(nowNs: nowNs)
        return metaVersion
    }

    /// Replaces the `name` and `summary` of the data source's beacon and sends `DataSourceAnnounce` now (and at the
    /// announce cadence); `meta_version` is unchanged. Non-ASCII bytes are sent as `?`, and the name is cut at
    /// 256 bytes and the summary at 1024 (``ControlPlane/sendDataSourceAnnounce(streamId:producerId:epoch:metaVersion:name:summary:)``).
    /// A bridge receiver calls it with the source's name and summary.
    public func setDataSource(name: String?, summary: String?, nowNs: UInt64) {
        dataSourceName = name
        dataSourceSummary = summary
        guard !state.pointee.isClosed else { return }
        controlPlane.sendDataSourceAnnounce(streamId: streamId, producerId: configuration.producerId, epoch: epoch,
                                            metaVersion: metaVersion, name: name, summary: summary)
    }

    // MARK: duty cycle

    /// One duty cycle: handles hellos and consumer QoS, forgets consumers silent too long, and sends what is due
    /// (`ShmPoolAnnounce` with a superblock `activity_timestamp_ns` refresh, metadata, `QosProducer`, `Heartbeat`,
    /// throttled `FrameProgress`). Frames are published by the caller on this same thread, not here; 0 once closed.
    public func doWork(nowNs: UInt64) throws -> Int {
        if state.pointee.isClosed { return 0 }
        var work = 0
        var handler = ProducerControlHandler(self)
        work += controlPlane.poll(&handler, nowNs: nowNs)
        if state.pointee.expiryCadence.isDue(nowNs: nowNs), registry.expire(nowNs: nowNs) {
            policyChanged()
        }
        if state.pointee.announceCadence.isDue(nowNs: nowNs) {
            regions.refreshActivity(nowNs: nowNs)
            if controlPlane.sendShmPoolAnnounce(announce).position != nil { statistics.add(.announcesSent) }
            work += 1
        }
        if state.pointee.metaCadence.isDue(nowNs: nowNs) {
            sendMetadata(nowNs: nowNs)
            work += 1
        }
        if state.pointee.qosCadence.isDue(nowNs: nowNs) {
            if controlPlane.sendQosProducer(streamId: streamId, producerId: configuration.producerId, epoch: epoch,
                                            currentSeq: state.pointee.planner.sequence.nextSeq, watermark: nil).position != nil {
                statistics.add(.qosSent)
            }
            work += 1
        }
        if state.pointee.heartbeatCadence.isDue(nowNs: nowNs) {
            controlPlane.sendHeartbeat(streamId: streamId, producerId: configuration.producerId, epoch: epoch, timestampNs: nowNs)
            work += 1
        }
        if state.pointee.countersCadence.isDue(nowNs: nowNs) { refreshCounters() }
        if state.pointee.progressSeq != nil, let emission = state.pointee.throttler.poll(nowNs: nowNs) {
            send(emission)
            work += 1
        }
        // The next descriptor's log lines, fetched while nothing waits for them: at the commit after a small fill
        // they are then cached, and only a large fill (descriptorLinesWarmBytes) needs them fetched again there.
        controlPlane.warm(.descriptor, frameLines: true)
        return work
    }

    /// Agent shutdown (`AgentRunner` or `AgentInvoker` close): ``close()`` on the agent's thread, after the last
    /// duty cycle.
    public func onClose() { close() }

    // MARK: control messages

    /// `ConsumerHello` (spec §10.1.2): registers or refreshes the consumer and re-aggregates the progress policy from
    /// its hints; a new consumer gets the announce and metadata on the next cycle. An unknown enum value or an
    /// unsupported `expected_layout_version` is answered with `ControlResponse` `INVALID_PARAMS` (correlation id =
    /// consumer id); a hello for another stream is ignored, or answered `REJECTED` with
    /// ``ProducerOptions/rejectHellosForOtherStreams``.
    public func onConsumerHello(_ message: ConsumerHelloDecoder, nowNs: UInt64) throws(SBEError) {
        let consumerId = message.consumerId
        let helloStream = message.streamId
        guard helloStream == streamId else {
            if options.rejectHellosForOtherStreams {
                statistics.add(.hellosRejected)
                controlPlane.sendControlResponse(
                    correlationId: Int64(consumerId), code: .rejected,
                    errorMessage: "unknown stream_id \(helloStream): producer \(configuration.producerId) serves stream \(streamId)")
            }
            return
        }
        guard let mode = ConsumerMode(rawValue: message.mode.rawValue),
              let supportsProgress = Self.bool(message.supportsProgress),
              let supportsShm = Self.bool(message.supportsShm) else {
            statistics.add(.hellosRejected)
            controlPlane.reject(.unknownEnumValue, nowNs: nowNs) { "ConsumerHello from consumer \(consumerId): mode/bool value outside the schema" }
            controlPlane.sendControlResponse(correlationId: Int64(consumerId), code: .invalidParams,
                                             errorMessage: "ConsumerHello: unknown enum value (mode \(message.mode.rawValue))")
            return
        }
        let expectedLayout = message.expectedLayoutVersion
        guard expectedLayout == configuration.layoutVersion else {
            statistics.add(.hellosRejected)
            controlPlane.reject(.invalidContent, nowNs: nowNs) { "ConsumerHello from consumer \(consumerId): layout \(expectedLayout)" }
            controlPlane.sendControlResponse(
                correlationId: Int64(consumerId), code: .invalidParams,
                errorMessage: "expected_layout_version \(expectedLayout) not supported: stream \(streamId) uses layout_version \(configuration.layoutVersion)")
            return
        }
        let hint = ConsumerHint(
            streamId: helloStream, consumerId: consumerId, supportsShm: supportsShm,
            supportsProgress: supportsProgress, mode: mode, maxRateHz: message.maxRateHz,
            expectedLayoutVersion: expectedLayout, progressIntervalUs: message.progressIntervalUs,
            progressBytesDelta: message.progressBytesDelta, progressRowsDelta: message.progressRowsDelta)
        let known = registry.entries[consumerId] != nil
        if registry.onHello(hint, nowNs: nowNs) { policyChanged() }
        statistics.add(.hellosAccepted)
        statistics.set(.consumers, UInt64(registry.entries.count))
        // A new consumer gets the announce now instead of waiting for the cadence.
        if !known {
            state.pointee.announceCadence.fireNext()
            state.pointee.metaCadence.fireNext()
        }
    }

    /// `QosConsumer` (spec §10.4.1): refreshes the liveness of a consumer already registered by a hello, so it is not
    /// forgotten after `consumer_expiry_multiple` hello intervals; unknown consumers wait for their hello.
    public func onQosConsumer(_ message: QosConsumerDecoder, nowNs: UInt64) throws(SBEError) {
        registry.onQos(streamId: message.streamId, consumerId: message.consumerId, nowNs: nowNs)
    }

    // MARK: private

    static func bool(_ value: BoolEnum) -> Bool? {
        switch value {
        case .true: true
        case .false: false
        case .unrecognized: nil
        }
    }

    private func policyChanged() {
        state.pointee.throttler.policy = registry.policy
        statistics.set(.consumers, UInt64(registry.entries.count))
    }

    private func sendMetadata(nowNs: UInt64) {
        controlPlane.sendDataSourceAnnounce(streamId: streamId, producerId: configuration.producerId, epoch: epoch,
                                            metaVersion: metaVersion, name: dataSourceName, summary: dataSourceSummary)
        if !metaAttributes.isEmpty || metaVersion > 0 {
            controlPlane.sendDataSourceMeta(streamId: streamId, metaVersion: metaVersion, timestampNs: nowNs,
                                            attributes: metaAttributes)
        }
    }

    @inlinable func canClaim() -> Bool {
        if state.pointee.isClosed { return false }
        if state.pointee.planner.sequence.nextSeq - state.pointee.oldestOpenSeq >= UInt64(configuration.headerNslots) {
            statistics.add(.claimsRefused)
            return false
        }
        return true
    }

    @inlinable func claimPlanned(_ plan: FramePlan, nowNs: UInt64) -> ProducerClaim? {
        claimPlanned(plan, staging: nil, nowNs: nowNs)
    }

    /// Claims the planned slot; with `staging`, writes that header while the slot is WRITING and before STARTED is
    /// offered, so every `FrameProgress` of the frame is sent after its header (spec §10.2.2 prefix reads).
    @inlinable func claimPlanned(_ plan: FramePlan, staging: TensorSlotHeader?, nowNs: UInt64) -> ProducerClaim? {
        guard let slot = writer.claim(frameId: plan.seq, poolId: plan.poolId) else {
            finish(seq: plan.seq)
            statistics.add(.claimsRefused)
            return nil
        }
        if let staging, writer.stage(slot, header: staging) != nil {
            writer.abort(slot)
            if plan.seq == state.pointee.oldestOpenSeq {
                finish(seq: plan.seq)
            } else {
                abortedSlots[Int(UInt64(slot.headerIndex) & slotMask)] = true
            }
            statistics.add(.invalidLayoutDrops)
            return nil
        }
        let claim = ProducerClaim(slot: slot, headerIndex: plan.headerIndex, epoch: epoch, stagedHeader: staging)
        state.pointee.progressSeq = claim.seq
        if let emission = state.pointee.throttler.start(frameId: claim.seq, headerIndex: claim.headerIndex, nowNs: nowNs,
                                          enabled: registry.progressWanted, startRows: staging?.startedRows ?? false) {
            send(emission)
        }
        return claim
    }

    @inlinable func slotClaim(_ claim: ProducerClaim) -> SlotClaim { claim.slot }

    @inlinable func commitClaimed(_ claim: SlotClaim, layout: TensorLayout, valuesLength: Int, timestamp: FrameTimestamp,
                                  metaVersion: UInt32, staged: Bool = false, completeRows: UInt32? = nil,
                                  nowNs: UInt64) -> ProducerPublishResult {
        let seq = claim.frameId
        // The header goes in (still WRITING: readers drop the slot) before the clock is read, and the descriptor
        // path's lines are touched: after a large fill these lines are cold, and their misses are not frame
        // latency. The timestamp is stored at commit. A header staged at claim is already there, unchanged.
        if !staged {
            let header = layout.header(valuesLength: valuesLength, timestampNs: 0, metaVersion: metaVersion)
            if let failure = writer.stage(claim, header: header) {
                writer.abort(claim)
                finish(seq: seq)
                statistics.add(.invalidLayoutDrops)
                if state.pointee.progressSeq == seq { state.pointee.progressSeq = nil }
                return .dropped(.invalidLayout("\(failure)"))
            }
        }
        return commitStaged(claim, valuesLength: valuesLength, timestamp: timestamp, metaVersion: metaVersion,
                            completeRows: completeRows, nowNs: nowNs)
    }

    /// Commits a slot whose header is staged: COMMITTED word, descriptor, COMPLETE progress, statistics.
    /// `completeRows` (`dims[0]` of a row-major staged layout) goes in the COMPLETE update when the frame's
    /// progress reported rows: every row is written at commit.
    @inlinable func commitStaged(_ claim: SlotClaim, valuesLength: Int, timestamp: FrameTimestamp,
                                 metaVersion: UInt32, completeRows: UInt32? = nil, nowNs: UInt64) -> ProducerPublishResult {
        let seq = claim.frameId
        controlPlane.warm(.descriptor, frameLines: valuesLength >= Self.descriptorLinesWarmBytes)
        // The producer's own bookkeeping and the descriptor's fields come before the clock read too: after a large
        // fill their lines are as cold as the header's. Nothing reads `oldestOpenSeq` but this thread, and nothing
        // below can fail before the commit.
        finish(seq: seq)
        let streamId = self.streamId
        let epoch = self.epoch
        let headerIndex = UInt32(claim.headerIndex)
        // Read once (the header and the descriptor carry the same value), after the payload is in the slot.
        let timestampNs = timestamp.resolve()
        writer.commitStaged(claim, timestampNs: timestampNs)
        let result = controlPlane.sendFrameDescriptor(streamId: streamId, epoch: epoch, seq: seq,
                                                      headerIndex: headerIndex, timestampNs: timestampNs,
                                                      metaVersion: metaVersion)
        // The next frame's slot header line, still with the consumer that read it nslots frames ago: fetched now,
        // not on that frame's commit path.
        writer.prefetchSlot(frameId: seq &+ 1, poolId: claim.poolId)
        if state.pointee.progressSeq == seq {
            state.pointee.progressSeq = nil
            let rows = state.pointee.throttler.reportsRows ? completeRows : nil
            if let emission = state.pointee.throttler.complete(payloadBytesFilled: UInt64(valuesLength), rowsFilled: rows,
                                                               nowNs: nowNs) { send(emission) }
        }
        if result.position != nil {
            statistics.add(.framesPublished)
            statistics.add(.bytesPublished, UInt64(valuesLength))
            return .published(seq: seq)
        }
        statistics.add(.descriptorOfferFailures)
        switch result {
        case .backPressured, .adminAction: statistics.add(.descriptorBackPressured)
        case .notConnected: statistics.add(.descriptorNotConnected)
        default: break
        }
        return .descriptorNotSent(seq: seq, result)
    }

    /// Marks `seq` (the oldest open claim) finished and skips over later claims already aborted.
    @inlinable func finish(seq: UInt64) {
        guard seq == state.pointee.oldestOpenSeq else { return }
        state.pointee.oldestOpenSeq &+= 1
        let mask = slotMask
        while state.pointee.oldestOpenSeq < state.pointee.planner.sequence.nextSeq, abortedSlots[Int(state.pointee.oldestOpenSeq & mask)] {
            abortedSlots[Int(state.pointee.oldestOpenSeq & mask)] = false
            state.pointee.oldestOpenSeq &+= 1
        }
    }

    @inlinable func send(_ emission: ProgressEmission) {
        let state: TensorPoolCodecs.FrameProgressState = switch emission.state {
        case .started: .started
        case .progress: .progress
        case .complete: .complete
        case .unknown: .unknown
        }
        if controlPlane.sendFrameProgress(streamId: streamId, epoch: epoch, frameId: emission.frameId,
                                          headerIndex: emission.headerIndex, payloadBytesFilled: emission.payloadBytesFilled,
                                          state: state, rowsFilled: emission.rowsFilled).position != nil {
            statistics.add(.progressSent)
        }
    }

    private static func makeDirectories(_ path: String) {
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            _ = mkdir(prefix, 0o770)
        }
    }
}
