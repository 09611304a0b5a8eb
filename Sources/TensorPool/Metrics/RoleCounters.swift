#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import AeronClient

/// A role's fixed set of figures as real Aeron counters, allocated through the client (ADD_COUNTER) so the
/// driver's counters file shows them to `tp stat`, AeronStat and any Aeron counters reader.
///
/// Each counter has a type id in the tensor-pool range (``TensorPoolCounterTypeId``), the key
/// ``RoleCounterKey`` and a label `tp <role> <name> stream=<s> <role>=<id>`, for example
/// `tp producer frames published stream=7 producer=42`. The counters are owned by the client: the driver
/// frees them when the client closes or times out.
///
/// Single writer: the owning agent updates them with ordered (release) stores of its own tallies
/// (``set(_:_:)``, ``add(_:_:)``); no read-modify-write atomics and no allocation.
///
/// ```swift
/// let counters = try RoleCounters<ProducerCounter>(aeron: aeron, streamId: 7, instanceId: 42)
/// counters.add(.framesPublished)
/// counters.add(.bytesPublished, Int64(length))
/// ```
public final class RoleCounters<Kind: RoleCounterKind>: @unchecked Sendable {
    /// Data-source stream id in the labels and keys (`nil` for role-wide counters such as a supervisor's).
    public let streamId: UInt32?
    /// Producer, consumer or supervisor id.
    public let instanceId: UInt32
    @usableFromInline let counters: [Counter]

    /// Allocates every counter of `Kind` (all ADD_COUNTER commands are sent first, then awaited).
    ///
    /// - Throws: the driver's error (e.g. counters buffer full); counters already allocated are released.
    public init(aeron: Aeron, streamId: UInt32?, instanceId: UInt32) throws(AeronError) {
        self.streamId = streamId
        self.instanceId = instanceId
        let key = RoleCounterKey(streamId: streamId, instanceId: instanceId, role: Kind.role).bytes
        var registrations: [Int64] = []
        var allocated: [Counter] = []
        do {
            for kind in Kind.allCases {
                let label = Self.label(kind, streamId: streamId, instanceId: instanceId)
                registrations.append(try aeron.asyncAddCounter(typeId: kind.typeId, key: key, label: label))
            }
            for registration in registrations {
                allocated.append(try Self.await(aeron, registration))
            }
        } catch {
            for counter in allocated { try? counter.close() }
            // Counters sent but not yet answered are released with the client; nothing else to undo.
            throw error
        }
        counters = allocated
    }

    /// The label of `kind` for a role instance.
    public static func label(_ kind: Kind, streamId: UInt32?, instanceId: UInt32) -> String {
        let role = Kind.role.name
        var text = "tp \(role) \(kind.name)"
        if let streamId { text += " stream=\(streamId)" }
        text += " \(role)=\(instanceId)"
        return text
    }

    private static func await(_ aeron: Aeron, _ registration: Int64) throws(AeronError) -> Counter {
        while true {
            if aeron.context.useConductorAgentInvoker { _ = aeron.doWork() }
            if let counter = try aeron.counter(registrationId: registration) { return counter }
            usleep(100)
        }
    }

    /// The Aeron counter of `kind` (for its id, or to read it).
    @inlinable public func counter(_ kind: Kind) -> Counter { counters[kind.rawValue] }

    /// Aeron counter id of `kind`.
    @inlinable public func counterId(_ kind: Kind) -> Int32 { counters[kind.rawValue].id }

    /// Current value of `kind`.
    @inlinable public func value(_ kind: Kind) -> Int64 { counters[kind.rawValue].value }

    /// Stores `value` (release). Allocation-free.
    @inlinable public func set(_ kind: Kind, _ value: Int64) { counters[kind.rawValue].set(value) }

    /// Adds `delta` with a load and a release store: correct because the owning agent is the only writer.
    @inlinable public func add(_ kind: Kind, _ delta: Int64 = 1) {
        let counter = counters[kind.rawValue]
        counter.set(counter.value &+ delta)
    }

    /// Releases every counter in the driver. Idempotent.
    public func close() {
        for counter in counters { try? counter.close() }
    }
}

/// Producer counters of one `(stream, producer)`.
public typealias ProducerCounters = RoleCounters<ProducerCounter>
/// Consumer counters of one `(stream, consumer)`.
public typealias ConsumerCounters = RoleCounters<ConsumerCounter>
/// Supervisor counters.
public typealias SupervisorCounters = RoleCounters<SupervisorCounter>
