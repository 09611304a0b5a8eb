import Testing
import TensorPoolCodecs

@Suite struct RoundTripSmokeTests {
    @Test func frameDescriptorWithHeader() throws {
        var storage = [UInt8](repeating: 0, count: 64)
        let length = try storage.withUnsafeMutableBytes { raw -> Int in
            let encoder = try FrameDescriptorEncoder(wrapAndApplyHeader: raw)
            encoder.streamId = 7
            encoder.epoch = 3
            encoder.seq = 42
            encoder.headerIndex = 10
            encoder.timestampNs = nil
            encoder.metaVersion = 5
            return encoder.encodedLength
        }
        #expect(length == 8 + 36)
        try storage.withUnsafeBytes { raw in
            let decoder = try FrameDescriptorDecoder(wrapAndCheckHeader: UnsafeRawBufferPointer(rebasing: raw[0..<length]))
            #expect(decoder.streamId == 7)
            #expect(decoder.epoch == 3)
            #expect(decoder.seq == 42)
            #expect(decoder.headerIndex == 10)
            #expect(decoder.timestampNs == nil)
            #expect(decoder.metaVersion == 5)
            #expect(try decoder.encodedLength() == 44)
        }
    }

    @Test func shmPoolAnnounceGroupsAndData() throws {
        var storage = [UInt8](repeating: 0, count: 256)
        let length = try storage.withUnsafeMutableBytes { raw -> Int in
            var encoder = try ShmPoolAnnounceEncoder(wrapAndApplyHeader: raw)
            encoder.streamId = 1
            encoder.maxDims = 8
            var pools = try encoder.payloadPoolsCount(2)
            try pools.next()
            pools.poolId = 1
            pools.strideBytes = 1 << 20
            try pools.regionUri("shm:file?path=/dev/shm/a")
            try pools.next()
            pools.poolId = 2
            try pools.regionUri("shm:file?path=/dev/shm/b")
            try encoder.endPayloadPools(pools)
            try encoder.headerRegionUri("shm:file?path=/dev/shm/h")
            return try encoder.finish()
        }
        try storage.withUnsafeBytes { raw in
            var decoder = try ShmPoolAnnounceDecoder(wrapAndCheckHeader: UnsafeRawBufferPointer(rebasing: raw[0..<length]))
            #expect(decoder.maxDims == 8)
            var pools = try decoder.payloadPools()
            #expect(pools.count == 2)
            #expect(try pools.next())
            #expect(pools.poolId == 1)
            #expect(pools.strideBytes == 1 << 20)
            #expect(try pools.regionUriString() == "shm:file?path=/dev/shm/a")
            #expect(try pools.next())
            #expect(pools.poolId == 2)
            #expect(try !pools.next())
            #expect(try decoder.headerRegionUriString() == "shm:file?path=/dev/shm/h")
            #expect(try decoder.encodedLength() == length)
        }
    }

    @Test func tensorSlotHeaderOverRawMemory() throws {
        let slot = UnsafeMutableRawPointer.allocate(byteCount: 256, alignment: 64)
        defer { slot.deallocate() }
        slot.initializeMemory(as: UInt8.self, repeating: 0, count: 256)
        let header = try TensorSlotHeader256Encoder(wrap: slot, offset: 0, capacity: 256)
        header.frameId = 9
        header.dtype = .float32
        header.majorOrder = .row
        header.ndims = 2
        try header.setDims([480, 640])
        let view = try TensorSlotHeader256Decoder(wrap: UnsafeRawPointer(slot), offset: 0, capacity: 256)
        #expect(view.frameId == 9)
        #expect(view.dtype == .float32)
        #expect(view.dims(at: 1) == 640)
        #expect(TensorSlotHeader256Decoder.commitWordOffset == 0)
    }
}
