import AeronConcurrent
import SharedMemory

/// The driver's side of one IPC log: limits the publishers to the slowest subscriber plus the term window, cleans
/// terms ahead of them, tracks subscribers and ends the stream when the last publisher leaves.
final class IpcPublication {
    enum State { case active, draining, linger }

    let registrationId: Int64
    let sessionId: Int32
    let streamId: Int32
    let channel: String
    let isExclusive: Bool
    let logBuffers: LogBuffers
    let logFileName: String
    let termLength: Int
    let mtu: Int
    let positionBitsToShift: Int
    let initialTermId: Int32
    let termWindowLength: Int64
    let tripGain: Int64
    let responseCorrelationId: Int64
    /// The channel fixed the session id (a later shared add must then ask for the same one).
    let startPosition: Int64
    let pubPosCounterId: Int32
    let pubLmtCounterId: Int32
    let unblockTimeoutNs: Int64
    let untetheredWindowLimitTimeoutNs: Int64
    let untetheredLingerTimeoutNs: Int64
    let untetheredRestingTimeoutNs: Int64
    private let values: AtomicBuffer
    private let metadata: AtomicBuffer

    var state = State.active
    var refCount = 0
    var consumerPosition: Int64
    var cleanPosition: Int64
    var tripLimit: Int64 = 0
    var lastConsumerPosition: Int64
    var timeOfLastConsumerPositionChangeNs: Int64
    var subscriberPositions: [SubscriberPosition] = []
    /// A subscriber rejected the image: no subscribers until ``coolDownExpiryNs`` (then they are linked again).
    var inCoolDown = false
    var coolDownExpiryNs: Int64 = 0

    struct Parameters {
        var registrationId: Int64
        var sessionId: Int32
        var streamId: Int32
        var channel: String
        var isExclusive: Bool
        var termLength: Int
        var mtu: Int
        var termWindowLength: Int
        var initialTermId: Int32
        var startTermId: Int32
        var startTermOffset: Int
        var responseCorrelationId: Int64
        var entityTag: Int64
        var lingerNs: Int64
        var sparse: Bool
        var signalEndOfStream: Bool
        var untetheredWindowLimitTimeoutNs: Int64
        var untetheredLingerTimeoutNs: Int64
        var untetheredRestingTimeoutNs: Int64
        var unblockTimeoutNs: Int64
    }

    init(_ p: Parameters, logBuffers: LogBuffers, logFileName: String, pubPosCounterId: Int32, pubLmtCounterId: Int32,
         values: AtomicBuffer, nowNs: Int64) {
        registrationId = p.registrationId
        sessionId = p.sessionId
        streamId = p.streamId
        channel = p.channel
        isExclusive = p.isExclusive
        self.logBuffers = logBuffers
        self.logFileName = logFileName
        termLength = p.termLength
        mtu = p.mtu
        positionBitsToShift = LogBufferDescriptor.positionBitsToShift(termLength: p.termLength)
        initialTermId = p.initialTermId
        termWindowLength = Int64(p.termWindowLength)
        tripGain = Int64(p.termWindowLength / 8)
        responseCorrelationId = p.responseCorrelationId
        self.pubPosCounterId = pubPosCounterId
        self.pubLmtCounterId = pubLmtCounterId
        unblockTimeoutNs = p.unblockTimeoutNs
        untetheredWindowLimitTimeoutNs = p.untetheredWindowLimitTimeoutNs
        untetheredLingerTimeoutNs = p.untetheredLingerTimeoutNs
        untetheredRestingTimeoutNs = p.untetheredRestingTimeoutNs
        self.values = values
        metadata = logBuffers.metadata
        startPosition = LogBufferDescriptor.computePosition(
            termId: p.startTermId, termOffset: p.startTermOffset, positionBitsToShift: positionBitsToShift, initialTermId: p.initialTermId)
        consumerPosition = startPosition
        cleanPosition = startPosition
        lastConsumerPosition = startPosition
        timeOfLastConsumerPositionChangeNs = nowNs
        initialiseMetadata(p)
        setCounter(pubPosCounterId, startPosition)
        setCounter(pubLmtCounterId, startPosition)
    }

    /// Writes the log metadata as the C driver does for an IPC publication (§6.2); EOS position last, as the
    /// barrier for everything before it.
    private func initialiseMetadata(_ p: Parameters) {
        let m = metadata
        let termCount = p.startTermId &- p.initialTermId
        let activeIndex = LogBufferDescriptor.indexByTermCount(Int64(termCount))
        for i in 0..<LogBufferDescriptor.partitionCount {
            let termId: Int32
            if i == activeIndex {
                termId = p.startTermId
                m.setInt64(LogBufferDescriptor.packTail(termId: termId, termOffset: Int32(p.startTermOffset)), at: LogBufferDescriptor.tailCounterOffset(i))
                continue
            }
            // Partitions after the active one hold the term ids three terms back so rotation CASes succeed.
            let distance = (i - activeIndex + 3) % 3
            termId = p.startTermId &+ Int32(distance) &- 3
            LogBufferDescriptor.initialiseTailWithTermId(m, index: i, termId: termId)
        }
        m.setInt32(termCount, at: LogBufferDescriptor.activeTermCountOffset)
        m.setInt64(p.registrationId, at: LogBufferDescriptor.correlationIdOffset)
        m.setInt32(p.initialTermId, at: LogBufferDescriptor.initialTermIdOffset)
        m.setInt32(Int32(p.mtu), at: LogBufferDescriptor.mtuLengthOffset)
        m.setInt32(Int32(p.termLength), at: LogBufferDescriptor.termLengthOffset)
        m.setInt32(Int32(p.termWindowLength), at: LogBufferDescriptor.publicationWindowLengthOffset)
        LogBufferDescriptor.storeDefaultFrameHeader(m, sessionId: p.sessionId, streamId: p.streamId, initialTermId: p.initialTermId)
        m.setInt64(p.entityTag, at: LogBufferDescriptor.entityTagOffset)
        m.setInt64(p.responseCorrelationId, at: LogBufferDescriptor.responseCorrelationIdOffset)
        m.setInt64(p.lingerNs, at: LogBufferDescriptor.lingerTimeoutOffset)
        m.setInt64(p.untetheredWindowLimitTimeoutNs, at: LogBufferDescriptor.untetheredWindowLimitTimeoutOffset)
        m.setInt64(p.untetheredRestingTimeoutNs, at: LogBufferDescriptor.untetheredRestingTimeoutOffset)
        m.setInt64(p.untetheredLingerTimeoutNs, at: LogBufferDescriptor.untetheredLingerTimeoutOffset)
        m.setUInt8(p.sparse ? 1 : 0, at: LogBufferDescriptor.sparseOffset)
        m.setUInt8(p.signalEndOfStream ? 1 : 0, at: LogBufferDescriptor.signalEosOffset)
        m.setUInt8(p.isExclusive ? 1 : 0, at: LogBufferDescriptor.publicationTypeOffset)
        LogBufferDescriptor.setIsConnected(m, false)
        LogBufferDescriptor.setEndOfStreamPosition(m, .max)
    }

    // MARK: Positions

    @inline(__always) func counterValue(_ id: Int32) -> Int64 { values.int64Acquire(at: Int(id) * CounterDescriptor.counterLength) }
    @inline(__always) func setCounter(_ id: Int32, _ value: Int64) { values.setInt64Release(value, at: Int(id) * CounterDescriptor.counterLength) }

    /// Position of the active partition's tail.
    var producerPosition: Int64 {
        let termCount = LogBufferDescriptor.activeTermCount(metadata)
        let rawTail = LogBufferDescriptor.rawTailVolatile(metadata, LogBufferDescriptor.indexByTermCount(Int64(termCount)))
        return LogBufferDescriptor.computePosition(
            termId: LogBufferDescriptor.termId(rawTail: rawTail),
            termOffset: LogBufferDescriptor.termOffset(rawTail: rawTail, termLength: termLength),
            positionBitsToShift: positionBitsToShift, initialTermId: initialTermId)
    }

    var publisherLimit: Int64 { counterValue(pubLmtCounterId) }

    /// Whether new subscribers may join (active, or draining with data still to read).
    var acceptsSubscribers: Bool {
        if inCoolDown { return false }
        switch state {
        case .active: return true
        case .draining: return !isDrained
        case .linger: return false
        }
    }

    // Hot-path loops index the arrays: `for … in` over an array allocates an iterator box in unoptimised builds.

    var hasWorkingSubscribers: Bool {
        var i = 0
        while i < subscriberPositions.count {
            if subscriberPositions[i].isWorking { return true }
            i += 1
        }
        return false
    }

    /// Every working subscriber has read everything written.
    var isDrained: Bool {
        let producer = producerPosition
        var i = 0
        while i < subscriberPositions.count {
            let position = subscriberPositions[i]
            if position.isWorking && counterValue(position.counterId) < producer { return false }
            i += 1
        }
        return true
    }

    /// Where a new subscriber starts: the slowest working subscriber, or the consumer position.
    var joinPosition: Int64 {
        var position = consumerPosition
        var i = 0
        while i < subscriberPositions.count {
            let s = subscriberPositions[i]
            if s.isWorking {
                let p = counterValue(s.counterId)
                if p < position { position = p }
            }
            i += 1
        }
        return position
    }

    /// Every duty cycle: publish pub-pos and move pub-lmt from the subscribers (§8.3). Allocation-free.
    func updatePublisherPositionAndLimit() -> Int {
        guard state == .active else { return 0 }
        var workCount = 0
        let producer = producerPosition
        setCounter(pubPosCounterId, producer)
        if hasWorkingSubscribers {
            var minSub = Int64.max
            var maxSub = consumerPosition
            var i = 0
            while i < subscriberPositions.count {
                let s = subscriberPositions[i]
                if s.isWorking {
                    let p = counterValue(s.counterId)
                    if p < minSub { minSub = p }
                    if p > maxSub { maxSub = p }
                }
                i += 1
            }
            let newLimit = minSub + termWindowLength
            if newLimit > tripLimit {
                cleanBuffer(to: minSub)
                setCounter(pubLmtCounterId, newLimit)
                tripLimit = newLimit + tripGain
                workCount = 1
            }
            consumerPosition = maxSub
        } else if publisherLimit > consumerPosition {
            setCounter(pubLmtCounterId, consumerPosition)
            tripLimit = consumerPosition
            cleanBuffer(to: consumerPosition)
        }
        return workCount
    }

    /// Zeroes the log from the clean position towards `position`, at most to the end of one term per call, the
    /// first word last so a reader never sees a frame length over half-cleaned bytes.
    func cleanBuffer(to position: Int64) {
        let clean = cleanPosition
        guard position > clean else { return }
        let index = LogBufferDescriptor.indexByPosition(clean, positionBitsToShift: positionBitsToShift)
        let termOffset = Int(clean & Int64(termLength - 1))
        let length = min(Int(position - clean), termLength - termOffset)
        TermCleaner.clean(logBuffers.termBuffers[index], offset: termOffset, length: length)
        cleanPosition = clean + Int64(length)
    }

    // MARK: Subscribers

    func addSubscriber(_ position: SubscriberPosition) {
        subscriberPositions.append(position)
        LogBufferDescriptor.setIsConnected(metadata, true)
    }

    /// Unlinks `subscription`; returns the counter id of its position (the caller frees it), or nil.
    func removeSubscriber(_ subscription: SubscriptionLink) -> Int32? {
        guard let index = subscriberPositions.firstIndex(where: { $0.subscription === subscription }) else { return nil }
        let removed = subscriberPositions.remove(at: index)
        LogBufferDescriptor.setIsConnected(metadata, hasWorkingSubscribers)
        return removed.counterId
    }

    func isLinked(_ subscription: SubscriptionLink) -> Bool {
        subscriberPositions.contains { $0.subscription === subscription }
    }

    // MARK: Lifecycle

    /// A client link went away; at zero the stream ends at the producer position (§9.4).
    func decrementRefCount(nowNs: Int64) {
        refCount -= 1
        guard refCount == 0, state == .active else { return }
        let producer = producerPosition
        setCounter(pubLmtCounterId, min(publisherLimit, producer))
        LogBufferDescriptor.setEndOfStreamPosition(metadata, producer)
        // A revoked log skips draining: the next timer tick ends it at once (see the conductor's ACTIVE check).
        guard !isRevoked else { return }
        state = .draining
        timeOfLastConsumerPositionChangeNs = nowNs
    }

    /// Revoke (REMOVE_PUBLICATION with flag bit 0): mark the log revoked, end the stream now.
    func revoke() {
        AtomicBuffer.releaseFence()
        metadata.setUInt8(1, at: LogBufferDescriptor.isPublicationRevokedOffset)
    }

    var isRevoked: Bool { LogBufferDescriptor.isPublicationRevoked(metadata) }

    /// A consumer stopped mid-term, or the active term count disagrees with it: a publisher may have died
    /// between claiming and committing.
    func isPossiblyBlocked(producer: Int64, consumer: Int64) -> Bool {
        let producerTermCount = LogBufferDescriptor.activeTermCount(metadata)
        let expectedTermCount = Int32(truncatingIfNeeded: consumer >> Int64(positionBitsToShift))
        if producerTermCount != expectedTermCount { return true }
        return producer > consumer
    }

    /// Timer check of a concurrent publication that may be blocked by a dead publisher.
    func checkForBlockedPublisher(producer: Int64, nowNs: Int64) -> Bool {
        let consumer = consumerPosition
        if consumer == lastConsumerPosition && isPossiblyBlocked(producer: producer, consumer: consumer) {
            if nowNs > timeOfLastConsumerPositionChangeNs + unblockTimeoutNs {
                return LogBufferUnblocker.unblock(logBuffers, blockedPosition: consumer)
            }
        } else {
            timeOfLastConsumerPositionChangeNs = nowNs
            lastConsumerPosition = consumer
        }
        return false
    }

    var metadataBuffer: AtomicBuffer { metadata }
}
