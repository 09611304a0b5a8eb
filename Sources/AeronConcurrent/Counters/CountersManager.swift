import SharedMemory

/// Why a counter could not be allocated or changed.
public enum CountersError: Error, Equatable, Sendable {
    /// Every id up to the maximum is in use (or not yet reusable).
    case noSpace(maxCounterId: Int32)
    /// The id is not an ALLOCATED counter.
    case notAllocated(Int32)
}

/// Allocates and frees counters in a metadata + values buffer pair (the driver's side, PROTOCOL_FACTS §10.2;
/// Agrona `CountersManager`, C `aeron_counters_manager`). Single-threaded: only the owner allocates and frees.
///
/// Freed ids become reusable only after ``freeToReuseTimeoutMs`` so that a client still holding the old id does
/// not read a new counter's value as its own.
public final class CountersManager: @unchecked Sendable {
    /// Read access to the same buffers.
    public let reader: CountersReader
    /// Milliseconds a freed id stays unusable.
    public let freeToReuseTimeoutMs: Int64
    private var highWaterMarkId: Int32 = -1
    private var freeList: [Int32] = []

    /// Manages the counters in `metadataBuffer`/`valuesBuffer`, which must be zero-filled when fresh.
    public init(metadataBuffer: AtomicBuffer, valuesBuffer: AtomicBuffer, freeToReuseTimeoutMs: Int64 = 1000) {
        reader = CountersReader(metadataBuffer: metadataBuffer, valuesBuffer: valuesBuffer)
        self.freeToReuseTimeoutMs = freeToReuseTimeoutMs
    }

    /// Number of ids handed out at least once.
    public var highWaterMark: Int32 { highWaterMarkId }

    /// Allocates a counter with `typeId`, `key` (truncated to 112 bytes) and `label` (truncated to 380 bytes);
    /// the state is release-written last so readers never see a half-written record.
    public func allocate(typeId: Int32, key: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
                         label: String, nowMs: Int64) throws(CountersError) -> Int32 {
        var labelBytes = Array(label.utf8)
        if labelBytes.count > CounterDescriptor.maxLabelLength { labelBytes.removeLast(labelBytes.count - CounterDescriptor.maxLabelLength) }
        let result = labelBytes.withUnsafeBytes { labelRaw in
            Result { () throws(CountersError) -> Int32 in try allocate(typeId: typeId, key: key, label: labelRaw, nowMs: nowMs) }
        }
        return try result.get()
    }

    /// Allocates with raw label bytes (see ``allocate(typeId:key:label:nowMs:)``).
    public func allocate(typeId: Int32, key: UnsafeRawBufferPointer, label: UnsafeRawBufferPointer, nowMs: Int64) throws(CountersError) -> Int32 {
        let id = try nextCounterId(nowMs: nowMs)
        let meta = reader.metadataBuffer
        let record = CounterDescriptor.metadataRecordOffset(id)
        meta.setInt32(typeId, at: record + CounterDescriptor.typeIdOffset)
        meta.setInt64Release(CounterDescriptor.notFreeToReuse, at: record + CounterDescriptor.freeForReuseDeadlineOffset)
        meta.fill(0, at: record + CounterDescriptor.keyOffset, count: CounterDescriptor.maxKeyLength)
        let keyLength = min(key.count, CounterDescriptor.maxKeyLength)
        if keyLength > 0, let base = key.baseAddress {
            meta.copy(from: base, count: keyLength, to: record + CounterDescriptor.keyOffset)
        }
        let labelLength = min(label.count, CounterDescriptor.maxLabelLength)
        if labelLength > 0, let base = label.baseAddress {
            meta.copy(from: base, count: labelLength, to: record + CounterDescriptor.labelOffset)
        }
        meta.setInt32Release(Int32(labelLength), at: record + CounterDescriptor.labelLengthOffset)
        meta.setInt32Release(CounterState.allocated.rawValue, at: record + CounterDescriptor.stateOffset)
        return id
    }

    private func nextCounterId(nowMs: Int64) throws(CountersError) -> Int32 {
        if let index = freeList.firstIndex(where: { reader.freeForReuseDeadline($0) <= nowMs }) {
            let id = freeList.remove(at: index)
            let values = reader.valuesBuffer
            let record = CounterDescriptor.valueRecordOffset(id)
            values.setInt64Release(CounterDescriptor.defaultRegistrationId, at: record + CounterDescriptor.registrationIdOffset)
            values.setInt64Release(CounterDescriptor.defaultOwnerId, at: record + CounterDescriptor.ownerIdOffset)
            values.setInt64Release(CounterDescriptor.defaultReferenceId, at: record + CounterDescriptor.referenceIdOffset)
            values.setInt64Release(0, at: record + CounterDescriptor.valueOffset)
            return id
        }
        guard highWaterMarkId < reader.maxCounterId else { throw .noSpace(maxCounterId: reader.maxCounterId) }
        highWaterMarkId += 1
        return highWaterMarkId
    }

    /// Frees an ALLOCATED counter: state RECLAIMED, key zeroed, reusable after `nowMs + freeToReuseTimeoutMs`.
    /// The value is left as it was (readers may still look at it).
    public func free(_ id: Int32, nowMs: Int64) throws(CountersError) {
        guard reader.state(id) == .allocated else { throw .notAllocated(id) }
        let meta = reader.metadataBuffer
        let record = CounterDescriptor.metadataRecordOffset(id)
        meta.setInt32Release(CounterState.reclaimed.rawValue, at: record + CounterDescriptor.stateOffset)
        meta.fill(0, at: record + CounterDescriptor.keyOffset, count: CounterDescriptor.maxKeyLength)
        meta.setInt64Release(nowMs + freeToReuseTimeoutMs, at: record + CounterDescriptor.freeForReuseDeadlineOffset)
        freeList.append(id)
    }

    /// Release-writes the value of counter `id`.
    public func setValue(_ id: Int32, _ value: Int64) {
        guard reader.isValid(id) else { return }
        reader.valuesBuffer.setInt64Release(value, at: CounterDescriptor.valueRecordOffset(id))
    }

    /// Release-writes the registration id of counter `id`.
    public func setRegistrationId(_ id: Int32, _ registrationId: Int64) {
        guard reader.isValid(id) else { return }
        reader.valuesBuffer.setInt64Release(registrationId, at: CounterDescriptor.valueRecordOffset(id) + CounterDescriptor.registrationIdOffset)
    }

    /// Release-writes the owner id of counter `id`.
    public func setOwnerId(_ id: Int32, _ ownerId: Int64) {
        guard reader.isValid(id) else { return }
        reader.valuesBuffer.setInt64Release(ownerId, at: CounterDescriptor.valueRecordOffset(id) + CounterDescriptor.ownerIdOffset)
    }

    /// Release-writes the reference id of counter `id`.
    public func setReferenceId(_ id: Int32, _ referenceId: Int64) {
        guard reader.isValid(id) else { return }
        reader.valuesBuffer.setInt64Release(referenceId, at: CounterDescriptor.valueRecordOffset(id) + CounterDescriptor.referenceIdOffset)
    }

    /// Appends `suffix` to the label of counter `id` (truncating at the maximum); returns the bytes appended.
    @discardableResult
    public func appendToLabel(_ id: Int32, _ suffix: String) -> Int {
        CounterLabel.append(suffix, to: id, metadataBuffer: reader.metadataBuffer, maxCounterId: reader.maxCounterId)
    }
}

/// Label editing shared by the driver (``CountersManager``) and clients (the heartbeat label suffix, §10.3).
public enum CounterLabel {
    /// Appends UTF-8 `suffix` to counter `id`'s label in place, release-writing the new length; returns bytes added.
    @discardableResult
    public static func append(_ suffix: String, to id: Int32, metadataBuffer: AtomicBuffer, maxCounterId: Int32) -> Int {
        guard id >= 0, id <= maxCounterId else { return 0 }
        let record = CounterDescriptor.metadataRecordOffset(id)
        let current = Int(metadataBuffer.int32Acquire(at: record + CounterDescriptor.labelLengthOffset))
        guard current >= 0, current < CounterDescriptor.maxLabelLength else { return 0 }
        let bytes = Array(suffix.utf8.prefix(CounterDescriptor.maxLabelLength - current))
        guard !bytes.isEmpty else { return 0 }
        bytes.withUnsafeBytes { raw in
            if let base = raw.baseAddress {
                metadataBuffer.copy(from: base, count: raw.count, to: record + CounterDescriptor.labelOffset + current)
            }
        }
        metadataBuffer.setInt32Release(Int32(current + bytes.count), at: record + CounterDescriptor.labelLengthOffset)
        return bytes.count
    }
}
