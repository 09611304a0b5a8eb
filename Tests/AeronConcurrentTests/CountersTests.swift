import Testing
import SharedMemory
@testable import AeronConcurrent

@Suite struct CountersTests {
    let metadata = TestRegion(length: 8 * CounterDescriptor.metadataLength)
    let values = TestRegion(length: 8 * CounterDescriptor.counterLength)

    @Test func allocateWritesTypeKeyLabelAndState() throws {
        let manager = CountersManager(metadataBuffer: metadata.buffer, valuesBuffer: values.buffer)
        var key: Int64 = 0x1122_3344_5566_7788
        let id = try withUnsafeBytes(of: &key) { try manager.allocate(typeId: 11, key: $0, label: "client-heartbeat: id=5", nowMs: 0) }
        #expect(id == 0)
        let reader = manager.reader
        #expect(reader.state(id) == .allocated)
        #expect(reader.typeId(id) == 11)
        #expect(reader.label(id) == "client-heartbeat: id=5")
        #expect(reader.keyBuffer(id).int64(at: 0) == key)
        #expect(reader.freeForReuseDeadline(id) == CounterDescriptor.notFreeToReuse)
        manager.setValue(id, 42)
        manager.setRegistrationId(id, 7)
        manager.setOwnerId(id, 8)
        manager.setReferenceId(id, 9)
        #expect(reader.value(id) == 42 && reader.registrationId(id) == 7 && reader.ownerId(id) == 8 && reader.referenceId(id) == 9)
        #expect(reader.find(typeId: 11, registrationId: 7) == id)
        #expect(reader.findClientHeartbeat(clientId: key) == id)
        #expect(reader.isClientHeartbeat(id, clientId: key))
    }

    @Test func labelsAndKeysAreTruncated() throws {
        let manager = CountersManager(metadataBuffer: metadata.buffer, valuesBuffer: values.buffer)
        let longLabel = String(repeating: "x", count: 1000)
        let key = [UInt8](repeating: 1, count: 200)
        let id = try key.withUnsafeBytes { try manager.allocate(typeId: 1, key: $0, label: longLabel, nowMs: 0) }
        #expect(manager.reader.label(id).count == CounterDescriptor.maxLabelLength)
        #expect(manager.appendToLabel(id, "more") == 0)
        let id2 = try manager.allocate(typeId: 1, label: "short", nowMs: 0)
        #expect(manager.appendToLabel(id2, " name=x") == 7)
        #expect(manager.reader.label(id2) == "short name=x")
    }

    @Test func freedIdsAreReusedOnlyAfterTheTimeout() throws {
        let manager = CountersManager(metadataBuffer: metadata.buffer, valuesBuffer: values.buffer, freeToReuseTimeoutMs: 1000)
        let a = try manager.allocate(typeId: 1, label: "a", nowMs: 0)
        let b = try manager.allocate(typeId: 1, label: "b", nowMs: 0)
        manager.setValue(a, 99)
        manager.setRegistrationId(a, 5)
        try manager.free(a, nowMs: 100)
        #expect(manager.reader.state(a) == .reclaimed)
        #expect(manager.reader.value(a) == 99) // values are left for late readers
        #expect(throws: CountersError.notAllocated(a)) { try manager.free(a, nowMs: 100) }
        let c = try manager.allocate(typeId: 1, label: "c", nowMs: 500)
        #expect(c == 2)
        let d = try manager.allocate(typeId: 1, label: "d", nowMs: 1100)
        #expect(d == a)
        #expect(manager.reader.value(d) == 0 && manager.reader.registrationId(d) == 0)
        #expect(manager.reader.label(d) == "d")
        _ = b
    }

    @Test func fullIsAnError() throws {
        let manager = CountersManager(metadataBuffer: metadata.buffer, valuesBuffer: values.buffer)
        for _ in 0..<8 { _ = try manager.allocate(typeId: 1, label: "x", nowMs: 0) }
        #expect(throws: CountersError.noSpace(maxCounterId: 7)) { try manager.allocate(typeId: 1, label: "y", nowMs: 0) }
    }

    @Test func readerStopsAtFirstUnusedAndSkipsReclaimed() throws {
        let manager = CountersManager(metadataBuffer: metadata.buffer, valuesBuffer: values.buffer)
        for i in 0..<4 { _ = try manager.allocate(typeId: Int32(i), label: "c\(i)", nowMs: 0) }
        try manager.free(1, nowMs: 0)
        var seen: [Int32] = []
        manager.reader.forEach { id, _, _ in seen.append(id) }
        #expect(seen == [0, 2, 3])
        #expect(manager.reader.state(99) == nil)
        #expect(manager.reader.label(-1) == "")
    }

    @Test func corruptLabelLengthIsClamped() throws {
        let manager = CountersManager(metadataBuffer: metadata.buffer, valuesBuffer: values.buffer)
        let id = try manager.allocate(typeId: 1, label: "ok", nowMs: 0)
        metadata.buffer.setInt32(Int32.max, at: CounterDescriptor.metadataRecordOffset(id) + CounterDescriptor.labelLengthOffset)
        #expect(manager.reader.label(id).utf8.count == CounterDescriptor.maxLabelLength)
        metadata.buffer.setInt32(-4, at: CounterDescriptor.metadataRecordOffset(id) + CounterDescriptor.labelLengthOffset)
        #expect(manager.reader.label(id) == "")
    }
}
