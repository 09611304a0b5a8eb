#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Synchronization
import SharedMemory
import AeronConcurrent

/// The client's conductor: sends commands, reads the driver's responses, builds publications, subscriptions,
/// images and counters from them, writes the client heartbeat and watches the driver's. All its state is
/// guarded by one lock; user callbacks run after the lock is released, so they may call back into the client.
final class ClientConductor: @unchecked Sendable {
    enum PendingKind {
        case publication(channel: String)
        case exclusivePublication(channel: String)
        case subscription(channel: String, streamId: Int32, available: (@Sendable (Image) -> Void)?, unavailable: (@Sendable (Image) -> Void)?)
        case counter
        case staticCounter(registrationId: Int64)
        case removal(what: String)
        /// A command answered by ON_OPERATION_SUCCESS or ON_ERROR (e.g. REJECT_IMAGE).
        case operation(what: String)
        case nextSessionId(streamId: Int32)

        var what: String {
            switch self {
            case .publication(let c): "add publication \(c)"
            case .exclusivePublication(let c): "add exclusive publication \(c)"
            case .subscription(let c, _, _, _): "add subscription \(c)"
            case .counter: "add counter"
            case .staticCounter: "add static counter"
            case .removal(let w): w
            case .operation(let w): w
            case .nextSessionId(let streamId): "get next available session id for stream \(streamId)"
            }
        }
    }

    enum Resource {
        case publication(Publication)
        case exclusivePublication(ExclusivePublication)
        case subscription(Subscription)
        case counter(Counter)
        case sessionId(Int32)
        case done
    }

    enum Pending {
        case awaiting(PendingKind, deadlineNs: Int64)
        case completed(Result<Resource, AeronError>)
    }

    let context: AeronContext
    let cnc: CncFile
    let toDriver: ManyToOneRingBuffer
    let proxy: DriverProxy
    let receiver: CopyBroadcastReceiver
    let countersReader: CountersReader
    let clientId: Int64
    /// Control protocol version published by the driver (counter 43), 0 for pre-1.49 drivers.
    let controlProtocolVersion: Int64
    let driverTimeoutNs: Int64
    let interServiceTimeoutNs: Int64
    let lock = Mutex<Void>(())
    /// `pthread_self()` of the background conductor thread (0 in invoker mode).
    private let conductorThreadId = Atomic<UInt>(0)

    private var pending: [Int64: Pending] = [:]
    private var publications: [Int64: Publication] = [:]
    private var exclusivePublications: [Int64: ExclusivePublication] = [:]
    private var subscriptions: [Int64: Subscription] = [:]
    private var counters: [Int64: Counter] = [:]
    private var lingering: [(deadlineNs: Int64, resource: AnyObject)] = []
    private var deferred: [() -> Void] = []
    private var heartbeatCounterId: Int32 = CounterDescriptor.nullCounterId
    private var timeOfLastKeepaliveNs: Int64
    private var timeOfLastServiceNs: Int64
    private(set) var closeReason: AeronError?
    /// Mirrors `closeReason != nil` without the lock, for cheap checks in application loops.
    let isClosedFlag = Atomic<Bool>(false)
    private(set) var malformedResponses = 0
    private(set) var unknownResponses = 0

    init(context: AeronContext, cnc: CncFile) throws(AeronError) {
        self.context = context
        self.cnc = cnc
        do { toDriver = try ManyToOneRingBuffer(buffer: cnc.toDriverBuffer) }
        catch { throw .incompatibleDriver("to-driver buffer: \(error)") }
        do { receiver = try CopyBroadcastReceiver(buffer: cnc.toClientsBuffer) }
        catch { throw .incompatibleDriver("to-clients buffer: \(error)") }
        countersReader = CountersReader(metadataBuffer: cnc.countersMetadataBuffer, valuesBuffer: cnc.countersValuesBuffer)
        clientId = toDriver.nextCorrelationId()
        proxy = DriverProxy(ring: toDriver, clientId: clientId)
        let id = AeronSystemCounterId.controlProtocolVersion
        if countersReader.state(id) == .allocated, countersReader.typeId(id) == AeronCounterTypeId.systemCounter,
           countersReader.registrationId(id) == Int64(id) {
            controlProtocolVersion = countersReader.value(id)
        } else {
            controlProtocolVersion = 0
        }
        driverTimeoutNs = context.driverTimeoutMs * 1_000_000
        interServiceTimeoutNs = max(cnc.clientLivenessTimeoutNs, 1_000_000)
        let now = AeronClock.nanoTime()
        timeOfLastKeepaliveNs = now
        timeOfLastServiceNs = now
    }

    // MARK: Duty cycle

    /// One duty cycle: responses, keepalive and liveness, pending timeouts, lingering resources.
    func doWork(nowNs: Int64) -> Int {
        let work = lock.withLock { _ in doWorkLocked(nowNs: nowNs) }
        runDeferred()
        return work
    }

    private func doWorkLocked(nowNs: Int64) -> Int {
        guard closeReason == nil else { return 0 }
        if nowNs - timeOfLastServiceNs > interServiceTimeoutNs {
            forceClose(.conductorServiceTimeout("conductor not serviced for \((nowNs - timeOfLastServiceNs) / 1_000_000) ms > \(interServiceTimeoutNs / 1_000_000) ms"))
            return 1
        }
        timeOfLastServiceNs = nowNs
        var work = 0
        var n = 0
        repeat {
            do {
                n = try receiver.receive { typeId, buffer, length in onResponse(typeId, buffer, length, nowNs: nowNs) }
            } catch {
                report(.unableToKeepUp)
                n = 0
            }
            work += n
        } while n > 0 && work < 64 && closeReason == nil
        if closeReason != nil { return work }
        if nowNs - timeOfLastKeepaliveNs >= context.keepaliveIntervalNs {
            timeOfLastKeepaliveNs = nowNs
            work += onKeepalive()
        }
        if !pending.isEmpty { work += checkPendingTimeouts(nowNs: nowNs) }
        if !lingering.isEmpty { expireLingering(nowNs: nowNs) }
        return work
    }

    /// Drops lingering resources whose deadline passed, keeping the others in order. Indexed rather than
    /// `removeAll(where:)`: the generic algorithm allocated on every duty cycle in debug builds while anything lingered.
    private func expireLingering(nowNs: Int64) {
        let count = lingering.count
        var kept = 0
        var i = 0
        while i < count {
            if lingering[i].deadlineNs > nowNs {
                if kept != i { lingering[kept] = lingering[i] }
                kept += 1
            }
            i += 1
        }
        if kept < count { lingering.removeSubrange(kept..<count) }
    }

    private func runDeferred() {
        // Nothing deferred is the steady state: return before copying the array or making an iterator
        // (a `for … in` iterator allocates in debug builds).
        let callbacks: [() -> Void]? = lock.withLock { _ in
            if deferred.isEmpty { return nil }
            let pendingCallbacks = deferred
            deferred.removeAll()
            return pendingCallbacks
        }
        guard let callbacks else { return }
        var i = 0
        while i < callbacks.count { callbacks[i](); i += 1 }
    }

    private func onKeepalive() -> Int {
        let heartbeat = toDriver.consumerHeartbeatTime
        let nowMs = AeronClock.epochMillis()
        if heartbeat == -1 {
            forceClose(.driverTimeout("the media driver has shut down"))
            return 1
        }
        if nowMs > heartbeat + context.driverTimeoutMs {
            forceClose(.driverTimeout("MediaDriver keepalive: age=\(nowMs - heartbeat)ms > \(context.driverTimeoutMs)ms"))
            return 1
        }
        if heartbeatCounterId == CounterDescriptor.nullCounterId {
            if let id = countersReader.findClientHeartbeat(clientId: clientId) {
                heartbeatCounterId = id
                let name = context.clientName.isEmpty ? "" : " name=\(context.clientName)"
                CounterLabel.append("\(name) version=swift-aeron-client", to: id, metadataBuffer: countersReader.metadataBuffer, maxCounterId: countersReader.maxCounterId)
            } else {
                return 0
            }
        } else if !countersReader.isClientHeartbeat(heartbeatCounterId, clientId: clientId) {
            forceClose(.closed("unexpected close of heartbeat timestamp counter: \(heartbeatCounterId)"))
            return 1
        }
        countersReader.valuesBuffer.setInt64Release(nowMs, at: countersReader.valueOffset(heartbeatCounterId))
        return 1
    }

    private func checkPendingTimeouts(nowNs: Int64) -> Int {
        var work = 0
        for (id, entry) in pending {
            if case .awaiting(let kind, let deadline) = entry, nowNs > deadline {
                pending[id] = .completed(.failure(.registrationTimeout(correlationId: id, what: kind.what)))
                work += 1
            }
        }
        return work
    }

    private func report(_ error: AeronError) {
        if let handler = context.errorHandler { deferred.append { handler(error) } }
    }

    // MARK: Responses

    private func decode<M: ControlMessage>(_ type: M.Type, _ buffer: AtomicBuffer, _ length: Int) -> M? {
        do { return try M(decoding: buffer, at: 0, length: length) }
        catch {
            malformedResponses += 1
            report(.malformedResponse(error.description))
            return nil
        }
    }

    private func onResponse(_ typeId: Int32, _ buffer: AtomicBuffer, _ length: Int, nowNs: Int64) {
        switch typeId {
        case ControlResponseTypeId.onError:
            if let m = decode(ErrorResponse.self, buffer, length) { onError(m) }
        case ControlResponseTypeId.onPublicationReady, ControlResponseTypeId.onExclusivePublicationReady:
            if let m = decode(PublicationBuffersReady.self, buffer, length) { onPublicationReady(m) }
        case ControlResponseTypeId.onSubscriptionReady:
            if let m = decode(SubscriptionReady.self, buffer, length) { onSubscriptionReady(m) }
        case ControlResponseTypeId.onAvailableImage:
            if let m = decode(ImageBuffersReady.self, buffer, length) { onAvailableImage(m) }
        case ControlResponseTypeId.onUnavailableImage:
            if let m = decode(ImageMessage.self, buffer, length) { onUnavailableImage(m, nowNs: nowNs) }
        case ControlResponseTypeId.onOperationSuccess:
            if let m = decode(OperationSucceeded.self, buffer, length) { complete(m.correlationId, .done) }
        case ControlResponseTypeId.onCounterReady:
            if let m = decode(CounterUpdate.self, buffer, length) { onCounterReady(m, isStatic: false) }
        case ControlResponseTypeId.onStaticCounter:
            if let m = decode(CounterUpdate.self, buffer, length) { onCounterReady(m, isStatic: true) }
        case ControlResponseTypeId.onUnavailableCounter:
            if let m = decode(CounterUpdate.self, buffer, length) { onUnavailableCounter(m) }
        case ControlResponseTypeId.onClientTimeout:
            if let m = decode(ClientTimeout.self, buffer, length), m.clientId == clientId { forceClose(.clientTimeout(clientId: clientId)) }
        case ControlResponseTypeId.onPublicationError:
            if let m = decode(PublicationErrorFrame.self, buffer, length) { onPublicationError(m) }
        case ControlResponseTypeId.onNextAvailableSessionId:
            if let m = decode(NextAvailableSessionId.self, buffer, length) { onNextAvailableSessionId(m) }
        default:
            unknownResponses += 1
        }
    }

    private func awaitingKind(_ correlationId: Int64) -> PendingKind? {
        if case .awaiting(let kind, _)? = pending[correlationId] { return kind }
        return nil
    }

    private func complete(_ correlationId: Int64, _ resource: Resource) {
        guard awaitingKind(correlationId) != nil else { return }
        pending[correlationId] = .completed(.success(resource))
    }

    /// A receiver complained about a publication: only publications of this client are reported (every client
    /// sees every broadcast), once per message, to the dedicated handler on the conductor.
    private func onPublicationError(_ m: PublicationErrorFrame) {
        guard exclusivePublications[m.registrationId] != nil
                || publications.values.contains(where: { $0.originalRegistrationId == m.registrationId }) else { return }
        if let handler = context.publicationErrorHandler {
            let error = PublicationError(m)
            deferred.append { handler(error) }
        } else {
            report(.driver(code: AeronErrorCode(rawValue: m.errorCode), message: m.errorMessage, correlationId: m.registrationId))
        }
    }

    private func onNextAvailableSessionId(_ m: NextAvailableSessionId) {
        guard case .nextSessionId? = awaitingKind(m.correlationId) else { return }
        pending[m.correlationId] = .completed(.success(.sessionId(m.nextSessionId)))
    }

    private func onError(_ m: ErrorResponse) {
        let error = AeronError.driver(code: AeronErrorCode(rawValue: m.errorCode), message: m.errorMessage, correlationId: m.offendingCommandCorrelationId)
        if awaitingKind(m.offendingCommandCorrelationId) != nil {
            pending[m.offendingCommandCorrelationId] = .completed(.failure(error))
        } else if publications[m.offendingCommandCorrelationId] != nil || exclusivePublications[m.offendingCommandCorrelationId] != nil
                    || subscriptions[m.offendingCommandCorrelationId] != nil {
            report(error)
        }
    }

    private func mapLog(_ path: String) -> Result<LogBuffers, AeronError> {
        do { return .success(try LogBuffers(path: path)) }
        catch { return .failure(.logBuffer("\(path): \(error)")) }
    }

    private func onPublicationReady(_ m: PublicationBuffersReady) {
        guard let kind = awaitingKind(m.correlationId) else { return }
        switch kind {
        case .publication(let channel):
            switch mapLog(m.logFileName) {
            case .success(let log):
                let publication = Publication(registrationId: m.correlationId, ready: m, channel: channel, logBuffers: log,
                                              countersValues: countersReader.valuesBuffer, keepAlive: cnc, conductor: self)
                publications[m.correlationId] = publication
                pending[m.correlationId] = .completed(.success(.publication(publication)))
            case .failure(let error):
                pending[m.correlationId] = .completed(.failure(error))
            }
        case .exclusivePublication(let channel):
            switch mapLog(m.logFileName) {
            case .success(let log):
                let publication = ExclusivePublication(ready: m, channel: channel, logBuffers: log,
                                                       countersValues: countersReader.valuesBuffer, keepAlive: cnc, conductor: self)
                exclusivePublications[m.correlationId] = publication
                pending[m.correlationId] = .completed(.success(.exclusivePublication(publication)))
            case .failure(let error):
                pending[m.correlationId] = .completed(.failure(error))
            }
        default:
            malformedResponses += 1
            report(.malformedResponse("publication ready for a correlation id awaiting \(kind.what)"))
        }
    }

    private func onSubscriptionReady(_ m: SubscriptionReady) {
        guard case .subscription(let channel, let streamId, let available, let unavailable)? = awaitingKind(m.correlationId) else { return }
        let subscription = Subscription(registrationId: m.correlationId, channel: channel, streamId: streamId,
                                        channelStatusIndicatorId: m.channelStatusIndicatorId,
                                        availableImageHandler: available, unavailableImageHandler: unavailable, conductor: self)
        subscriptions[m.correlationId] = subscription
        pending[m.correlationId] = .completed(.success(.subscription(subscription)))
    }

    private func onAvailableImage(_ m: ImageBuffersReady) {
        guard let subscription = subscriptions[m.subscriptionRegistrationId], !subscription.isClosed else { return }
        let current = subscription.images
        guard !current.contains(where: { $0.correlationId == m.correlationId }) else { return }
        switch mapLog(m.logFileName) {
        case .success(let log):
            guard countersReader.isValid(m.subscriberPositionId) else {
                malformedResponses += 1
                report(.malformedResponse("image subscriber position counter id \(m.subscriberPositionId) out of range"))
                return
            }
            let image = Image(ready: m, logBuffers: log, countersValues: countersReader.valuesBuffer, keepAlive: cnc)
            image.conductor = self
            linger(subscription.replaceImages(current + [image]))
            if let handler = subscription.availableImageHandler { deferred.append { handler(image) } }
        case .failure(let error):
            report(error)
        }
    }

    private func onUnavailableImage(_ m: ImageMessage, nowNs: Int64) {
        guard let subscription = subscriptions[m.subscriptionRegistrationId] else { return }
        let current = subscription.images
        guard let image = current.first(where: { $0.correlationId == m.correlationId }) else { return }
        image.close()
        linger(subscription.replaceImages(current.filter { $0 !== image }))
        linger(image)
        if let handler = subscription.unavailableImageHandler { deferred.append { handler(image) } }
    }

    private func onCounterReady(_ m: CounterUpdate, isStatic: Bool) {
        if let kind = awaitingKind(m.correlationId), countersReader.isValid(m.counterId) {
            switch kind {
            case .counter where !isStatic:
                let counter = Counter(registrationId: m.correlationId, id: m.counterId, isStatic: false,
                                      values: countersReader.valuesBuffer, keepAlive: cnc, conductor: self)
                counters[m.correlationId] = counter
                pending[m.correlationId] = .completed(.success(.counter(counter)))
            case .staticCounter(let registrationId) where isStatic:
                let counter = Counter(registrationId: registrationId, id: m.counterId, isStatic: true,
                                      values: countersReader.valuesBuffer, keepAlive: cnc, conductor: self)
                pending[m.correlationId] = .completed(.success(.counter(counter)))
            default:
                break
            }
        }
        if !isStatic, let handler = context.availableCounterHandler {
            let registrationId = m.correlationId, counterId = m.counterId
            deferred.append { handler(registrationId, counterId) }
        }
    }

    private func onUnavailableCounter(_ m: CounterUpdate) {
        if let counter = counters.removeValue(forKey: m.correlationId) { counter.markClosed() }
        if let handler = context.unavailableCounterHandler {
            let registrationId = m.correlationId, counterId = m.counterId
            deferred.append { handler(registrationId, counterId) }
        }
    }

    private func linger(_ resource: AnyObject) {
        lingering.append((AeronClock.nanoTime() + context.resourceLingerNs, resource))
    }

    // MARK: Closing

    /// Marks everything closed after the driver died, timed us out, or the client closed.
    private func forceClose(_ reason: AeronError) {
        guard closeReason == nil else { return }
        closeReason = reason
        isClosedFlag.store(true, ordering: .releasing)
        closeAllResources(reason: reason)
        if case .closed = reason { return }
        report(reason)
    }

    private func closeAllResources(reason: AeronError) {
        for publication in publications.values { publication.markClosed() }
        for publication in exclusivePublications.values { publication.markClosed() }
        for subscription in subscriptions.values {
            subscription.markClosed()
            for image in subscription.images { image.close() }
        }
        for counter in counters.values { counter.markClosed() }
        for (id, entry) in pending {
            if case .awaiting = entry { pending[id] = .completed(.failure(reason)) }
        }
        publications.removeAll()
        exclusivePublications.removeAll()
        subscriptions.removeAll()
        counters.removeAll()
    }

    /// Sends CLIENT_CLOSE (if the driver is still there) and closes every resource.
    func close() {
        lock.withLock { _ in
            guard closeReason == nil else { return }
            try? proxy.clientClose()
            forceClose(.closed("client closed"))
        }
        runDeferred()
    }

    // MARK: Commands (called by the Aeron façade and resources)

    private func register(_ kind: PendingKind, _ send: () throws(AeronError) -> Int64) throws(AeronError) -> Int64 {
        try lock.withLock { (_) throws(AeronError) -> Int64 in
            if let reason = closeReason { throw .closed("client is closed (\(reason))") }
            let correlationId = try send()
            pending[correlationId] = .awaiting(kind, deadlineNs: AeronClock.nanoTime() + driverTimeoutNs)
            return correlationId
        }
    }

    func asyncAddPublication(channel: String, streamId: Int32, exclusive: Bool) throws(AeronError) -> Int64 {
        try register(exclusive ? .exclusivePublication(channel: channel) : .publication(channel: channel)) { () throws(AeronError) -> Int64 in
            try proxy.addPublication(channel: channel, streamId: streamId, exclusive: exclusive)
        }
    }

    func asyncAddSubscription(channel: String, streamId: Int32, available: (@Sendable (Image) -> Void)?,
                              unavailable: (@Sendable (Image) -> Void)?) throws(AeronError) -> Int64 {
        try register(.subscription(channel: channel, streamId: streamId, available: available, unavailable: unavailable)) { () throws(AeronError) -> Int64 in
            try proxy.addSubscription(channel: channel, streamId: streamId)
        }
    }

    func asyncAddCounter(typeId: Int32, key: [UInt8], label: String) throws(AeronError) -> Int64 {
        try register(.counter) { () throws(AeronError) -> Int64 in try proxy.addCounter(typeId: typeId, key: key, label: label) }
    }

    func asyncAddStaticCounter(typeId: Int32, key: [UInt8], label: String, registrationId: Int64) throws(AeronError) -> Int64 {
        try register(.staticCounter(registrationId: registrationId)) { () throws(AeronError) -> Int64 in
            try proxy.addStaticCounter(typeId: typeId, key: key, label: label, registrationId: registrationId)
        }
    }

    /// Control protocol version from which the driver serves GET_NEXT_AVAILABLE_SESSION_ID (1.0.0).
    static let sessionIdCommandProtocolVersion = Int64(SemanticVersion.compose(major: 1, minor: 0, patch: 0))

    /// Asks the driver for a session id not in use on `streamId`; a driver older than control protocol 1.0.0
    /// does not know the command, so (as the C client does) a random id is chosen locally and the outcome is
    /// ready at once.
    func asyncNextAvailableSessionId(streamId: Int32) throws(AeronError) -> Int64 {
        if controlProtocolVersion >= Self.sessionIdCommandProtocolVersion {
            return try register(.nextSessionId(streamId: streamId)) { () throws(AeronError) -> Int64 in
                try proxy.getNextAvailableSessionId(streamId: streamId)
            }
        }
        return try lock.withLock { (_) throws(AeronError) -> Int64 in
            if let reason = closeReason { throw .closed("client is closed (\(reason))") }
            let correlationId = proxy.nextCorrelationId()
            pending[correlationId] = .completed(.success(.sessionId(Int32.random(in: .min ... .max))))
            return correlationId
        }
    }

    /// Sends REJECT_IMAGE; the driver answers ON_OPERATION_SUCCESS (or ON_ERROR for an unknown image).
    func asyncRejectImage(imageCorrelationId: Int64, position: Int64, reason: String) throws(AeronError) -> Int64 {
        try register(.operation(what: "reject image \(imageCorrelationId)")) { () throws(AeronError) -> Int64 in
            try proxy.rejectImage(imageCorrelationId: imageCorrelationId, position: position, reason: reason)
        }
    }

    /// The outcome of a command if it completed (removing it), nil while still awaited.
    func poll(_ correlationId: Int64) throws(AeronError) -> Resource? {
        let result: Result<Resource, AeronError>? = lock.withLock { _ in
            switch pending[correlationId] {
            case .completed(let result)?:
                pending[correlationId] = nil
                return result
            case .awaiting?:
                return nil
            case nil:
                return .failure(.invalidArgument("unknown correlation id \(correlationId)"))
            }
        }
        guard let result else { return nil }
        return try result.get()
    }

    /// Records the calling thread as the background conductor thread.
    func markConductorThread() { conductorThreadId.store(UInt(pthread_self()), ordering: .releasing) }

    private var onConductorThread: Bool {
        let id = conductorThreadId.load(ordering: .acquiring)
        return id != 0 && id == UInt(pthread_self())
    }

    /// Waits for a command's outcome, driving the conductor itself in invoker mode or when called from a
    /// callback on the conductor thread (which would otherwise wait for itself).
    func awaitOutcome(_ correlationId: Int64) throws(AeronError) -> Resource {
        let drive = context.useConductorAgentInvoker || onConductorThread
        while true {
            if drive { _ = doWork(nowNs: AeronClock.nanoTime()) }
            if let resource = try poll(correlationId) { return resource }
            if drive { sched_yield() } else { usleep(200) }
        }
    }

    func asyncRemove(_ what: String, _ send: () throws(AeronError) -> Int64, forget: () -> Void) throws(AeronError) -> Int64? {
        try lock.withLock { (_) throws(AeronError) -> Int64? in
            forget()
            if closeReason != nil { return nil }
            let correlationId = try send()
            pending[correlationId] = .awaiting(.removal(what: what), deadlineNs: AeronClock.nanoTime() + driverTimeoutNs)
            return correlationId
        }
    }

    /// Sends REMOVE_PUBLICATION and closes the local object; returns the command's correlation id (nil when
    /// the client is already closed and there is nothing to wait for).
    /// With `revoke` the driver ends the stream at once for every subscriber (REMOVE_PUBLICATION flag bit 0).
    func asyncReleasePublication(registrationId: Int64, revoke: Bool = false) throws(AeronError) -> Int64? {
        try asyncRemove("\(revoke ? "revoke" : "remove") publication \(registrationId)", { () throws(AeronError) -> Int64 in
            try proxy.removePublication(registrationId: registrationId, revoke: revoke)
        }, forget: {
            publications[registrationId]?.markClosed()
            exclusivePublications[registrationId]?.markClosed()
            publications[registrationId] = nil
            exclusivePublications[registrationId] = nil
        })
    }

    /// Sends REMOVE_SUBSCRIPTION and closes the subscription and its images locally.
    func asyncReleaseSubscription(registrationId: Int64) throws(AeronError) -> Int64? {
        try asyncRemove("remove subscription \(registrationId)", { () throws(AeronError) -> Int64 in
            try proxy.removeSubscription(registrationId: registrationId)
        }, forget: {
            if let subscription = subscriptions.removeValue(forKey: registrationId) {
                subscription.markClosed()
                let images = subscription.images
                for image in images { image.close(); linger(image) }
                linger(subscription.replaceImages([]))
            }
        })
    }

    /// Sends REMOVE_COUNTER and closes the counter locally.
    func asyncReleaseCounter(registrationId: Int64) throws(AeronError) -> Int64? {
        try asyncRemove("remove counter \(registrationId)", { () throws(AeronError) -> Int64 in
            try proxy.removeCounter(registrationId: registrationId)
        }, forget: {
            counters.removeValue(forKey: registrationId)?.markClosed()
        })
    }

    func releasePublication(registrationId: Int64, revoke: Bool = false) throws(AeronError) {
        if let id = try asyncReleasePublication(registrationId: registrationId, revoke: revoke) { _ = try awaitOutcome(id) }
    }

    func releaseSubscription(registrationId: Int64) throws(AeronError) {
        if let id = try asyncReleaseSubscription(registrationId: registrationId) { _ = try awaitOutcome(id) }
    }

    func releaseCounter(registrationId: Int64) throws(AeronError) {
        if let id = try asyncReleaseCounter(registrationId: registrationId) { _ = try awaitOutcome(id) }
    }

    /// Closed images and replaced image lists still waiting out their linger time.
    var lingeringResourceCount: Int { lock.withLock { _ in lingering.count } }

    /// Counts of malformed and unknown driver responses seen so far.
    var responseErrorCounts: (malformed: Int, unknown: Int) { lock.withLock { _ in (malformedResponses, unknownResponses) } }

    /// Test hook: feeds one response body through the same decoding and dispatch as the broadcast buffer.
    func injectResponse(typeId: Int32, _ buffer: AtomicBuffer, length: Int) {
        lock.withLock { _ in onResponse(typeId, buffer, length, nowNs: AeronClock.nanoTime()) }
        runDeferred()
    }
}
