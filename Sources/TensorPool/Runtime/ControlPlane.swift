import AeronClient
import AeronConcurrent
import SBE
import TensorPoolCodecs

/// The Aeron side of a tensor-pool role: the publications and subscriptions of the four logical streams
/// (``ControlPlaneStream``), a preallocated send buffer for SBE encoding, and a poll that decodes every
/// received message by its SBE header and hands it to a ``ControlMessageHandler``.
///
/// - Streams that map to the same channel and stream id share one publication and one subscription (all
///   messages can be multiplexed on one stream, spec §15.11).
/// - Receive: schema id must be 900; the template id selects the decoder; `blockLength`/`version` from the
///   header are the acting block length/version (older and newer writers interoperate). Anything else is a
///   counted, rate-limited-logged ``ControlMessageRejection``, never a crash. Fragmented messages are
///   reassembled (announces with many pools, metadata).
/// - Send: the typed `send…` methods encode into the send buffer and offer it; a failed offer is counted
///   (``ControlPlaneCounters``) and returned, never retried or blocked on.
///
/// Steady state allocates nothing. One owner thread (the role's agent).
public final class ControlPlane {
    /// Largest message the send buffer holds.
    public static let sendBufferCapacity = 64 * 1024

    /// Aeron directory, channel and the stream ids the logical streams map to (spec §15.11); logical streams with the
    /// same id share one publication and one subscription.
    public let endpoint: AeronEndpointConfiguration
    /// Messages received per template, rejections per reason and offer outcomes: written on the owner thread,
    /// readable from any thread (e.g. a status display or a `tp` exit summary).
    public let counters = ControlPlaneCounters()
    /// Role name used in log lines.
    public let roleName: String

    @usableFromInline let sendBuffer: UnsafeMutableRawPointer
    @usableFromInline var log: RateLimitedLog
    /// Publication per logical stream (index = `ControlPlaneStream.rawValue`), nil when not published.
    /// Exclusive: one owner thread, and a session id of its own, so receivers can tell the roles of one process
    /// (sharing one Aeron client) apart.
    @usableFromInline let publications: [ExclusivePublication?]
    /// ``publications`` as unretained references (nil bits when not published), read by ``offerEncoded(_:length:)``
    /// without retaining the publication per offer. Sound because the `let` array keeps every referent alive as
    /// long as the table lives (freed in `deinit`).
    @usableFromInline let unretainedPublications: UnsafeMutablePointer<Unmanaged<ExclusivePublication>?>
    @usableFromInline let subscriptions: [Subscription]
    @usableFromInline let assemblers: [FragmentAssembler]
    /// Logical streams whose messages arrive on subscription `i` (for diagnostics).
    public let subscribedStreamIds: [Int32]
    /// The subscriptions and their assemblers as unretained references, walked by ``poll(_:nowNs:fragmentLimit:)``
    /// without a retain/release pair per subscription per duty cycle. Sound because ``subscriptions`` and
    /// ``assemblers`` are `let` arrays of this object: they keep every referent alive as long as the table lives
    /// (it is freed in `deinit`).
    @usableFromInline let pollTable: UnsafeMutablePointer<PollEntry>
    @usableFromInline struct PollEntry {
        @usableFromInline let subscription: Unmanaged<Subscription>
        @usableFromInline let assembler: Unmanaged<FragmentAssembler>
        @usableFromInline let streamId: Int32
    }
    /// The ids of the message being dispatched, behind a pointer: a stored `var` of a class pays a dynamic
    /// exclusivity check on every write, i.e. once per subscription and once per message.
    @usableFromInline let receiving: UnsafeMutablePointer<(streamId: Int32, sessionId: Int32)>
    /// Aeron session id of the message being dispatched by ``poll(_:nowNs:fragmentLimit:)`` (valid during a
    /// handler call): identifies the sending publication, e.g. for consumer-id collision detection.
    public var receivingSessionId: Int32 { receiving.pointee.sessionId }
    /// Aeron stream id of the subscription the message being dispatched arrived on (valid during a handler call).
    /// A role sends on one publication per Aeron stream, so a sender is identified by (stream id, session id).
    public var receivingStreamId: Int32 { receiving.pointee.streamId }
    /// Whether the first subscription of ``pollTable`` is the prioritized stream's (see `init`).
    @usableFromInline let prioritized: Bool
    /// Polls made so far, when the last idle poll happened and whether the last poll read anything, behind a
    /// pointer like ``receiving``.
    @usableFromInline let pollCycle: UnsafeMutablePointer<UInt64>
    @usableFromInline let idlePollState: UnsafeMutablePointer<(lastNs: UInt64, readSomething: Bool)>
    /// See `init(idlePollIntervalNs:)`; 0 = every poll.
    @usableFromInline let idlePollIntervalNs: UInt64
    /// With a prioritized subscription, the other subscriptions are polled on one poll in this many.
    public static let secondaryPollInterval: UInt64 = 8

    /// Opens the publications and subscriptions (blocking until the driver answers each).
    ///
    /// - Parameters:
    ///   - publishing: logical streams this role sends on.
    ///   - subscribing: logical streams this role receives (each distinct Aeron stream is subscribed once).
    ///   - prioritizing: a subscribed stream polled on every ``poll(_:nowNs:fragmentLimit:)`` (a consumer's
    ///     descriptors); the other subscriptions are polled only on one poll in ``secondaryPollInterval``, busy or
    ///     idle: a busy frame path does not pay for polling low-rate control streams on every duty cycle, and an
    ///     idle one spins on the descriptor stream alone, so a descriptor is seen within one short poll instead of
    ///     a poll of every subscription. `nil`: every subscription on every poll.
    ///   - idlePollIntervalNs: without a prioritized stream, after a poll that read nothing, the next polls are
    ///     skipped until this much time has passed (by their `nowNs`) or ``secondaryPollInterval`` polls were
    ///     skipped, whichever comes first (a role whose only received streams are low-rate control streams, e.g. a
    ///     producer publishing on every duty cycle). 0: every poll.
    public init(aeron: Aeron, endpoint: AeronEndpointConfiguration, roleName: String,
                publishing: Set<ControlPlaneStream>, subscribing: Set<ControlPlaneStream>,
                prioritizing: ControlPlaneStream? = nil, idlePollIntervalNs: UInt64 = 0,
                logSink: TensorPoolLogSink = .standardError) throws(AeronError) {
        self.endpoint = endpoint
        self.roleName = roleName
        var publicationByStreamId: [Int32: ExclusivePublication] = [:]
        var publications: [ExclusivePublication?] = Array(repeating: nil, count: ControlPlaneStream.allCases.count)
        for stream in ControlPlaneStream.allCases where publishing.contains(stream) {
            let id = stream.streamId(in: endpoint)
            if let existing = publicationByStreamId[id] {
                publications[stream.rawValue] = existing
            } else {
                let publication = try aeron.addExclusivePublication(channel: endpoint.channel, streamId: id)
                publicationByStreamId[id] = publication
                publications[stream.rawValue] = publication
            }
        }
        var subscribedIds: [Int32] = []
        var subscriptions: [Subscription] = []
        // The prioritized stream first: poll treats entry 0 as the prioritized subscription.
        var order = ControlPlaneStream.allCases.filter { subscribing.contains($0) }
        if let first = prioritizing, let index = order.firstIndex(of: first) {
            order.remove(at: index)
            order.insert(first, at: 0)
        }
        prioritized = prioritizing.map { subscribing.contains($0) } ?? false
        for stream in order {
            let id = stream.streamId(in: endpoint)
            if subscribedIds.contains(id) { continue }
            subscriptions.append(try aeron.addSubscription(channel: endpoint.channel, streamId: id))
            subscribedIds.append(id)
        }
        self.publications = publications
        self.subscriptions = subscriptions
        self.assemblers = subscriptions.map { _ in FragmentAssembler(initialBufferLength: 8192) }
        self.subscribedStreamIds = subscribedIds
        pollTable = .allocate(capacity: max(subscriptions.count, 1))
        for i in subscriptions.indices {
            (pollTable + i).initialize(to: PollEntry(subscription: .passUnretained(subscriptions[i]),
                                                     assembler: .passUnretained(assemblers[i]),
                                                     streamId: subscribedIds[i]))
        }
        unretainedPublications = .allocate(capacity: max(publications.count, 1))
        for i in publications.indices {
            (unretainedPublications + i).initialize(to: publications[i].map { .passUnretained($0) })
        }
        receiving = .allocate(capacity: 1)
        receiving.initialize(to: (0, 0))
        pollCycle = .allocate(capacity: 1)
        pollCycle.initialize(to: 0)
        idlePollState = .allocate(capacity: 1)
        idlePollState.initialize(to: (0, true))
        self.idlePollIntervalNs = idlePollIntervalNs
        sendBuffer = UnsafeMutableRawPointer.allocate(byteCount: Self.sendBufferCapacity, alignment: 64)
        sendBuffer.initializeMemory(as: UInt8.self, repeating: 0, count: Self.sendBufferCapacity)
        log = RateLimitedLog(sink: logSink, prefix: roleName, keys: ControlMessageRejection.allCases.count + 8)
    }

    deinit {
        sendBuffer.deallocate()
        pollTable.deallocate()
        unretainedPublications.deallocate()
        receiving.deallocate()
        pollCycle.deallocate()
        idlePollState.deallocate()
    }

    /// Closes the publications and subscriptions (the Aeron client stays open).
    public func close() {
        var closed: [ObjectIdentifier] = []
        for case let publication? in publications where !closed.contains(ObjectIdentifier(publication)) {
            closed.append(ObjectIdentifier(publication))
            try? publication.close()
        }
        for subscription in subscriptions { try? subscription.close() }
    }

    /// Whether some subscriber is connected to the publication of `stream`.
    public func isConnected(_ stream: ControlPlaneStream) -> Bool {
        publications[stream.rawValue]?.isConnected ?? false
    }

    // MARK: receive

    /// Polls the subscriptions (up to `fragmentLimit` fragments each; with a prioritized stream, the others only as
    /// described in `init`) and dispatches each whole message to `handler`. Returns the number of fragments read.
    @inlinable
    public func poll<H: ControlMessageHandler>(_ handler: inout H, nowNs: UInt64, fragmentLimit: Int = 64) -> Int {
        var fragments = 0
        let count = subscriptions.count
        var i = 0
        if prioritized {
            fragments = poll(entry: 0, &handler, nowNs: nowNs, fragmentLimit: fragmentLimit)
            // A descriptor's Aeron frame is 96 bytes, two cache lines: ask for the second while spinning on the first.
            if fragments == 0 { pollTable[0].subscription._withUnsafeGuaranteedRef { $0.prefetchNextFrames() } }
            i = 1
            let cycle = pollCycle.pointee &+ 1
            pollCycle.pointee = cycle
            if cycle % Self.secondaryPollInterval != 0 { return fragments }
        } else if idlePollIntervalNs > 0 {
            let cycle = pollCycle.pointee &+ 1
            pollCycle.pointee = cycle
            let state = idlePollState.pointee
            if !state.readSomething && nowNs >= state.lastNs && nowNs - state.lastNs < idlePollIntervalNs
                && cycle % Self.secondaryPollInterval != 0 {
                return 0
            }
            while i < count {
                fragments += poll(entry: i, &handler, nowNs: nowNs, fragmentLimit: fragmentLimit)
                i += 1
            }
            idlePollState.pointee = (nowNs, fragments > 0)
            return fragments
        }
        while i < count {
            fragments += poll(entry: i, &handler, nowNs: nowNs, fragmentLimit: fragmentLimit)
            i += 1
        }
        return fragments
    }

    /// Polls subscription `entry` of ``pollTable`` and dispatches what it delivers.
    @inlinable @inline(__always)
    func poll<H: ControlMessageHandler>(entry index: Int, _ handler: inout H, nowNs: UInt64, fragmentLimit: Int) -> Int {
        let receiving = self.receiving
        let entry = pollTable[index]
        receiving.pointee.streamId = entry.streamId
        return entry.subscription._withUnsafeGuaranteedRef { subscription in
            subscription.poll(fragmentLimit: fragmentLimit) { payload, header in
                // Unfragmented messages (every message of the frame path) skip the assembler: inlined, its
                // stored vars cost a dynamic exclusivity check that the optimiser hoisted to every image poll.
                if header.flags & DataFrameHeader.unfragmentedFlags == DataFrameHeader.unfragmentedFlags {
                    receiving.pointee.sessionId = header.sessionId
                    if !self.dispatchFrameDescriptor(payload, to: &handler, nowNs: nowNs) {
                        self.dispatch(payload, to: &handler, nowNs: nowNs)
                    }
                } else {
                    self.reassemble(payload, header, entry.assembler, to: &handler, nowNs: nowNs)
                }
            }
        }
    }

    /// Feeds one fragment of a fragmented message to the subscription's assembler and dispatches the message once
    /// whole. Out of line: keeps the assembler's state accesses off the unfragmented path.
    @inlinable @inline(never)
    func reassemble<H: ControlMessageHandler>(_ payload: UnsafeRawBufferPointer, _ header: Header,
                                              _ assembler: Unmanaged<FragmentAssembler>, to handler: inout H,
                                              nowNs: UInt64) {
        let receiving = self.receiving
        assembler._withUnsafeGuaranteedRef { assembler in
            assembler.onFragment(payload, header) { message, messageHeader in
                receiving.pointee.sessionId = messageHeader.sessionId
                self.dispatch(message, to: &handler, nowNs: nowNs)
            }
        }
    }

    /// The SBE message header of a version-1 `FrameDescriptor` at its schema's block length, as one little-endian
    /// word: block length 36, template 4, schema 900, version 1.
    @usableFromInline static let frameDescriptorHeaderWord: UInt64 =
        UInt64(FrameDescriptorDecoder.blockLength) | UInt64(FrameDescriptorDecoder.templateId) << 16
        | UInt64(FrameDescriptorDecoder.schemaId) << 32 | UInt64(FrameDescriptorDecoder.schemaVersion) << 48

    /// The frame path's message, recognised by one comparison of its whole SBE header and handed to the handler
    /// directly: ``dispatch(_:to:nowNs:)`` checks the header field by field and goes through a table of every
    /// message type, about 15 ns between a descriptor's arrival and the consumer's handler (paced 64 B). Returns
    /// `false`, having done nothing, for anything else (another message, another version or block length, a short
    /// fragment), which ``dispatch(_:to:nowNs:)`` then handles.
    @inlinable @inline(__always)
    func dispatchFrameDescriptor<H: ControlMessageHandler>(_ message: UnsafeRawBufferPointer, to handler: inout H,
                                                           nowNs: UInt64) -> Bool {
        let length = MessageHeaderDecoder.encodedLength + FrameDescriptorDecoder.minimumBlockLength
        guard message.count >= length, let base = message.baseAddress,
              UInt64(littleEndian: base.loadUnaligned(as: UInt64.self)) == Self.frameDescriptorHeaderWord else { return false }
        do throws(SBEError) {
            try handler.onFrameDescriptor(
                FrameDescriptorDecoder(wrap: base, offset: MessageHeaderDecoder.encodedLength, capacity: message.count),
                nowNs: nowNs)
            counters.countReceived(templateId: FrameDescriptorDecoder.templateId)
        } catch {
            rejectUndecodable(error, templateId: FrameDescriptorDecoder.templateId, capacity: message.count, nowNs: nowNs)
        }
        return true
    }

    /// Decodes one whole message by its SBE header and calls the matching handler method; rejects (counts and
    /// logs) what cannot be decoded. Public so tests and bridges can inject raw bytes.
    @inlinable
    public func dispatch<H: ControlMessageHandler>(_ message: UnsafeRawBufferPointer, to handler: inout H, nowNs: UInt64) {
        guard message.count >= MessageHeaderDecoder.encodedLength, let base = message.baseAddress else {
            reject(.shorterThanHeader, nowNs: nowNs) { "fragment of \(message.count) bytes" }
            return
        }
        let header = MessageHeaderDecoder(unchecked: base, offset: 0, actingVersion: Int(TensorPoolSchema.version))
        let schemaId = header.schemaId
        guard schemaId == TensorPoolSchema.id else {
            reject(.wrongSchemaId, nowNs: nowNs) { "schema id \(schemaId), expected \(TensorPoolSchema.id)" }
            return
        }
        let templateId = header.templateId
        let blockLength = Int(header.blockLength)
        let version = Int(header.version)
        let offset = MessageHeaderDecoder.encodedLength
        let capacity = message.count
        typealias T = TensorPoolSchema.TemplateId
        do throws(SBEError) {
            switch templateId {
            case T.frameDescriptor:
                try handler.onFrameDescriptor(FrameDescriptorDecoder(wrap: base, offset: offset, capacity: capacity, actingBlockLength: blockLength, actingVersion: version), nowNs: nowNs)
            case T.frameProgress:
                try handler.onFrameProgress(FrameProgressDecoder(wrap: base, offset: offset, capacity: capacity, actingBlockLength: blockLength, actingVersion: version), nowNs: nowNs)
            case T.shmPoolAnnounce:
                try handler.onShmPoolAnnounce(ShmPoolAnnounceDecoder(wrap: base, offset: offset, capacity: capacity, actingBlockLength: blockLength, actingVersion: version), nowNs: nowNs)
            case T.consumerHello:
                try handler.onConsumerHello(ConsumerHelloDecoder(wrap: base, offset: offset, capacity: capacity, actingBlockLength: blockLength, actingVersion: version), nowNs: nowNs)
            case T.consumerConfig:
                try handler.onConsumerConfig(ConsumerConfigDecoder(wrap: base, offset: offset, capacity: capacity, actingBlockLength: blockLength, actingVersion: version), nowNs: nowNs)
            case T.qosConsumer:
                try handler.onQosConsumer(QosConsumerDecoder(wrap: base, offset: offset, capacity: capacity, actingBlockLength: blockLength, actingVersion: version), nowNs: nowNs)
            case T.qosProducer:
                try handler.onQosProducer(QosProducerDecoder(wrap: base, offset: offset, capacity: capacity, actingBlockLength: blockLength, actingVersion: version), nowNs: nowNs)
            case T.dataSourceAnnounce:
                try handler.onDataSourceAnnounce(DataSourceAnnounceDecoder(wrap: base, offset: offset, capacity: capacity, actingBlockLength: blockLength, actingVersion: version), nowNs: nowNs)
            case T.dataSourceMeta:
                try handler.onDataSourceMeta(DataSourceMetaDecoder(wrap: base, offset: offset, capacity: capacity, actingBlockLength: blockLength, actingVersion: version), nowNs: nowNs)
            case T.heartbeat:
                try handler.onHeartbeat(HeartbeatDecoder(wrap: base, offset: offset, capacity: capacity, actingBlockLength: blockLength, actingVersion: version), nowNs: nowNs)
            case T.controlResponse:
                try handler.onControlResponse(ControlResponseDecoder(wrap: base, offset: offset, capacity: capacity, actingBlockLength: blockLength, actingVersion: version), nowNs: nowNs)
            default:
                reject(.unknownTemplateId, nowNs: nowNs) { "template id \(templateId) (schema 900 version \(version))" }
                return
            }
            counters.countReceived(templateId: templateId)
        } catch {
            rejectUndecodable(error, templateId: templateId, capacity: capacity, nowNs: nowNs)
        }
    }

    /// Counts and logs a message whose handler threw while decoding it.
    @usableFromInline @inline(never)
    func rejectUndecodable(_ error: SBEError, templateId: UInt16, capacity: Int, nowNs: UInt64) {
        let reason: ControlMessageRejection = switch error {
        case .bufferTooShort, .blockLengthTooSmall, .invalidOffset: .truncated
        default: .malformedBody
        }
        reject(reason, nowNs: nowNs) { "template \(templateId), \(capacity) bytes: \(error)" }
    }

    /// Counts a rejected message under `reason` and logs `detail()` (at most once per second per reason).
    /// Roles call it for semantic rejections (``ControlMessageRejection/invalidContent``,
    /// ``ControlMessageRejection/unknownEnumValue``).
    @inlinable
    public func reject(_ reason: ControlMessageRejection, nowNs: UInt64, _ detail: () -> String) {
        counters.countRejected(reason)
        log.log(key: reason.rawValue, nowNs: nowNs) { "rejected message (\(reason)): \(detail())" }
    }

    /// Logs a diagnostic line under a role-defined key `0..<8` (rate limited per key, once per second).
    public func logRateLimited(key: Int, nowNs: UInt64, _ message: () -> String) {
        log.log(key: ControlMessageRejection.allCases.count + max(0, min(key, 7)), nowNs: nowNs, message)
    }

    /// Writes a line to the log sink unconditionally (lifecycle events: mapped, remapped, started).
    public func logEvent(_ message: String) {
        log.sink.write("\(roleName): \(message)")
    }

    // MARK: send

    /// Brings the lines the next descriptor send on `stream` reads and writes (the publication's state, its
    /// position-limit counter, its tail counter and, with `frameLines`, the log lines the frame goes to; descriptors
    /// are encoded in place, not in the send buffer) into this core's cache without sending anything. A producer
    /// calls it before reading the clock for an at-commit stamp: after a payload fill larger than the cache these
    /// lines are cold, and the misses would otherwise count as frame latency. `frameLines` only after such a fill:
    /// see ``AeronClient/ExclusivePublication/prefetchNextOffer(frameLines:)``.
    @inlinable
    public func warm(_ stream: ControlPlaneStream, frameLines: Bool) {
        guard let publication = unretainedPublications[stream.rawValue] else { return }
        let touched = publication._withUnsafeGuaranteedRef { publication in
            publication.prefetchNextOffer(frameLines: frameLines)
            return publication.positionLimit &+ publication.position
        }
        // Keeps the loads (their result is otherwise unused).
        withExtendedLifetime(touched) {}
    }

    /// Offers the first `length` bytes of the send buffer on `stream` and counts the outcome.
    @inlinable
    public func offerEncoded(_ stream: ControlPlaneStream, length: Int) -> PublicationResult {
        guard let publication = unretainedPublications[stream.rawValue] else {
            counters.countOtherOfferFailure()
            return .closed
        }
        let buffer = UnsafeRawBufferPointer(start: sendBuffer, count: length)
        let result = publication._withUnsafeGuaranteedRef { $0.offer(buffer) }
        count(result)
        return result
    }

    /// Claims `length` bytes on `stream`, lets `encode(frame, length)` write the message there and commits it: the
    /// fixed-length hot-path message (the frame descriptor) goes into the log without a copy through the send
    /// buffer. An encode failure aborts the claim (the subscriber skips it as padding) and counts as
    /// `.messageTooLong`; refusals are counted like ``offerEncoded(_:length:)``'s.
    @inlinable
    public func sendInPlace(on stream: ControlPlaneStream, length: Int,
                            _ encode: (UnsafeMutableRawPointer, Int) throws(SBEError) -> Void) -> PublicationResult {
        guard let publication = unretainedPublications[stream.rawValue] else {
            counters.countOtherOfferFailure()
            return .closed
        }
        var claim = BufferClaim()
        let result = publication._withUnsafeGuaranteedRef { $0.tryClaim(length: length, into: &claim) }
        guard result.position != nil, let frame = claim.payload.baseAddress else {
            count(result)
            return result
        }
        do { try encode(frame, length) } catch {
            claim.abort()
            counters.countEncodeFailure()
            return .messageTooLong
        }
        claim.commit()
        counters.countOffered()
        return result
    }

    /// Counts an offer's or claim's outcome.
    @inlinable
    func count(_ result: PublicationResult) {
        switch result {
        case .position: counters.countOffered()
        case .backPressured, .adminAction: counters.countBackPressured()
        case .notConnected: counters.countNotConnected()
        default: counters.countOtherOfferFailure()
        }
    }

    /// Encodes a message with `encode(buffer, capacity) -> length` into the send buffer and offers it on
    /// `stream`. For messages without a typed `send…` method; prefer the typed ones.
    @inlinable
    public func send(on stream: ControlPlaneStream,
                     _ encode: (UnsafeMutableRawPointer, Int) throws(SBEError) -> Int) -> PublicationResult {
        let length: Int
        do { length = try encode(sendBuffer, Self.sendBufferCapacity) } catch {
            counters.countEncodeFailure()
            return .messageTooLong
        }
        return offerEncoded(stream, length: length)
    }
}
