import AeronClient
import TensorPoolCore

/// Errors raised while starting a decimator (never on the duty cycle).
public enum DecimatorError: Error, CustomStringConvertible {
    /// The target producer could not start.
    case target(ProducerError)
    /// The source consumer or the metadata subscription could not start.
    case source(AeronError)
    /// Inconsistent configuration (e.g. the target is the source).
    case configuration(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .target(let e): "target producer: \(e)"
        case .source(let e): "source consumer: \(e)"
        case .configuration(let why): "invalid decimator configuration: \(why)"
        }
    }
}

/// The decimator service (spec §11 "decimation ... via a tap/decimator service"): a consumer of a source
/// stream and a producer of a target stream in one agent. Every frame the source consumer accepts (any mode,
/// typically DECIMATED N and/or `max_rate_hz`) is republished on the target stream.
///
/// - Target: its own regions and epoch (``TensorPoolProducer``), the same tensor layout and `timestamp_ns` as
///   the source frame; the source's `DataSourceMeta` is forwarded when ``DecimatorOptions/forwardMetadata``.
/// - One copy: the source payload is copied, inside the source seqlock read, straight into a claimed target
///   slot (``DecimatorForwarder``). A source read that fails validation aborts the target claim: a torn frame
///   is never published (``DecimatorStatisticsCounter/aborted``).
/// - A source restart (new epoch) is handled by the source consumer's remap; the target keeps its epoch and
///   keeps numbering frames.
///
/// Single-threaded (its `AgentRunner` thread or your loop); the duty cycle allocates nothing in steady state.
public final class TensorPoolDecimator: TensorPoolAgent {
    /// The consumer of the source stream (its handler holds the forwarding state).
    public let source: TensorPoolConsumer<DecimatorForwarder>
    /// The producer of the target stream.
    public let target: TensorPoolProducer
    /// The decimator's counters.
    public let statistics: DecimatorStatistics
    /// Name used in logs and by `AgentRunner`.
    public let roleName: String

    private let metadataPlane: ControlPlane?
    private var relay: DecimatorMetadataRelay
    private var isClosed = false

    /// Creates the target producer (new epoch, regions), the source consumer and, when forwarding metadata,
    /// a subscription to the source's metadata stream.
    ///
    /// The target must not be the source: the same stream id on the same Aeron channel and directory is refused.
    public init(source sourceConfiguration: ConsumerConfiguration, target targetConfiguration: ProducerConfiguration,
                aeron: Aeron, options: DecimatorOptions = DecimatorOptions()) throws(DecimatorError) {
        if sourceConfiguration.streamId == targetConfiguration.streamId,
           sourceConfiguration.aeron.aeronDir == targetConfiguration.aeron.aeronDir,
           sourceConfiguration.aeron.channel == targetConfiguration.aeron.channel {
            throw .configuration("target stream \(targetConfiguration.streamId) is the source stream")
        }
        let statistics = DecimatorStatistics()
        self.statistics = statistics
        let target: TensorPoolProducer
        do {
            target = try TensorPoolProducer(configuration: targetConfiguration, aeron: aeron, options: options.target)
        } catch { throw .target(error) }
        self.target = target
        do {
            source = try TensorPoolConsumer(configuration: sourceConfiguration, aeron: aeron,
                                            handler: DecimatorForwarder(target: target, statistics: statistics),
                                            options: options.source)
        } catch {
            target.close()
            throw .source(error)
        }
        relay = DecimatorMetadataRelay(sourceStreamId: sourceConfiguration.streamId, target: target, statistics: statistics)
        roleName = "decimator[\(sourceConfiguration.streamId)->\(targetConfiguration.streamId)]"
        if options.forwardMetadata {
            do {
                metadataPlane = try ControlPlane(aeron: aeron, endpoint: sourceConfiguration.aeron, roleName: roleName,
                                                 publishing: [], subscribing: [.metadata], logSink: options.source.logSink)
            } catch {
                source.close()
                target.close()
                throw .source(error)
            }
        } else {
            metadataPlane = nil
        }
    }

    deinit { close() }

    /// Closes the source consumer, the target producer (unlinking its regions per its options) and the
    /// metadata subscription.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        source.close()
        metadataPlane?.close()
        target.close()
    }

    /// One duty cycle: target producer control work, source consumer (reads and republishes), metadata relay.
    public func doWork(nowNs: UInt64) throws -> Int {
        if isClosed { return 0 }
        var work = try target.doWork(nowNs: nowNs)
        work += try source.doWork(nowNs: nowNs)
        if let metadataPlane { work += metadataPlane.poll(&relay, nowNs: nowNs) }
        if work > 0 {
            let counters = source.frameCounters
            statistics.set(.sourceDrops, counters.dropsGap &+ counters.dropsLate)
        }
        return work
    }

    /// Closes the decimator (agent runner shutdown).
    public func onClose() { close() }
}

/// Runtime options of a ``TensorPoolDecimator``.
public struct DecimatorOptions: Sendable {
    /// Options of the source consumer (`shmRootDir` must contain the source's regions).
    public var source: ConsumerOptions
    /// Options of the target producer.
    public var target: ProducerOptions
    /// Forward the source's `DataSourceMeta` to the target stream.
    public var forwardMetadata = true

    /// Options with the given source consumer and target producer options.
    public init(source: ConsumerOptions = ConsumerOptions(), target: ProducerOptions = ProducerOptions()) {
        self.source = source
        self.target = target
    }
}
