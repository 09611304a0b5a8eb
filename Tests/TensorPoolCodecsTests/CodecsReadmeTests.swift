import Testing
import TensorPoolCodecs

/// The API shown in Sources/TensorPoolCodecs/README.md, compiled and run, so the README cannot rot.
@Suite struct CodecsReadmeTests {
    @Test func readmeSnippetWorks() throws {
        let buf = UnsafeMutableRawPointer.allocate(byteCount: 128, alignment: 8)
        defer { buf.deallocate() }
        let slotPtr = UnsafeMutableRawPointer.allocate(byteCount: 256, alignment: 64)
        defer { slotPtr.deallocate() }
        slotPtr.initializeMemory(as: UInt8.self, repeating: 0, count: 256)

        let enc = try FrameDescriptorEncoder(wrapAndApplyHeader: buf, offset: 0, capacity: 128)
        enc.streamId = 1; enc.epoch = 2; enc.seq = 42; enc.headerIndex = 42 & 1023
        enc.timestampNs = nil
        enc.metaVersion = 3
        let length = enc.encodedLength
        #expect(length == 8 + 36)
        let dec = try FrameDescriptorDecoder(wrapAndCheckHeader: UnsafeRawPointer(buf), offset: 0, capacity: length)
        let seq = dec.seq; let ts: UInt64? = dec.timestampNs
        #expect(seq == 42 && ts == nil)
        let header = try MessageHeaderDecoder(wrap: UnsafeRawPointer(buf), offset: 0, capacity: length)
        #expect(header.templateId == TensorPoolSchema.TemplateId.frameDescriptor)

        let slot = try TensorSlotHeader256Encoder(wrap: slotPtr, offset: 0, capacity: 256)
        slot.frameId = seq; slot.dtype = .float32; slot.ndims = 2; try slot.setDims([480, 640]); slot.setStrides(at: 0, 0)
        let hdr = try TensorSlotHeader256Decoder(wrap: UnsafeRawPointer(slotPtr), offset: 0, capacity: 256)
        if case .unrecognized = hdr.dtype { Issue.record("dtype must be known") }
        #expect(hdr.dims(at: 1) == 640 && TensorSlotHeader256Encoder.commitWordOffset == 0)

        var ann = try ShmPoolAnnounceEncoder(wrapAndApplyHeader: buf, offset: 0, capacity: 128)
        var pools = try ann.payloadPoolsCount(1); try pools.next(); pools.poolId = 1; try pools.regionUri("shm:...")
        try ann.endPayloadPools(pools); try ann.headerRegionUri("shm:..."); let annLength = try ann.finish()
        var d = try ShmPoolAnnounceDecoder(wrapAndCheckHeader: UnsafeRawPointer(buf), offset: 0, capacity: annLength)
        var g = try d.payloadPools()
        while try g.next() {
            let uri = try g.regionUri()
            #expect(g.poolId == 1 && uri.count == 7)
        }
        #expect(try d.headerRegionUriString() == "shm:...")
    }
}
