import Synchronization
import SharedMemory
import AeronConcurrent

/// An Aeron client connected to a media driver (the real C/Java driver or an embedded one) through its
/// `cnc.dat`.
///
/// ```swift
/// let aeron = try Aeron.connect(AeronContext(directory: "/dev/shm/aeron-me"))
/// let publication = try aeron.addPublication(channel: "aeron:ipc", streamId: 1001)
/// let subscription = try aeron.addSubscription(channel: "aeron:ipc", streamId: 1001)
/// ```
///
/// Commands come in a blocking form (`addPublication`) and an asynchronous one (`asyncAddPublication`
/// returns a registration id to pass to `publication(registrationId:)` until it answers). The conductor runs
/// on a background thread, or — with ``AeronContext/useConductorAgentInvoker`` — whenever the application
/// calls ``doWork(nowNs:)``.
public final class Aeron: @unchecked Sendable {
    /// The configuration this client was started with.
    public let context: AeronContext
    let conductor: ClientConductor
    private let conductorRunner = Mutex<ClientConductorRunner?>(nil)

    private init(context: AeronContext, conductor: ClientConductor) {
        self.context = context
        self.conductor = conductor
    }

    /// Connects to the driver in `context.aeronDirectory`, waiting up to the driver timeout for it to appear.
    ///
    /// - Throws: ``AeronError/driverTimeout(_:)`` when no live driver shows up,
    ///   ``AeronError/incompatibleDriver(_:)`` for a CnC version this client cannot speak.
    public static func connect(_ context: AeronContext = AeronContext()) throws(AeronError) -> Aeron {
        let cnc = try DriverConnection.connect(directory: context.aeronDirectory, driverTimeoutMs: context.driverTimeoutMs)
        let aeron = Aeron(context: context, conductor: try ClientConductor(context: context, cnc: cnc))
        if !context.useConductorAgentInvoker {
            let runner = ClientConductorRunner(agent: ClientConductorAgent(conductor: aeron.conductor),
                                               idleStrategy: SleepingIdleStrategy(sleepPeriodNs: 1_000_000))
            do { try runner.start() } catch {
                aeron.conductor.close()
                throw .closed("could not start the conductor thread: \(error)")
            }
            aeron.conductorRunner.withLock { $0 = runner }
        }
        return aeron
    }

    deinit { close() }

    /// This client's id (unique among the driver's clients).
    public var clientId: Int64 { conductor.clientId }
    /// The driver's control protocol version (counter 43; 65536 = 1.0.0), 0 for drivers before 1.49.
    public var controlProtocolVersion: Int64 { conductor.controlProtocolVersion }
    /// Reader over all of the driver's counters.
    public var countersReader: CountersReader { conductor.countersReader }
    /// The CnC file this client is connected through.
    public var cncFile: CncFile { conductor.cnc }
    /// Why the client closed, or nil while it is open.
    public var closeReason: AeronError? { conductor.lock.withLock { _ in conductor.closeReason } }
    /// True once closed (explicitly, or because the driver died or timed the client out).
    public var isClosed: Bool { conductor.isClosedFlag.load(ordering: .acquiring) }
    /// Malformed and unknown-type driver responses seen (each was also reported to the error handler).
    public var responseErrorCounts: (malformed: Int, unknown: Int) { conductor.responseErrorCounts }

    /// Runs one conductor duty cycle (invoker mode); returns the amount of work done.
    @discardableResult
    public func doWork(nowNs: Int64) -> Int { conductor.doWork(nowNs: nowNs) }

    /// Runs one conductor duty cycle with the current time.
    @discardableResult
    public func doWork() -> Int { conductor.doWork(nowNs: AeronClock.nanoTime()) }

    /// A fresh id from the driver's correlation counter (unique across all of its clients).
    public func nextCorrelationId() -> Int64 { conductor.proxy.nextCorrelationId() }

    // MARK: Publications

    /// Sends ADD_PUBLICATION and returns its registration id (poll with ``publication(registrationId:)``).
    public func asyncAddPublication(channel: String, streamId: Int32) throws(AeronError) -> Int64 {
        try conductor.asyncAddPublication(channel: channel, streamId: streamId, exclusive: false)
    }

    /// The publication once the driver answered, nil while pending; throws the driver's error.
    public func publication(registrationId: Int64) throws(AeronError) -> Publication? {
        guard let resource = try conductor.poll(registrationId) else { return nil }
        guard case .publication(let publication) = resource else { throw .invalidArgument("\(registrationId) is not a publication") }
        return publication
    }

    /// Adds a concurrent publication and waits for the driver.
    public func addPublication(channel: String, streamId: Int32) throws(AeronError) -> Publication {
        let id = try asyncAddPublication(channel: channel, streamId: streamId)
        guard case .publication(let publication) = try conductor.awaitOutcome(id) else { throw .invalidArgument("unexpected resource") }
        return publication
    }

    /// Sends ADD_EXCLUSIVE_PUBLICATION and returns its registration id.
    public func asyncAddExclusivePublication(channel: String, streamId: Int32) throws(AeronError) -> Int64 {
        try conductor.asyncAddPublication(channel: channel, streamId: streamId, exclusive: true)
    }

    /// The exclusive publication once the driver answered, nil while pending.
    public func exclusivePublication(registrationId: Int64) throws(AeronError) -> ExclusivePublication? {
        guard let resource = try conductor.poll(registrationId) else { return nil }
        guard case .exclusivePublication(let publication) = resource else { throw .invalidArgument("\(registrationId) is not an exclusive publication") }
        return publication
    }

    /// Adds an exclusive publication and waits for the driver.
    public func addExclusivePublication(channel: String, streamId: Int32) throws(AeronError) -> ExclusivePublication {
        let id = try asyncAddExclusivePublication(channel: channel, streamId: streamId)
        guard case .exclusivePublication(let publication) = try conductor.awaitOutcome(id) else { throw .invalidArgument("unexpected resource") }
        return publication
    }

    // MARK: Subscriptions

    /// Sends ADD_SUBSCRIPTION and returns its registration id (poll with ``subscription(registrationId:)``).
    /// The handlers run on the conductor when an image (publisher session) comes or goes.
    public func asyncAddSubscription(channel: String, streamId: Int32,
                                     availableImageHandler: (@Sendable (Image) -> Void)? = nil,
                                     unavailableImageHandler: (@Sendable (Image) -> Void)? = nil) throws(AeronError) -> Int64 {
        try conductor.asyncAddSubscription(channel: channel, streamId: streamId, available: availableImageHandler, unavailable: unavailableImageHandler)
    }

    /// The subscription once the driver answered, nil while pending.
    public func subscription(registrationId: Int64) throws(AeronError) -> Subscription? {
        guard let resource = try conductor.poll(registrationId) else { return nil }
        guard case .subscription(let subscription) = resource else { throw .invalidArgument("\(registrationId) is not a subscription") }
        return subscription
    }

    /// Adds a subscription and waits for the driver.
    public func addSubscription(channel: String, streamId: Int32,
                                availableImageHandler: (@Sendable (Image) -> Void)? = nil,
                                unavailableImageHandler: (@Sendable (Image) -> Void)? = nil) throws(AeronError) -> Subscription {
        let id = try asyncAddSubscription(channel: channel, streamId: streamId, availableImageHandler: availableImageHandler,
                                          unavailableImageHandler: unavailableImageHandler)
        guard case .subscription(let subscription) = try conductor.awaitOutcome(id) else { throw .invalidArgument("unexpected resource") }
        return subscription
    }

    // MARK: Counters

    /// Sends ADD_COUNTER and returns its registration id (poll with ``counter(registrationId:)``).
    public func asyncAddCounter(typeId: Int32, key: [UInt8] = [], label: String) throws(AeronError) -> Int64 {
        try conductor.asyncAddCounter(typeId: typeId, key: key, label: label)
    }

    /// The counter once the driver answered, nil while pending.
    public func counter(registrationId: Int64) throws(AeronError) -> Counter? {
        guard let resource = try conductor.poll(registrationId) else { return nil }
        guard case .counter(let counter) = resource else { throw .invalidArgument("\(registrationId) is not a counter") }
        return counter
    }

    /// Allocates a counter owned by this client (freed when the client closes or times out).
    public func addCounter(typeId: Int32, key: [UInt8] = [], label: String) throws(AeronError) -> Counter {
        let id = try asyncAddCounter(typeId: typeId, key: key, label: label)
        guard case .counter(let counter) = try conductor.awaitOutcome(id) else { throw .invalidArgument("unexpected resource") }
        return counter
    }

    /// Allocates (or finds) a static counter keyed by `typeId` and `registrationId`; it outlives this client.
    public func addStaticCounter(typeId: Int32, key: [UInt8] = [], label: String, registrationId: Int64) throws(AeronError) -> Counter {
        let id = try conductor.asyncAddStaticCounter(typeId: typeId, key: key, label: label, registrationId: registrationId)
        guard case .counter(let counter) = try conductor.awaitOutcome(id) else { throw .invalidArgument("unexpected resource") }
        return counter
    }

    // MARK: Session ids

    /// Asks the driver for a session id no publication on `streamId` uses (GET_NEXT_AVAILABLE_SESSION_ID), e.g. to
    /// put in a channel's `session-id` parameter; returns the command's correlation id (poll with
    /// ``nextAvailableSessionId(correlationId:)``). A driver older than control protocol 1.0.0 (``controlProtocolVersion``
    /// below 65536) does not serve the command: then, as in the C client, a random id is chosen locally.
    public func asyncNextAvailableSessionId(streamId: Int32) throws(AeronError) -> Int64 {
        try conductor.asyncNextAvailableSessionId(streamId: streamId)
    }

    /// The session id once the driver answered the command sent as `correlationId`, nil while pending.
    public func nextAvailableSessionId(correlationId: Int64) throws(AeronError) -> Int32? {
        guard let resource = try conductor.poll(correlationId) else { return nil }
        guard case .sessionId(let sessionId) = resource else { throw .invalidArgument("\(correlationId) is not a session id request") }
        return sessionId
    }

    /// A session id no publication on `streamId` uses, waiting for the driver (see
    /// ``asyncNextAvailableSessionId(streamId:)``).
    public func nextAvailableSessionId(streamId: Int32) throws(AeronError) -> Int32 {
        let id = try asyncNextAvailableSessionId(streamId: streamId)
        guard case .sessionId(let sessionId) = try conductor.awaitOutcome(id) else { throw .invalidArgument("unexpected resource") }
        return sessionId
    }

    // MARK: Image rejection

    /// Sends REJECT_IMAGE for the image with correlation id `imageCorrelationId` (``Image/correlationId``) without
    /// waiting; poll the returned correlation id with ``isOperationComplete(correlationId:)``. See
    /// ``Image/rejectImage(reason:)`` for what the driver does.
    public func asyncRejectImage(imageCorrelationId: Int64, position: Int64, reason: String) throws(AeronError) -> Int64 {
        try conductor.asyncRejectImage(imageCorrelationId: imageCorrelationId, position: position, reason: reason)
    }

    /// True once the driver confirmed the command sent as `correlationId` (an asynchronous removal, revoke or
    /// image rejection); throws the driver's error if it refused.
    public func isOperationComplete(correlationId: Int64) throws(AeronError) -> Bool {
        try conductor.poll(correlationId) != nil
    }

    // MARK: Asynchronous removal

    /// Closes `publication` locally and sends REMOVE_PUBLICATION without waiting; poll the returned correlation id
    /// with ``isRemoveComplete(correlationId:)``. Returns nil when there is nothing to wait for (already closed).
    public func asyncRemove(_ publication: Publication) throws(AeronError) -> Int64? {
        guard publication.closedFlag.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return nil }
        return try conductor.asyncReleasePublication(registrationId: publication.registrationId)
    }

    /// Asynchronous removal of an exclusive publication (as for a concurrent publication).
    public func asyncRemove(_ publication: ExclusivePublication) throws(AeronError) -> Int64? {
        guard publication.closedFlag.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return nil }
        return try conductor.asyncReleasePublication(registrationId: publication.registrationId)
    }

    /// Closes `publication` locally and revokes it without waiting (see ``Publication/revoke()``); poll the
    /// returned correlation id with ``isOperationComplete(correlationId:)``. Nil when already closed.
    public func asyncRevoke(_ publication: Publication) throws(AeronError) -> Int64? {
        guard publication.closedFlag.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return nil }
        return try conductor.asyncReleasePublication(registrationId: publication.registrationId, revoke: true)
    }

    /// Asynchronous revoke of an exclusive publication (see ``ExclusivePublication/revoke()``).
    public func asyncRevoke(_ publication: ExclusivePublication) throws(AeronError) -> Int64? {
        guard publication.closedFlag.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return nil }
        return try conductor.asyncReleasePublication(registrationId: publication.registrationId, revoke: true)
    }

    /// Asynchronous removal of a subscription: its images close at once, the driver is told without waiting.
    public func asyncRemove(_ subscription: Subscription) throws(AeronError) -> Int64? {
        guard subscription.closedFlag.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return nil }
        return try conductor.asyncReleaseSubscription(registrationId: subscription.registrationId)
    }

    /// Asynchronous removal of a client-owned counter.
    public func asyncRemove(_ counter: Counter) throws(AeronError) -> Int64? {
        guard !counter.isStatic, counter.closedFlag.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return nil }
        return try conductor.asyncReleaseCounter(registrationId: counter.registrationId)
    }

    /// True once the driver confirmed the removal sent as `correlationId`; throws the driver's error if it refused.
    public func isRemoveComplete(correlationId: Int64) throws(AeronError) -> Bool {
        try conductor.poll(correlationId) != nil
    }

    // MARK: Closing

    /// Stops the conductor thread, sends CLIENT_CLOSE so the driver releases everything this client registered,
    /// and closes every publication, subscription, image and counter. Idempotent.
    public func close() {
        let runner = conductorRunner.withLock { runner in
            defer { runner = nil }
            return runner
        }
        try? runner?.close()
        conductor.close()
    }
}
