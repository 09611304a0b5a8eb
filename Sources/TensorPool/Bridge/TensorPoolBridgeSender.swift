import AeronClient
import TensorPoolBridgeCodecs
import TensorPoolCore

/// Errors raised while starting a bridge sender or receiver (never on the duty cycle).
public enum BridgeError: Error, CustomStringConvertible {
    /// Adding a publication or subscription failed.
    case aeron(AeronError)
    /// The receiver's local producer could not start.
    case producer(ProducerError)
    /// Inconsistent options (sizes, chunk length).
    case configuration(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .aeron(let e): "Aeron: \(e)"
        case .producer(let e): "receiver producer: \(e)"
        case .configuration(let why): "invalid bridge configuration: \(why)"
        }
    }
}

/// The sending half of the bridge service (spec §12): a consumer of a local stream that sends every frame it
/// accepts over an Aeron channel (typically `aeron:udp`) as ordered `BridgeFrameChunk` messages (schema 901,
/// docs/BRIDGE.md), for a ``TensorPoolBridgeReceiver`` on a remote host.
///
/// - Safety: the frame (payload and slot header) is copied into a staging buffer inside the source seqlock
///   read; only a frame whose read validated is sent, so a torn frame never leaves the host.
/// - Back pressure: chunks of the staged frame are offered until the publication refuses, and resumed on the
///   next duty cycle; source frames delivered meanwhile are counted (`busyDrops`) and skipped (use LATEST or
///   a rate limit on the source for links slower than the source).
/// - A frame the publication cannot take any more (not connected, closed) is abandoned part-way and counted;
///   the receiver aborts the incomplete frame.
/// - Metadata: the source's `DataSourceMeta` (as its consumer reports it, ``TensorFrameHandler/onMetadata(_:)``)
///   is sent as a `BridgeDataSourceMeta`, and its `DataSourceAnnounce` (``TensorFrameHandler/onDataSourceInfo(_:)``:
///   name, summary) as a `BridgeDataSourceAnnounce`, each when it changes and every
///   ``BridgeSenderOptions/metadataIntervalNs``, between frames; a refused offer is retried on the next duty cycle
///   without holding frames back.
///
/// Single-threaded; the duty cycle allocates nothing in steady state.
public final class TensorPoolBridgeSender: TensorPoolAgent {
    /// The options the sender was started with.
    public let options: BridgeSenderOptions
    /// The consumer of the local stream.
    public let source: TensorPoolConsumer<BridgeSenderStaging>
    /// The bridge publication the chunks are offered on.
    public let publication: ExclusivePublication
    /// The sender's counters.
    public let statistics: BridgeSenderStatistics
    /// Name used in logs and by `AgentRunner`.
    public let roleName: String
    /// Payload bytes per chunk in use.
    public let chunkBytes: Int

    let staged: BridgeStagedFrame
    let metadata: BridgeMetadataOutbox
    let announce: BridgeAnnounceOutbox
    let sendBuffer: UnsafeMutableRawPointer
    let sendCapacity: Int
    private var isClosed = false

    /// Opens the bridge publication (blocking until the driver answers) and the consumer of the local stream `configuration.streamId`.
    public init(source configuration: ConsumerConfiguration, aeron: Aeron, options: BridgeSenderOptions) throws(BridgeError) {
        guard options.maxFrameBytes >= 0, options.maxFrameBytes <= Int(UInt32.max) else {
            throw .configuration("maxFrameBytes \(options.maxFrameBytes) outside 0...\(UInt32.max)")
        }
        self.options = options
        let publication: ExclusivePublication
        do { publication = try aeron.addExclusivePublication(channel: options.channel, streamId: options.streamId) } catch {
            throw .aeron(error)
        }
        let messageLimit = options.chunkBytes == nil ? publication.maxPayloadLength : publication.maxMessageLength
        let limit = BridgeWire.chunkCapacity(messageBytes: messageLimit)
        let chunk = min(options.chunkBytes ?? limit, limit)
        guard chunk >= 1 else {
            try? publication.close()
            throw .configuration("chunk size \(chunk): the publication's messages (\(messageLimit) bytes) are too small")
        }
        chunkBytes = chunk
        self.publication = publication
        let statistics = BridgeSenderStatistics()
        self.statistics = statistics
        staged = BridgeStagedFrame(capacity: options.maxFrameBytes)
        let metadata = BridgeMetadataOutbox(intervalNs: options.metadataIntervalNs)
        self.metadata = metadata
        let announce = BridgeAnnounceOutbox(intervalNs: options.metadataIntervalNs)
        self.announce = announce
        sendCapacity = BridgeWire.fixedOverhead + BridgeWire.slotHeaderBytes
        sendBuffer = .allocate(byteCount: sendCapacity, alignment: 64)
        sendBuffer.initializeMemory(as: UInt8.self, repeating: 0, count: sendCapacity)
        roleName = "bridge-sender[\(configuration.streamId)->\(options.channel)#\(options.streamId)]"
        do {
            source = try TensorPoolConsumer(
                configuration: configuration, aeron: aeron,
                handler: BridgeSenderStaging(staged: staged, metadata: metadata, announce: announce,
                                             streamId: configuration.streamId, statistics: statistics),
                options: options.source)
        } catch {
            try? publication.close()
            sendBuffer.deallocate()
            throw .aeron(error)
        }
    }

    deinit {
        close()
        sendBuffer.deallocate()
    }

    /// Closes the source consumer and the bridge publication.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        source.close()
        try? publication.close()
    }

    /// One duty cycle: the source consumer, the source's beacon and metadata when due (between frames: never between two
    /// chunks of one frame, so the frames staged after a change follow it on the wire), then the staged frame's
    /// chunks.
    public func doWork(nowNs: UInt64) throws -> Int {
        if isClosed { return 0 }
        var work = try source.doWork(nowNs: nowNs)
        if staged.state != .ready || !staged.firstChunkSent {
            work += offerIfDue(announce.message, nowNs: nowNs)
            work += offerIfDue(metadata.message, nowNs: nowNs)
        }
        if staged.state == .ready { work += sendStaged() }
        if work > 0 {
            let counters = source.frameCounters
            statistics.set(.sourceDrops, counters.dropsGap &+ counters.dropsLate)
        }
        return work
    }

    /// Closes the sender (agent runner shutdown).
    public func onClose() { close() }

    /// Offers `message` when it changed or its re-send interval elapsed; 1 when the offer was settled.
    private func offerIfDue(_ message: BridgeOutgoingMessage, nowNs: UInt64) -> Int {
        guard message.isDue(nowNs: nowNs), message.offer(on: publication, nowNs: nowNs, statistics: statistics) else { return 0 }
        return 1
    }

    /// Offers the staged frame's remaining chunks until done or refused; returns the chunks sent.
    func sendStaged() -> Int {
        var sent = 0
        let frame = staged
        while frame.state == .ready {
            let first = !frame.firstChunkSent
            let remaining = frame.length - frame.sentOffset
            if !first && remaining == 0 {
                frame.state = .empty
                statistics.add(.framesSent)
                statistics.add(.bytesSent, UInt64(frame.length))
                break
            }
            let count = min(remaining, chunkBytes)
            guard let prefix = encodeChunkPrefix(first: first, count: count) else {
                frame.state = .empty
                statistics.add(.framesAbandoned)
                break
            }
            let result = publication.offer(UnsafeRawBufferPointer(start: sendBuffer, count: prefix),
                                           UnsafeRawBufferPointer(start: frame.payload + frame.sentOffset, count: count))
            switch result {
            case .position:
                frame.firstChunkSent = true
                frame.sentOffset += count
                statistics.add(.chunksSent)
                sent += 1
            case .backPressured, .adminAction:
                statistics.add(.backPressured)
                return sent
            case .notConnected, .closed, .maxPositionExceeded, .messageTooLong:
                frame.state = .empty
                statistics.add(.framesAbandoned)
                return sent
            }
        }
        return sent
    }

    /// Encodes everything of the chunk but the payload bytes (offered as the second buffer, straight from the
    /// staging buffer): SBE header, fixed block, slot header var data, payload length. Returns its length.
    private func encodeChunkPrefix(first: Bool, count: Int) -> Int? {
        let frame = staged
        do {
            var encoder = try BridgeFrameChunkEncoder(wrapAndApplyHeader: sendBuffer, offset: 0, capacity: sendCapacity)
            encoder.streamId = frame.streamId
            encoder.chunkOffset = UInt32(truncatingIfNeeded: frame.sentOffset)
            encoder.epoch = frame.epoch
            encoder.seq = frame.seq
            encoder.totalLength = UInt32(truncatingIfNeeded: frame.length)
            encoder.chunkLength = UInt32(truncatingIfNeeded: count)
            let header = UnsafeRawBufferPointer(start: frame.header.base, count: first ? BridgeWire.slotHeaderBytes : 0)
            try encoder.slotHeader(header)
            // The payload's var-data length prefix; its bytes follow in the offer's second buffer.
            let lengthOffset = encoder.encodedLength
            guard lengthOffset + 4 <= sendCapacity else { return nil }
            sendBuffer.storeBytes(of: UInt32(truncatingIfNeeded: count).littleEndian, toByteOffset: lengthOffset, as: UInt32.self)
            return lengthOffset + 4
        } catch {
            return nil
        }
    }
}
