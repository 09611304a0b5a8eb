import Synchronization
import SharedMemory
import AeronConcurrent

/// A counter this client allocated in the driver's counters (ADD_COUNTER or ADD_STATIC_COUNTER): a 64-bit value
/// other processes (AeronStat, `tp aeron stat`) can read. Updates are single atomic stores/adds, allocation-free.
public final class Counter: @unchecked Sendable {
    /// Correlation id of the command (for a static counter: the registration id given).
    public let registrationId: Int64
    /// Counter id in the counters buffers.
    public let id: Int32
    /// True for ADD_STATIC_COUNTER counters (owned by the driver, they survive this client).
    public let isStatic: Bool
    @usableFromInline let values: AtomicBuffer
    @usableFromInline let offset: Int
    @usableFromInline let closedFlag = Atomic<Bool>(false)
    let keepAlive: AnyObject
    weak var conductor: ClientConductor?

    init(registrationId: Int64, id: Int32, isStatic: Bool, values: AtomicBuffer, keepAlive: AnyObject, conductor: ClientConductor) {
        self.registrationId = registrationId
        self.id = id
        self.isStatic = isStatic
        self.values = values
        offset = CounterDescriptor.valueRecordOffset(id)
        self.keepAlive = keepAlive
        self.conductor = conductor
    }

    /// Current value (acquire).
    @inlinable public var value: Int64 { values.int64Acquire(at: offset) }
    /// Release-writes the value.
    @inlinable public func set(_ newValue: Int64) { if !isClosed { values.setInt64Release(newValue, at: offset) } }
    /// Atomically adds `delta`; returns the previous value.
    @discardableResult @inlinable
    public func increment(by delta: Int64 = 1) -> Int64 { isClosed ? 0 : values.getAndAddInt64(at: offset, delta) }
    /// True once closed (by ``close()``, the driver, or the client closing).
    @inlinable public var isClosed: Bool { closedFlag.load(ordering: .acquiring) }

    /// Removes the counter from the driver (static counters are only detached locally).
    public func close() throws(AeronError) {
        guard closedFlag.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        if !isStatic { try conductor?.releaseCounter(registrationId: registrationId) }
    }

    func markClosed() { closedFlag.store(true, ordering: .releasing) }
}
