import AeronClient

/// One encoded bridge message the sender keeps and offers when it changes and again every ``intervalNs`` (the
/// source's `BridgeDataSourceMeta` or `BridgeDataSourceAnnounce`), so a receiver that joins late gets it.
///
/// The owner encodes into ``reserve(_:)`` once per change (which may allocate: such messages change rarely) and
/// calls ``staged(length:)``; the periodic re-send offers the same bytes and allocates nothing. Owned by the
/// sender's thread.
final class BridgeOutgoingMessage {
    private(set) var buffer: UnsafeMutableRawPointer
    private(set) var capacity: Int
    /// Bytes of the encoded message (0: nothing to send yet).
    private(set) var length = 0
    /// A change not offered successfully yet.
    private(set) var isPending = false
    /// When the message was last offered successfully (or given up).
    private(set) var lastOfferNs: UInt64 = 0
    let intervalNs: UInt64
    /// The sender counters of a message taken and of one refused for good.
    let sentCounter: BridgeSenderStatisticsCounter
    let abandonedCounter: BridgeSenderStatisticsCounter

    init(intervalNs: UInt64, sent: BridgeSenderStatisticsCounter, abandoned: BridgeSenderStatisticsCounter) {
        self.intervalNs = intervalNs
        sentCounter = sent
        abandonedCounter = abandoned
        capacity = 256
        buffer = .allocate(byteCount: capacity, alignment: 64)
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: capacity)
    }

    deinit { buffer.deallocate() }

    /// Makes the buffer at least `bytes` long (its content is then undefined) and returns it.
    func reserve(_ bytes: Int) -> UnsafeMutableRawPointer {
        if bytes > capacity {
            buffer.deallocate()
            capacity = bytes
            buffer = .allocate(byteCount: capacity, alignment: 64)
        }
        return buffer
    }

    /// The buffer now holds a new message of `length` bytes: it is due at once.
    func staged(length: Int) {
        self.length = length
        isPending = true
    }

    /// Nothing to send until the next change (the new content could not be encoded: sending the previous,
    /// outdated one would be wrong).
    func clear() {
        length = 0
        isPending = false
    }

    /// Whether the message should be offered now: a change not sent yet, or the re-send interval elapsed.
    func isDue(nowNs: UInt64) -> Bool {
        length > 0 && (isPending || nowNs &- lastOfferNs >= intervalNs)
    }

    /// Offers the message once. `true` when the publication took it or refused it for good (the next try is
    /// the periodic one); `false` when it is to be retried on the next duty cycle (back pressure, admin
    /// action, not connected yet).
    func offer(on publication: ExclusivePublication, nowNs: UInt64, statistics: BridgeSenderStatistics) -> Bool {
        switch publication.offer(UnsafeRawBufferPointer(start: buffer, count: length)) {
        case .position:
            statistics.add(sentCounter)
        case .backPressured, .adminAction:
            statistics.add(.backPressured)
            return false
        case .notConnected:
            return false
        case .closed, .maxPositionExceeded, .messageTooLong:
            statistics.add(abandonedCounter)
        }
        isPending = false
        lastOfferNs = nowNs
        return true
    }
}
