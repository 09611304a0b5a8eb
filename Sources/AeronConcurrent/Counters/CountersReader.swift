import SharedMemory

/// Reads the counters of a metadata + values buffer pair (PROTOCOL_FACTS §10), as tools and clients do.
///
/// Every read is a single ordered load; a counter may change or be freed between two reads, so callers that
/// need a consistent record check the state again afterwards.
@frozen
public struct CountersReader: @unchecked Sendable {
    /// Metadata records, 512 bytes each.
    public let metadataBuffer: AtomicBuffer
    /// Values records, 128 bytes each.
    public let valuesBuffer: AtomicBuffer
    /// Highest valid counter id.
    public let maxCounterId: Int32

    /// Wraps the two buffers. The id range is bounded by both lengths, so a short metadata buffer is safe.
    public init(metadataBuffer: AtomicBuffer, valuesBuffer: AtomicBuffer) {
        self.metadataBuffer = metadataBuffer
        self.valuesBuffer = valuesBuffer
        let byValues = valuesBuffer.capacity / CounterDescriptor.counterLength
        let byMetadata = metadataBuffer.capacity / CounterDescriptor.metadataLength
        maxCounterId = Int32(min(byValues, byMetadata)) - 1
    }

    /// True when `id` names a record inside both buffers.
    @inlinable public func isValid(_ id: Int32) -> Bool { id >= 0 && id <= maxCounterId }

    /// State of counter `id` (acquire), or nil for an out-of-range id or an unknown state value.
    public func state(_ id: Int32) -> CounterState? {
        guard isValid(id) else { return nil }
        return CounterState(rawValue: metadataBuffer.int32Acquire(at: CounterDescriptor.metadataRecordOffset(id)))
    }

    /// Type id of counter `id`.
    public func typeId(_ id: Int32) -> Int32 {
        guard isValid(id) else { return -1 }
        return metadataBuffer.int32(at: CounterDescriptor.metadataRecordOffset(id) + CounterDescriptor.typeIdOffset)
    }

    /// Free-for-reuse deadline of counter `id` (epoch ms).
    public func freeForReuseDeadline(_ id: Int32) -> Int64 {
        guard isValid(id) else { return CounterDescriptor.notFreeToReuse }
        return metadataBuffer.int64Acquire(at: CounterDescriptor.metadataRecordOffset(id) + CounterDescriptor.freeForReuseDeadlineOffset)
    }

    /// Label of counter `id` (the length is clamped to the record, so a corrupt length cannot read outside it).
    public func label(_ id: Int32) -> String {
        guard isValid(id) else { return "" }
        let record = CounterDescriptor.metadataRecordOffset(id)
        let length = Int(metadataBuffer.int32Acquire(at: record + CounterDescriptor.labelLengthOffset))
        let clamped = max(0, min(length, CounterDescriptor.maxLabelLength))
        return metadataBuffer.string(at: record + CounterDescriptor.labelOffset, count: clamped)
    }

    /// The key bytes of counter `id` (all ``CounterDescriptor/maxKeyLength`` of them).
    public func keyBuffer(_ id: Int32) -> AtomicBuffer {
        let record = isValid(id) ? CounterDescriptor.metadataRecordOffset(id) : 0
        return metadataBuffer.slice(offset: record + CounterDescriptor.keyOffset, length: CounterDescriptor.maxKeyLength)
    }

    /// Offset of counter `id`'s value in ``valuesBuffer``.
    @inlinable public func valueOffset(_ id: Int32) -> Int { CounterDescriptor.valueRecordOffset(id) }

    /// Current value of counter `id` (acquire).
    @inlinable public func value(_ id: Int32) -> Int64 {
        guard isValid(id) else { return 0 }
        return valuesBuffer.int64Acquire(at: CounterDescriptor.valueRecordOffset(id))
    }

    /// Registration id of counter `id`.
    public func registrationId(_ id: Int32) -> Int64 {
        guard isValid(id) else { return CounterDescriptor.defaultRegistrationId }
        return valuesBuffer.int64Acquire(at: CounterDescriptor.valueRecordOffset(id) + CounterDescriptor.registrationIdOffset)
    }

    /// Owner id of counter `id`.
    public func ownerId(_ id: Int32) -> Int64 {
        guard isValid(id) else { return CounterDescriptor.defaultOwnerId }
        return valuesBuffer.int64Acquire(at: CounterDescriptor.valueRecordOffset(id) + CounterDescriptor.ownerIdOffset)
    }

    /// Reference id of counter `id`.
    public func referenceId(_ id: Int32) -> Int64 {
        guard isValid(id) else { return CounterDescriptor.defaultReferenceId }
        return valuesBuffer.int64Acquire(at: CounterDescriptor.valueRecordOffset(id) + CounterDescriptor.referenceIdOffset)
    }

    /// Calls `body(id, typeId, label)` for every ALLOCATED counter, stopping at the first UNUSED record.
    public func forEach(_ body: (Int32, Int32, String) -> Void) {
        var id: Int32 = 0
        while id <= maxCounterId {
            let record = CounterDescriptor.metadataRecordOffset(id)
            let state = metadataBuffer.int32Acquire(at: record)
            if state == CounterState.unused.rawValue { break }
            if state == CounterState.allocated.rawValue {
                body(id, typeId(id), label(id))
            }
            id += 1
        }
    }

    /// First ALLOCATED counter with this type and registration id, scanning all ids (as the C client does).
    public func find(typeId wanted: Int32, registrationId wantedRegistrationId: Int64) -> Int32? {
        var id: Int32 = 0
        while id <= maxCounterId {
            let record = CounterDescriptor.metadataRecordOffset(id)
            let state = metadataBuffer.int32Acquire(at: record)
            if state == CounterState.unused.rawValue { break }
            if state == CounterState.allocated.rawValue, typeId(id) == wanted, registrationId(id) == wantedRegistrationId {
                return id
            }
            id += 1
        }
        return nil
    }

    /// The client heartbeat counter of `clientId` (type 11 whose key starts with the client id), if allocated.
    public func findClientHeartbeat(clientId: Int64) -> Int32? {
        var id: Int32 = 0
        while id <= maxCounterId {
            let record = CounterDescriptor.metadataRecordOffset(id)
            let state = metadataBuffer.int32Acquire(at: record)
            if state == CounterState.allocated.rawValue,
               typeId(id) == AeronCounterTypeId.clientHeartbeat,
               metadataBuffer.int64(at: record + CounterDescriptor.keyOffset) == clientId {
                return id
            }
            // Drivers keep ids dense (§10.2), so the first UNUSED record ends the search, as in Java.
            if state == CounterState.unused.rawValue { break }
            id += 1
        }
        return nil
    }

    /// True while counter `id` is still the ALLOCATED client-heartbeat counter of `clientId`.
    public func isClientHeartbeat(_ id: Int32, clientId: Int64) -> Bool {
        guard isValid(id) else { return false }
        let record = CounterDescriptor.metadataRecordOffset(id)
        return metadataBuffer.int32Acquire(at: record) == CounterState.allocated.rawValue
            && typeId(id) == AeronCounterTypeId.clientHeartbeat
            && metadataBuffer.int64(at: record + CounterDescriptor.keyOffset) == clientId
    }
}
