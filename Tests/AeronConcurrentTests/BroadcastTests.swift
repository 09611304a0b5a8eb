import Testing
import SharedMemory
@testable import AeronConcurrent

/// Owns zeroed memory for a test buffer.
final class TestMemory {
    let pointer: UnsafeMutableRawPointer
    let buffer: AtomicBuffer
    init(_ length: Int) {
        pointer = .allocate(byteCount: length, alignment: 64)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: length)
        buffer = AtomicBuffer(base: pointer, capacity: length)
    }
    deinit { pointer.deallocate() }
}

@Suite struct BroadcastTests {
    @Test func rejectsCapacityThatIsNotAPowerOfTwo() {
        let memory = TestMemory(1000 + 128)
        #expect(throws: BroadcastBufferDescriptor.LayoutError.self) { try BroadcastTransmitter(buffer: memory.buffer) }
        #expect(throws: BroadcastBufferDescriptor.LayoutError.self) { try BroadcastReceiver(buffer: memory.buffer) }
    }

    @Test func recordLayoutMatchesAgrona() throws {
        let memory = TestMemory(1024 + 128)
        let tx = try BroadcastTransmitter(buffer: memory.buffer)
        let body: [UInt8] = [1, 2, 3, 4, 5]
        try tx.transmit(messageTypeId: 0x0F04, from: body, length: 5)
        #expect(memory.buffer.int32(at: 0) == 13)
        #expect(memory.buffer.int32(at: 4) == 0x0F04)
        #expect(memory.buffer.uint8(at: 12) == 5)
        #expect(memory.buffer.int64(at: 1024 + 0) == 16) // tail intent
        #expect(memory.buffer.int64(at: 1024 + 8) == 16) // tail
        #expect(memory.buffer.int64(at: 1024 + 16) == 0) // latest
    }

    @Test func receiverSeesRecordsInOrderAcrossWrapWithPadding() throws {
        let memory = TestMemory(1024 + 128)
        let tx = try BroadcastTransmitter(buffer: memory.buffer)
        let rx = try CopyBroadcastReceiver(buffer: memory.buffer)
        var payload = [UInt8](repeating: 0, count: 100)
        var received: [Int32] = []
        for i in 0..<100 {
            payload[0] = UInt8(i)
            try tx.transmit(messageTypeId: Int32(i + 1), from: payload, length: 37 + (i % 50))
            _ = try rx.receive { type, buffer, length in
                #expect(length == 37 + (i % 50))
                #expect(buffer.uint8(at: 0) == UInt8(i))
                received.append(type)
            }
        }
        #expect(received == Array(1...100).map(Int32.init))
        #expect(rx.lappedCount == 0)
    }

    @Test func newReceiverStartsAtLatestRecord() throws {
        let memory = TestMemory(1024 + 128)
        let tx = try BroadcastTransmitter(buffer: memory.buffer)
        let body: [UInt8] = [0, 0, 0, 0]
        try tx.transmit(messageTypeId: 1, from: body, length: 4)
        try tx.transmit(messageTypeId: 2, from: body, length: 4)
        let rx = try CopyBroadcastReceiver(buffer: memory.buffer)
        var types: [Int32] = []
        try tx.transmit(messageTypeId: 3, from: body, length: 4)
        while try rx.receive({ t, _, _ in types.append(t) }) > 0 {}
        // Agrona semantics: the receiver's first record is the latest one present when it was created.
        #expect(types == [2, 3])
    }

    @Test func lappedReceiverReportsUnableToKeepUp() throws {
        let memory = TestMemory(1024 + 128)
        let tx = try BroadcastTransmitter(buffer: memory.buffer)
        let rx = try CopyBroadcastReceiver(buffer: memory.buffer)
        let body = [UInt8](repeating: 7, count: 64)
        for i in 0..<40 { try tx.transmit(messageTypeId: Int32(i + 1), from: body, length: 64) }
        #expect(throws: CopyBroadcastReceiver.ReceiveError.unableToKeepUp) { _ = try rx.receive { _, _, _ in } }
        try tx.transmit(messageTypeId: 99, from: body, length: 8)
        var last: Int32 = 0
        while let (type, _) = try rx.copyNext() { last = type }
        #expect(last == 99)
    }

    @Test func rejectsBadTypeAndOversizedBody() throws {
        let memory = TestMemory(1024 + 128)
        let tx = try BroadcastTransmitter(buffer: memory.buffer)
        let body = [UInt8](repeating: 0, count: 256)
        #expect(throws: BroadcastTransmitter.TransmitError.invalidMessageTypeId(0)) { try tx.transmit(messageTypeId: 0, from: body, length: 1) }
        #expect(throws: BroadcastTransmitter.TransmitError.invalidLength(129)) { try tx.transmit(messageTypeId: 1, from: body, length: 129) }
    }

    @Test func garbageLengthInBufferDoesNotCrashReceiver() throws {
        let memory = TestMemory(1024 + 128)
        let rx = try CopyBroadcastReceiver(buffer: memory.buffer)
        memory.buffer.setInt32(-5000, at: 0)
        memory.buffer.setInt32(5, at: 4)
        memory.buffer.setInt64(16, at: 1024 + 8)
        memory.buffer.setInt64(16, at: 1024)
        let result = try rx.copyNext()
        #expect(result?.typeId == 5)
        #expect(result?.length == 0)
    }
}
