#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import AeronConcurrent
import SharedMemory
import Synchronization

/// The driver's single thread of control: reads client commands, owns every publication, subscription, client
/// and counter, refreshes publisher limits each duty cycle and runs the timed checks (§11).
///
/// Not thread-safe: exactly one thread calls ``doWork(nowNs:)``.
final class DriverConductor {
    let context: MediaDriverContext
    let toDriver: ManyToOneRingBuffer
    let proxy: ClientProxy
    let counters: CountersManager
    let errorLog: DistinctErrorLog
    let systemCounters: SystemCounters
    let publicationsDirectory: String
    let clientLivenessTimeoutMs: Int64
    let commandUnblockTimeoutNs: Int64

    private(set) var clients: [DriverClient] = []
    private(set) var publications: [IpcPublication] = []
    private(set) var subscriptions: [SubscriptionLink] = []
    private var staticCounterIds: [Int32] = []
    private var nextSessionId: Int32
    private var timerDeadlineNs: Int64 = 0
    private var lastCommandConsumerPosition: Int64 = 0
    private var timeOfLastCommandConsumerChangeNs: Int64 = 0
    private(set) var nowNs: Int64 = 0
    private(set) var nowMs: Int64 = 0
    /// Resource counts published for other threads (the arrays themselves belong to the driver thread).
    let publishedClientCount = Atomic<Int>(0)
    let publishedPublicationCount = Atomic<Int>(0)
    let publishedSubscriptionCount = Atomic<Int>(0)
    /// Commands read per duty cycle: responses of one command stay contiguous; a few per cycle keeps latency low.
    static let commandLimit = 10

    init(context: MediaDriverContext, toDriver: ManyToOneRingBuffer, toClients: BroadcastTransmitter,
         counters: CountersManager, errorLog: DistinctErrorLog, systemCounters: SystemCounters, nowNs: Int64, nowMs: Int64) {
        self.context = context
        self.toDriver = toDriver
        self.counters = counters
        self.errorLog = errorLog
        self.systemCounters = systemCounters
        self.publicationsDirectory = context.aeronDirectory + "/publications"
        self.clientLivenessTimeoutMs = max(1, context.clientLivenessTimeoutNs / 1_000_000)
        self.commandUnblockTimeoutNs = context.commandUnblockTimeoutNs > 0 ? context.commandUnblockTimeoutNs : context.clientLivenessTimeoutNs
        self.nextSessionId = context.initialSessionId ?? Int32.random(in: .min ... .max)
        let log = errorLog
        let sys = systemCounters
        self.proxy = ClientProxy(transmitter: toClients) { message in
            log.record(message, timestampMs: DriverClock.epochMs())
            sys.increment(SystemCounters.errors)
        }
        self.nowNs = nowNs
        self.nowMs = nowMs
        self.timerDeadlineNs = nowNs + context.timerIntervalNs
        self.timeOfLastCommandConsumerChangeNs = nowNs
    }

    // MARK: Duty cycle

    /// One duty cycle; returns the amount of work done (0 = idle). Allocation-free when no command arrives.
    func doWork(nowNs: Int64) -> Int {
        self.nowNs = nowNs
        nowMs = DriverClock.epochMs()
        var workCount = 0
        if nowNs >= timerDeadlineNs {
            timerDeadlineNs = nowNs + context.timerIntervalNs
            workCount += onTimer()
        }
        workCount += toDriver.read(limit: Self.commandLimit) { typeId, buffer, offset, length in
            onCommand(typeId: typeId, buffer: buffer, offset: offset, length: length)
        }
        if workCount > 0 { publishCounts() }
        var i = 0
        while i < publications.count {
            workCount += publications[i].updatePublisherPositionAndLimit()
            i += 1
        }
        return workCount
    }

    private func publishCounts() {
        publishedClientCount.store(clients.count, ordering: .releasing)
        publishedPublicationCount.store(publications.count, ordering: .releasing)
        publishedSubscriptionCount.store(subscriptions.count, ordering: .releasing)
    }

    private func onTimer() -> Int {
        toDriver.setConsumerHeartbeatTime(nowMs)
        checkClients()
        checkPublications()
        checkCommandBuffer()
        return 1
    }

    // MARK: Errors

    func recordError(_ text: String) {
        errorLog.record(text, timestampMs: nowMs)
        systemCounters.increment(SystemCounters.errors)
    }

    private func reject(_ correlationId: Int64, _ error: ControlError) {
        if error.code != .resourceTemporarilyUnavailable { recordError(error.description) }
        proxy.onError(correlationId: correlationId, code: error.code, message: error.description)
    }

    // MARK: Commands

    private func onCommand(typeId: Int32, buffer: AtomicBuffer, offset: Int, length: Int) {
        // Every command starts with clientId and correlationId; anything shorter is malformed.
        guard length >= 16 else {
            recordError("(-7) malformed command: type=\(typeId) length=\(length) shorter than the 16-byte header")
            return
        }
        let clientId = buffer.int64(at: offset)
        let correlationId = buffer.int64(at: offset + 8)
        do {
            switch typeId {
            case ControlCommandTypeId.addPublication, ControlCommandTypeId.addExclusivePublication:
                let m = try PublicationMessage(decoding: buffer, at: offset, length: length)
                try onAddPublication(clientId: clientId, correlationId: correlationId, streamId: m.streamId, channel: m.channel,
                                     isExclusive: typeId == ControlCommandTypeId.addExclusivePublication)
            case ControlCommandTypeId.removePublication:
                let m = try RemovePublicationMessage(decoding: buffer, at: offset, length: length)
                try onRemovePublication(clientId: clientId, correlationId: correlationId, registrationId: m.registrationId,
                                        revoke: m.flags & RemovePublicationMessage.revokeFlag != 0)
            case ControlCommandTypeId.addSubscription:
                let m = try SubscriptionMessage(decoding: buffer, at: offset, length: length)
                try onAddSubscription(clientId: clientId, correlationId: correlationId, streamId: m.streamId, channel: m.channel)
            case ControlCommandTypeId.removeSubscription:
                let m = try RemoveMessage(decoding: buffer, at: offset, length: length)
                try onRemoveSubscription(clientId: clientId, correlationId: correlationId, registrationId: m.registrationId)
            case ControlCommandTypeId.addCounter:
                let m = try CounterMessage(decoding: buffer, at: offset, length: length)
                try onAddCounter(clientId: clientId, correlationId: correlationId, typeId: m.typeId, key: m.key, label: Array(m.label.utf8))
            case ControlCommandTypeId.addStaticCounter:
                let m = try StaticCounterMessage(decoding: buffer, at: offset, length: length)
                try onAddStaticCounter(clientId: clientId, correlationId: correlationId, registrationId: m.registrationId,
                                       typeId: m.typeId, key: m.key, label: Array(m.label.utf8))
            case ControlCommandTypeId.removeCounter:
                let m = try RemoveMessage(decoding: buffer, at: offset, length: length)
                try onRemoveCounter(clientId: clientId, correlationId: correlationId, registrationId: m.registrationId)
            case ControlCommandTypeId.clientKeepalive:
                if let client = client(clientId) { counters.setValue(client.heartbeatCounterId, nowMs) }
            case ControlCommandTypeId.clientClose:
                if let client = client(clientId) {
                    client.closedByCommand = true
                    counters.setValue(client.heartbeatCounterId, 0)
                }
            case ControlCommandTypeId.getNextAvailableSessionId:
                let m = try GetNextAvailableSessionIdMessage(decoding: buffer, at: offset, length: length)
                proxy.onNextAvailableSessionId(correlationId: correlationId, sessionId: allocateSessionId(streamId: m.streamId))
            case ControlCommandTypeId.terminateDriver:
                // The C and Java drivers' default termination validator denies every request.
                recordError("(-8) terminate driver request denied: the embedded driver is closed by its host")
            case ControlCommandTypeId.addDestination, ControlCommandTypeId.removeDestination,
                 ControlCommandTypeId.addRcvDestination, ControlCommandTypeId.removeRcvDestination,
                 ControlCommandTypeId.removeDestinationById:
                throw ControlError(.notSupported,
                    "destinations are a network (MDC/MDS) feature the embedded Swift IPC media driver does not serve; "
                    + "run the Aeron C or Java media driver for network channels")
            case ControlCommandTypeId.rejectImage:
                let m = try RejectImageMessage(decoding: buffer, at: offset, length: length)
                try onRejectImage(correlationId: correlationId, imageCorrelationId: m.imageCorrelationId, reason: m.reason)
            default:
                recordError("(-6) unknown command type id: \(typeId)")
                proxy.onError(correlationId: correlationId, code: .unknownCommandTypeId, message: "(-6) unknown command type id: \(typeId)")
            }
        } catch let error as ControlError {
            reject(correlationId, error)
        } catch let error as ControlMessageError {
            recordError("(-7) malformed command: \(error)")
            proxy.onError(correlationId: correlationId, code: .malformedCommand, message: "(-7) malformed command: \(error)")
        } catch {
            reject(correlationId, ControlError(.genericError, "\(error)"))
        }
    }

    // MARK: Clients

    func client(_ clientId: Int64) -> DriverClient? {
        for client in clients where client.clientId == clientId { return client }
        return nil
    }

    /// The client's record, created with its heartbeat counter (and ON_COUNTER_READY) on its first ADD_*.
    private func getOrAddClient(_ clientId: Int64) throws(ControlError) -> DriverClient {
        if let existing = client(clientId) { return existing }
        var key = clientId
        let counterId = try allocateCounter(typeId: AeronCounterTypeId.clientHeartbeat, key: withUnsafeBytes(of: &key) { Array($0) },
                                            label: Array("client-heartbeat: id=\(clientId)".utf8))
        counters.setValue(counterId, nowMs)
        counters.setRegistrationId(counterId, clientId)
        counters.setOwnerId(counterId, clientId)
        let client = DriverClient(clientId: clientId, heartbeatCounterId: counterId)
        clients.append(client)
        proxy.onCounterReady(correlationId: clientId, counterId: counterId)
        return client
    }

    private func checkClients() {
        var i = 0
        while i < clients.count {
            let client = clients[i]
            let heartbeat = counters.reader.value(client.heartbeatCounterId)
            if client.closedByCommand || nowMs > heartbeat + clientLivenessTimeoutMs {
                clients.remove(at: i)
                onClientEndOfLife(client)
            } else {
                i += 1
            }
        }
    }

    private func onClientEndOfLife(_ client: DriverClient) {
        if !client.closedByCommand {
            systemCounters.increment(SystemCounters.clientTimeouts)
            proxy.onClientTimeout(clientId: client.clientId)
        }
        proxy.onUnavailableCounter(registrationId: client.clientId, counterId: client.heartbeatCounterId)
        for publication in client.publicationLinks { publication.decrementRefCount(nowNs: nowNs) }
        client.publicationLinks.removeAll()
        for link in client.counterLinks {
            proxy.onUnavailableCounter(registrationId: link.registrationId, counterId: link.counterId)
            freeCounter(link.counterId)
        }
        client.counterLinks.removeAll()
        var i = 0
        while i < subscriptions.count {
            if subscriptions[i].client === client {
                let subscription = subscriptions.remove(at: i)
                unlinkSubscription(subscription)
            } else {
                i += 1
            }
        }
        freeCounter(client.heartbeatCounterId)
    }

    // MARK: Counters

    func allocateCounter(typeId: Int32, key: [UInt8], label: [UInt8]) throws(ControlError) -> Int32 {
        let result = key.withUnsafeBytes { k in
            label.withUnsafeBytes { l in
                Result { () throws(CountersError) -> Int32 in try counters.allocate(typeId: typeId, key: k, label: l, nowMs: nowMs) }
            }
        }
        switch result {
        case .success(let id): return id
        case .failure(let error): throw ControlError(.genericError, "unable to allocate counter: \(error)")
        }
    }

    func freeCounter(_ id: Int32) {
        do { try counters.free(id, nowMs: nowMs) } catch { recordError("failed to free counter \(id): \(error)") }
    }

    private func onAddCounter(clientId: Int64, correlationId: Int64, typeId: Int32, key: [UInt8], label: [UInt8]) throws(ControlError) {
        let client = try getOrAddClient(clientId)
        let id = try allocateCounter(typeId: typeId, key: key, label: label)
        counters.setRegistrationId(id, correlationId)
        counters.setOwnerId(id, clientId)
        client.counterLinks.append((correlationId, id))
        proxy.onCounterReady(correlationId: correlationId, counterId: id)
    }

    private func onAddStaticCounter(clientId: Int64, correlationId: Int64, registrationId: Int64, typeId: Int32,
                                    key: [UInt8], label: [UInt8]) throws(ControlError) {
        _ = try getOrAddClient(clientId)
        if let existing = counters.reader.find(typeId: typeId, registrationId: registrationId) {
            guard staticCounterIds.contains(existing) else {
                throw ControlError(.genericError, "cannot add static counter, because a non-static counter exists (counterId=\(existing)) for typeId=\(typeId) and registrationId=\(registrationId)")
            }
            proxy.onStaticCounter(correlationId: correlationId, counterId: existing)
            return
        }
        let id = try allocateCounter(typeId: typeId, key: key, label: label)
        counters.setRegistrationId(id, registrationId)
        counters.setOwnerId(id, -1)
        staticCounterIds.append(id)
        proxy.onStaticCounter(correlationId: correlationId, counterId: id)
    }

    private func onRemoveCounter(clientId: Int64, correlationId: Int64, registrationId: Int64) throws(ControlError) {
        guard let client = client(clientId),
              let index = client.counterLinks.firstIndex(where: { $0.registrationId == registrationId }) else {
            throw ControlError(.unknownCounter, "unknown counter registrationId=\(registrationId)")
        }
        let link = client.counterLinks.remove(at: index)
        proxy.onOperationSuccess(correlationId: correlationId)
        proxy.onUnavailableCounter(registrationId: registrationId, counterId: link.counterId)
        freeCounter(link.counterId)
    }

    /// A 112-byte stream key (§10.3): registration id, session, stream, channel (truncated).
    static func streamKey(registrationId: Int64, sessionId: Int32, streamId: Int32, channel: String) -> [UInt8] {
        var key = [UInt8](repeating: 0, count: 20)
        withUnsafeBytes(of: registrationId.littleEndian) { key.replaceSubrange(0..<8, with: $0) }
        withUnsafeBytes(of: sessionId.littleEndian) { key.replaceSubrange(8..<12, with: $0) }
        withUnsafeBytes(of: streamId.littleEndian) { key.replaceSubrange(12..<16, with: $0) }
        let channelBytes = Array(channel.utf8.prefix(CounterDescriptor.maxKeyLength - 20))
        withUnsafeBytes(of: Int32(channelBytes.count).littleEndian) { key.replaceSubrange(16..<20, with: $0) }
        key.append(contentsOf: channelBytes)
        return key
    }

    // MARK: Session ids

    /// Next session id not reserved and not used by a live publication on `streamId` (§11.5).
    func allocateSessionId(streamId: Int32) -> Int32 {
        while true {
            var candidate = nextSessionId
            if candidate >= context.reservedSessionIdLow && candidate <= context.reservedSessionIdHigh {
                candidate = context.reservedSessionIdHigh &+ 1
            }
            nextSessionId = candidate &+ 1
            if !publications.contains(where: { $0.streamId == streamId && $0.sessionId == candidate && $0.state != .linger }) {
                return candidate
            }
        }
    }

    // MARK: Publications

    private func onAddPublication(clientId: Int64, correlationId: Int64, streamId: Int32, channel channelUri: String,
                                  isExclusive: Bool) throws(ControlError) {
        let channel = try IpcChannel.parse(channelUri)
        let responseCorrelationId = channel.responseCorrelationId ?? -1
        if !isExclusive, let shared = publications.first(where: {
            $0.streamId == streamId && $0.state == .active && !$0.isExclusive && $0.responseCorrelationId == responseCorrelationId
                && !$0.isRevoked
        }) {
            try checkMatchesShared(channel, shared)
            let client = try getOrAddClient(clientId)
            shared.refCount += 1
            client.publicationLinks.append(shared)
            proxy.onPublicationReady(correlationId: correlationId, registrationId: shared.registrationId, sessionId: shared.sessionId,
                                     streamId: streamId, publicationLimitCounterId: shared.pubLmtCounterId,
                                     logFileName: shared.logFileName, isExclusive: false)
            linkSubscriptions(to: shared)
            return
        }
        let publication = try createPublication(clientId: clientId, registrationId: correlationId, streamId: streamId,
                                                channel: channel, isExclusive: isExclusive)
        let client: DriverClient
        do { client = try getOrAddClient(clientId) } catch {
            destroyPublication(publication)
            throw error
        }
        publications.append(publication)
        publication.refCount = 1
        client.publicationLinks.append(publication)
        pairResponseSubscription(with: publication)
        proxy.onPublicationReady(correlationId: correlationId, registrationId: correlationId, sessionId: publication.sessionId,
                                 streamId: streamId, publicationLimitCounterId: publication.pubLmtCounterId,
                                 logFileName: publication.logFileName, isExclusive: isExclusive)
        linkSubscriptions(to: publication)
    }

    /// IPC response channels, as the C driver pairs them: a new publication whose `response-correlation-id` names
    /// an existing (request) publication answers it; the request publication's own `response-correlation-id`
    /// names the client's `control-mode=response` subscription, which from now on matches exactly the new
    /// publication's session (and is linked to it with the other matching subscriptions).
    private func pairResponseSubscription(with publication: IpcPublication) {
        guard publication.responseCorrelationId != -1,
              let request = publications.first(where: { $0.registrationId == publication.responseCorrelationId }),
              let subscription = subscriptions.first(where: { $0.registrationId == request.responseCorrelationId }) else { return }
        subscription.sessionId = publication.sessionId
    }

    private func checkMatchesShared(_ channel: IpcChannel, _ shared: IpcPublication) throws(ControlError) {
        func mismatch(_ what: String, _ requested: some Any, _ existing: some Any) -> ControlError {
            ControlError(.genericError, "existing publication has different '\(what)': existing=\(existing) requested=\(requested) (registrationId=\(shared.registrationId))")
        }
        if let termLength = channel.termLength, termLength != shared.termLength { throw mismatch("term-length", termLength, shared.termLength) }
        if let mtu = channel.mtu, mtu != shared.mtu { throw mismatch("mtu", mtu, shared.mtu) }
        if let sessionId = channel.sessionId, sessionId != shared.sessionId { throw mismatch("session-id", sessionId, shared.sessionId) }
        if let initialTermId = channel.initialTermId, initialTermId != shared.initialTermId {
            throw mismatch("init-term-id", initialTermId, shared.initialTermId)
        }
        if channel.termId != nil || channel.termOffset != nil {
            let bits = shared.positionBitsToShift
            let requested = LogBufferDescriptor.computePosition(
                termId: channel.termId ?? shared.initialTermId, termOffset: channel.termOffset ?? 0,
                positionBitsToShift: bits, initialTermId: channel.initialTermId ?? shared.initialTermId)
            if requested != shared.startPosition { throw mismatch("term-id/term-offset", requested, shared.startPosition) }
        }
    }

    private func createPublication(clientId: Int64, registrationId: Int64, streamId: Int32, channel: IpcChannel,
                                   isExclusive: Bool) throws(ControlError) -> IpcPublication {
        let termLength = channel.termLength ?? context.ipcTermLength
        do { try LogBufferDescriptor.checkTermLength(termLength) } catch {
            throw ControlError(.genericError, "(22) Invalid argument: term length must be a power of 2 in [64 KiB, 1 GiB]: length=\(termLength)")
        }
        let mtu = channel.mtu ?? context.ipcMtu
        guard mtu > DataFrameHeader.length, mtu <= 65504, mtu % DataFrameHeader.frameAlignment == 0 else {
            throw ControlError(.genericError, "(22) Invalid argument: mtu must be > 32, <= 65504 and a multiple of 32: mtu=\(mtu)")
        }
        let defaultWindow = context.ipcPublicationWindow > 0 ? min(context.ipcPublicationWindow, termLength / 2) : termLength / 2
        let window = channel.publicationWindow ?? defaultWindow
        guard window >= mtu, window <= termLength / 2 else {
            throw ControlError(.genericError, "(22) Invalid argument: pub-wnd must be >= mtu and <= term-length/2: pub-wnd=\(window)")
        }
        let sessionId: Int32
        if let requested = channel.sessionId {
            if publications.contains(where: { $0.streamId == streamId && $0.sessionId == requested && $0.state != .linger }) {
                throw ControlError(.invalidChannel, "existing publication has clashing session-id=\(requested) on streamId=\(streamId)")
            }
            sessionId = requested
        } else {
            sessionId = allocateSessionId(streamId: streamId)
        }
        let positional = [channel.initialTermId != nil, channel.termId != nil, channel.termOffset != nil]
        var initialTermId = Int32.random(in: .min ... .max)
        var startTermId = initialTermId
        var startTermOffset = 0
        if positional.contains(true) {
            guard let i = channel.initialTermId, let t = channel.termId, let o = channel.termOffset else {
                throw ControlError(.genericError, "(22) Invalid argument: init-term-id, term-id and term-offset must be given together")
            }
            guard o <= termLength, o % DataFrameHeader.frameAlignment == 0 else {
                throw ControlError(.genericError, "(22) Invalid argument: term-offset must be a multiple of 32 and <= term-length: \(o)")
            }
            guard t &- i >= 0 else {
                throw ControlError(.genericError, "(22) Invalid argument: term-id must be >= init-term-id: term-id=\(t) init-term-id=\(i)")
            }
            initialTermId = i; startTermId = t; startTermOffset = o
        }

        let channelUri = channel.uri
        let key = Self.streamKey(registrationId: registrationId, sessionId: sessionId, streamId: streamId, channel: channelUri)
        let suffix = "\(registrationId) \(sessionId) \(streamId) \(channelUri)"
        let pubPosId = try allocateCounter(typeId: AeronCounterTypeId.publisherPosition, key: key,
                                           label: Array("pub-pos (\(isExclusive ? "exclusive" : "concurrent")): \(suffix)".utf8))
        let pubLmtId: Int32
        do {
            pubLmtId = try allocateCounter(typeId: AeronCounterTypeId.publisherLimit, key: key, label: Array("pub-lmt: \(suffix)".utf8))
        } catch {
            freeCounter(pubPosId)
            throw error
        }
        for id in [pubPosId, pubLmtId] {
            counters.setRegistrationId(id, registrationId)
            counters.setOwnerId(id, clientId)
        }
        let path = "\(publicationsDirectory)/\(registrationId).logbuffer"
        let logBuffers: LogBuffers
        do {
            logBuffers = try LogFileCreator.create(path: path, termLength: termLength, filePageSize: context.cncLayout.filePageSize,
                                                   sparse: channel.sparse ?? context.termBufferSparse)
        } catch {
            freeCounter(pubPosId)
            freeCounter(pubLmtId)
            let code: ControlErrorCode = (error as? SystemError)?.errno == ENOSPC ? .storageSpace : .genericError
            throw ControlError(code, "unable to create log buffer \(path): \(error)")
        }
        systemCounters.add(SystemCounters.bytesCurrentlyMapped, Int64(logBuffers.mappedFile.length))
        let parameters = IpcPublication.Parameters(
            registrationId: registrationId, sessionId: sessionId, streamId: streamId, channel: channelUri, isExclusive: isExclusive,
            termLength: termLength, mtu: mtu, termWindowLength: window, initialTermId: initialTermId, startTermId: startTermId,
            startTermOffset: startTermOffset, responseCorrelationId: channel.responseCorrelationId ?? -1,
            entityTag: channel.entityTag ?? -1, lingerNs: channel.lingerNs ?? context.publicationLingerTimeoutNs,
            sparse: channel.sparse ?? context.termBufferSparse, signalEndOfStream: channel.signalEndOfStream ?? true,
            untetheredWindowLimitTimeoutNs: channel.untetheredWindowLimitTimeoutNs ?? context.untetheredWindowLimitTimeoutNs,
            untetheredLingerTimeoutNs: channel.untetheredLingerTimeoutNs ?? channel.untetheredWindowLimitTimeoutNs ?? context.untetheredLingerTimeoutNs,
            untetheredRestingTimeoutNs: channel.untetheredRestingTimeoutNs ?? context.untetheredRestingTimeoutNs,
            unblockTimeoutNs: context.publicationUnblockTimeoutNs)
        return IpcPublication(parameters, logBuffers: logBuffers, logFileName: path, pubPosCounterId: pubPosId,
                              pubLmtCounterId: pubLmtId, values: counters.reader.valuesBuffer, nowNs: nowNs)
    }

    private func onRemovePublication(clientId: Int64, correlationId: Int64, registrationId: Int64, revoke: Bool) throws(ControlError) {
        guard let client = client(clientId),
              let index = client.publicationLinks.firstIndex(where: { $0.registrationId == registrationId }) else {
            throw ControlError(.unknownPublication, "unknown publication client=\(clientId) registrationId=\(registrationId)")
        }
        let publication = client.publicationLinks.remove(at: index)
        if revoke { publication.revoke() }
        publication.decrementRefCount(nowNs: nowNs)
        proxy.onOperationSuccess(correlationId: correlationId)
    }

    private func checkPublications() {
        var i = 0
        while i < publications.count {
            let publication = publications[i]
            if onTimeEvent(publication) {
                publications.remove(at: i)
                destroyPublication(publication)
            } else {
                i += 1
            }
        }
    }

    /// Timed state machine of one publication (§11.3); true at end of life.
    private func onTimeEvent(_ publication: IpcPublication) -> Bool {
        switch publication.state {
        case .active:
            let producer = publication.producerPosition
            if publication.isRevoked {
                publication.setCounter(publication.pubLmtCounterId, producer)
                LogBufferDescriptor.setEndOfStreamPosition(publication.metadataBuffer, producer)
                LogBufferDescriptor.setIsConnected(publication.metadataBuffer, false)
                publication.state = .linger
                systemCounters.increment(SystemCounters.publicationsRevoked)
                sendUnavailableImages(publication)
                return false
            }
            checkUntetheredSubscribers(publication)
            LogBufferDescriptor.setIsConnected(publication.metadataBuffer, publication.hasWorkingSubscribers)
            publication.setCounter(publication.pubPosCounterId, producer)
            if !publication.isExclusive, publication.checkForBlockedPublisher(producer: producer, nowNs: nowNs) {
                systemCounters.increment(SystemCounters.unblockedPublications)
            }
            if publication.inCoolDown && publication.coolDownExpiryNs < nowNs {
                publication.inCoolDown = false
                publication.coolDownExpiryNs = 0
                linkSubscriptions(to: publication)
            }
        case .draining:
            publication.setCounter(publication.pubPosCounterId, publication.producerPosition)
            if publication.isDrained {
                publication.state = .linger
                sendUnavailableImages(publication)
            } else if LogBufferUnblocker.unblock(publication.logBuffers, blockedPosition: publication.consumerPosition) {
                systemCounters.increment(SystemCounters.unblockedPublications)
            }
        case .linger:
            return publication.refCount <= 0
        }
        return false
    }

    private func sendUnavailableImages(_ publication: IpcPublication) {
        for position in publication.subscriberPositions where position.state == .active {
            let subscription = position.subscription
            proxy.onUnavailableImage(correlationId: publication.registrationId, subscriptionRegistrationId: subscription.registrationId,
                                     streamId: publication.streamId, channel: subscription.channel)
        }
    }

    /// Frees counters, unmaps and deletes the log of a publication nobody uses any more.
    private func destroyPublication(_ publication: IpcPublication) {
        for position in publication.subscriberPositions { freeCounter(position.counterId) }
        publication.subscriberPositions.removeAll()
        freeCounter(publication.pubLmtCounterId)
        freeCounter(publication.pubPosCounterId)
        systemCounters.add(SystemCounters.bytesCurrentlyMapped, -Int64(publication.logBuffers.mappedFile.length))
        if unlink(publication.logFileName) != 0 && errno != ENOENT {
            recordError("failed to delete log buffer \(publication.logFileName): errno \(errno)")
        }
    }

    /// Untethered subscribers that fall behind the window are dropped, rest, and rejoin (§11.4).
    private func checkUntetheredSubscribers(_ publication: IpcPublication) {
        let window = publication.termWindowLength
        let windowLimit = publication.consumerPosition - window + window / 4
        var i = 0
        while i < publication.subscriberPositions.count {
            let position = publication.subscriberPositions[i]
            let subscription = position.subscription
            i += 1
            guard !subscription.isTether else { continue }
            switch position.state {
            case .active:
                if publication.counterValue(position.counterId) > windowLimit {
                    position.timeOfLastUpdateNs = nowNs
                } else if nowNs > position.timeOfLastUpdateNs + publication.untetheredWindowLimitTimeoutNs {
                    proxy.onUnavailableImage(correlationId: publication.registrationId, subscriptionRegistrationId: subscription.registrationId,
                                             streamId: publication.streamId, channel: subscription.channel)
                    position.state = .linger
                    position.timeOfLastUpdateNs = nowNs
                }
            case .linger:
                if nowNs > position.timeOfLastUpdateNs + publication.untetheredLingerTimeoutNs {
                    if subscription.isRejoin {
                        position.state = .resting
                        position.timeOfLastUpdateNs = nowNs
                    } else {
                        i -= 1
                        publication.subscriberPositions.remove(at: i)
                        freeCounter(position.counterId)
                    }
                }
            case .resting:
                if nowNs > position.timeOfLastUpdateNs + publication.untetheredRestingTimeoutNs {
                    publication.setCounter(position.counterId, publication.joinPosition)
                    proxy.onAvailableImage(correlationId: publication.registrationId, sessionId: publication.sessionId,
                                           streamId: publication.streamId, subscriptionRegistrationId: subscription.registrationId,
                                           subscriberPositionId: position.counterId, logFileName: publication.logFileName,
                                           sourceIdentity: "aeron:ipc")
                    position.state = .active
                    position.timeOfLastUpdateNs = nowNs
                }
            }
        }
    }

    // MARK: Image rejection

    /// Longest reject reason the C driver accepts (`AERON_ERROR_MAX_TEXT_LENGTH`).
    static let maxRejectReasonLength = 1023

    /// REJECT_IMAGE on an IPC image (its correlation id is the publication's registration id), as the C driver
    /// does it (§11.4): the publishers hear ON_PUBLICATION_ERROR(IMAGE_REJECTED, reason); every subscriber is
    /// unlinked (ON_UNAVAILABLE_IMAGE, sub-pos freed, is-connected 0); the publication refuses subscribers for the
    /// image liveness timeout, after which the timer links them again with fresh images. A second rejection during
    /// the cool-down only extends it.
    private func onRejectImage(correlationId: Int64, imageCorrelationId: Int64, reason: String) throws(ControlError) {
        guard reason.utf8.count <= Self.maxRejectReasonLength else {
            throw ControlError(.genericError, "Invalidation reason_text must be \(Self.maxRejectReasonLength) bytes or less")
        }
        guard let publication = publications.first(where: { $0.registrationId == imageCorrelationId }) else {
            throw ControlError(.genericError, "Unable to resolve image for correlationId=\(imageCorrelationId)")
        }
        // The C driver fills an IPv4 loopback source with port 0, writing INADDR_LOOPBACK without byte-order
        // conversion: the address bytes on the wire are 01 00 00 7f. Sent the same so clients see what C sends.
        let frame = PublicationErrorFrame(
            registrationId: publication.registrationId, destinationRegistrationId: -1, sessionId: publication.sessionId,
            streamId: publication.streamId, receiverId: -1, groupTag: -1, addressType: 1, sourcePort: 0,
            sourceAddress: [1, 0, 0, 0x7F], errorCode: ControlErrorCode.imageRejected.rawValue, errorMessage: reason)
        recordError("onPublicationError: registrationId=\(frame.registrationId), destinationRegistrationId=-1, "
                    + "sessionId=\(frame.sessionId), streamId=\(frame.streamId), receiverId=-1, groupId=-1, "
                    + "errorCode=\(frame.errorCode), errorMessage=\(reason)")
        proxy.onPublicationError(frame)
        if !publication.inCoolDown {
            LogBufferDescriptor.setIsConnected(publication.metadataBuffer, false)
            for position in publication.subscriberPositions {
                proxy.onUnavailableImage(correlationId: publication.registrationId, subscriptionRegistrationId: position.subscription.registrationId,
                                         streamId: position.subscription.streamId, channel: position.subscription.channel)
                freeCounter(position.counterId)
            }
            publication.subscriberPositions.removeAll()
            publication.inCoolDown = true
        }
        publication.coolDownExpiryNs = nowNs + context.imageLivenessTimeoutNs
        systemCounters.increment(SystemCounters.imagesRejected)
        proxy.onOperationSuccess(correlationId: correlationId)
    }

    // MARK: Subscriptions

    private func onAddSubscription(clientId: Int64, correlationId: Int64, streamId: Int32, channel channelUri: String) throws(ControlError) {
        let channel = try IpcChannel.parse(channelUri)
        let client = try getOrAddClient(clientId)
        let subscription = SubscriptionLink(registrationId: correlationId, streamId: streamId, channel: channel, client: client)
        subscriptions.append(subscription)
        proxy.onSubscriptionReady(correlationId: correlationId)
        for publication in publications where publication.acceptsSubscribers && subscription.matches(publication) {
            link(subscription, publication)
        }
    }

    private func linkSubscriptions(to publication: IpcPublication) {
        for subscription in subscriptions
        where publication.acceptsSubscribers && subscription.matches(publication) && !publication.isLinked(subscription) {
            link(subscription, publication)
        }
    }

    /// Allocates the subscriber's position at the join position, then tells the subscriber (§11.3 step 8).
    private func link(_ subscription: SubscriptionLink, _ publication: IpcPublication) {
        let joinPosition = publication.joinPosition
        let key = Self.streamKey(registrationId: subscription.registrationId, sessionId: publication.sessionId,
                                 streamId: publication.streamId, channel: subscription.channel)
        let label = "sub-pos: \(subscription.registrationId) \(publication.sessionId) \(publication.streamId) \(subscription.channel) @\(joinPosition)"
        let counterId: Int32
        do {
            counterId = try allocateCounter(typeId: AeronCounterTypeId.subscriberPosition, key: key, label: Array(label.utf8))
        } catch {
            reject(subscription.registrationId, error)
            return
        }
        counters.setValue(counterId, joinPosition)
        counters.setRegistrationId(counterId, subscription.registrationId)
        counters.setOwnerId(counterId, subscription.client.clientId)
        counters.setReferenceId(counterId, publication.registrationId)
        publication.addSubscriber(SubscriberPosition(subscription: subscription, counterId: counterId, nowNs: nowNs))
        proxy.onAvailableImage(correlationId: publication.registrationId, sessionId: publication.sessionId, streamId: publication.streamId,
                               subscriptionRegistrationId: subscription.registrationId, subscriberPositionId: counterId,
                               logFileName: publication.logFileName, sourceIdentity: "aeron:ipc")
    }

    private func onRemoveSubscription(clientId: Int64, correlationId: Int64, registrationId: Int64) throws(ControlError) {
        guard let index = subscriptions.firstIndex(where: { $0.registrationId == registrationId && $0.client.clientId == clientId }) else {
            throw ControlError(.unknownSubscription, "unknown subscription client=\(clientId) registrationId=\(registrationId)")
        }
        let subscription = subscriptions.remove(at: index)
        unlinkSubscription(subscription)
        proxy.onOperationSuccess(correlationId: correlationId)
    }

    private func unlinkSubscription(_ subscription: SubscriptionLink) {
        for publication in publications {
            if let counterId = publication.removeSubscriber(subscription) { freeCounter(counterId) }
        }
    }

    // MARK: To-driver ring buffer

    /// A client that died between claiming and committing a command would block every other client: after the
    /// timeout the record is turned into padding (§3.4).
    private func checkCommandBuffer() {
        let consumer = toDriver.consumerPosition
        if consumer == lastCommandConsumerPosition {
            if toDriver.producerPosition > consumer && nowNs > timeOfLastCommandConsumerChangeNs + commandUnblockTimeoutNs {
                if toDriver.unblock() {
                    systemCounters.increment(SystemCounters.unblockedCommands)
                    timeOfLastCommandConsumerChangeNs = nowNs
                }
            }
        } else {
            lastCommandConsumerPosition = consumer
            timeOfLastCommandConsumerChangeNs = nowNs
        }
    }

    // MARK: Shutdown

    /// Releases every log mapping (files are left for deletion with the directory).
    func close() {
        for publication in publications {
            LogBufferDescriptor.setIsConnected(publication.metadataBuffer, false)
        }
        publications.removeAll()
        subscriptions.removeAll()
        clients.removeAll()
        publishCounts()
    }
}
