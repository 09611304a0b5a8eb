import Testing
import TensorPoolCodecs

/// Seeded random values through every generated encoder and back through its decoder.
@Suite struct RandomRoundTripTests {
    static let iterations = 300

    static func randomOptional<T: FixedWidthInteger>(_ rng: inout SplitMix64, null: T) -> T? {
        // Never produce the null value itself as a present value: it would read back as nil.
        if Bool.random(using: &rng) { return nil }
        var v = T.random(in: T.min...T.max, using: &rng)
        if v == null { v = 0 }
        return v
    }

    static func randomASCII(_ rng: inout SplitMix64, maxLength: Int) -> String {
        let count = Int.random(in: 0...maxLength, using: &rng)
        return String((0..<count).map { _ in Character(Unicode.Scalar(UInt8.random(in: 0x20...0x7E, using: &rng))) })
    }

    @Test func fixedMessages() throws {
        var rng = SplitMix64(seed: 42)
        var storage = [UInt8](repeating: 0, count: 512)
        try storage.withUnsafeMutableBytes { raw in
            let read = UnsafeRawBufferPointer(raw)
            for _ in 0..<Self.iterations {
                let (s, e, q, h) = (UInt32.random(in: 0...UInt32.max, using: &rng), UInt64.random(in: 0...UInt64.max, using: &rng),
                                    UInt64.random(in: 0...UInt64.max, using: &rng), UInt32.random(in: 0...UInt32.max, using: &rng))
                let ts: UInt64? = Self.randomOptional(&rng, null: UInt64.max)
                let mv: UInt32? = Self.randomOptional(&rng, null: UInt32.max)
                let fd = try FrameDescriptorEncoder(wrapAndApplyHeader: raw)
                fd.streamId = s; fd.epoch = e; fd.seq = q; fd.headerIndex = h; fd.timestampNs = ts; fd.metaVersion = mv
                let fdd = try FrameDescriptorDecoder(wrapAndCheckHeader: read)
                #expect(fdd.streamId == s && fdd.epoch == e && fdd.seq == q && fdd.headerIndex == h)
                #expect(fdd.timestampNs == ts && fdd.metaVersion == mv)

                let mode = Mode(rawValue: UInt8.random(in: 0...5, using: &rng))
                let rate = UInt16.random(in: 0...UInt16.max, using: &rng)
                let interval: UInt32? = Self.randomOptional(&rng, null: UInt32.max)
                let hello = try ConsumerHelloEncoder(wrapAndApplyHeader: raw)
                hello.streamId = s; hello.consumerId = h; hello.supportsShm = BoolEnum(rawValue: UInt8.random(in: 0...2, using: &rng))
                hello.mode = mode; hello.maxRateHz = rate; hello.progressIntervalUs = interval; hello.progressRowsDelta = nil
                let hellod = try ConsumerHelloDecoder(wrapAndCheckHeader: read)
                #expect(hellod.mode == mode && hellod.maxRateHz == rate && hellod.progressIntervalUs == interval)
                #expect(hellod.supportsShm == hello.supportsShm && hellod.progressRowsDelta == nil)

                let state = FrameProgressState(rawValue: UInt8.random(in: 0...6, using: &rng))
                let rows: UInt32? = Self.randomOptional(&rng, null: UInt32.max)
                let fp = try FrameProgressEncoder(wrapAndApplyHeader: raw)
                fp.streamId = s; fp.epoch = e; fp.frameId = q; fp.headerIndex = h; fp.payloadBytesFilled = e ^ q; fp.state = state; fp.rowsFilled = rows
                let fpd = try FrameProgressDecoder(wrapAndCheckHeader: read)
                #expect(fpd.frameId == q && fpd.payloadBytesFilled == e ^ q && fpd.state == state && fpd.rowsFilled == rows)

                let qc = try QosConsumerEncoder(wrapAndApplyHeader: raw)
                qc.streamId = s; qc.consumerId = h; qc.epoch = e; qc.lastSeqSeen = q; qc.dropsGap = e &+ 1; qc.dropsLate = q &+ 1; qc.mode = mode
                let qcd = try QosConsumerDecoder(wrapAndCheckHeader: read)
                #expect(qcd.epoch == e && qcd.lastSeqSeen == q && qcd.dropsGap == e &+ 1 && qcd.dropsLate == q &+ 1 && qcd.mode == mode)

                let wm: UInt32? = Self.randomOptional(&rng, null: UInt32.max)
                let qp = try QosProducerEncoder(wrapAndApplyHeader: raw)
                qp.streamId = s; qp.producerId = h; qp.epoch = e; qp.currentSeq = q; qp.watermark = wm
                let qpd = try QosProducerDecoder(wrapAndCheckHeader: read)
                #expect(qpd.producerId == h && qpd.currentSeq == q && qpd.watermark == wm)

                let hb = try HeartbeatEncoder(wrapAndApplyHeader: raw)
                hb.streamId = s; hb.producerId = h; hb.epoch = e; hb.timestampNs = q
                let hbd = try HeartbeatDecoder(wrapAndCheckHeader: read)
                #expect(hbd.streamId == s && hbd.producerId == h && hbd.epoch == e && hbd.timestampNs == q)

                let code = ResponseCode(rawValue: Int32.random(in: -2...6, using: &rng))
                let message = Self.randomASCII(&rng, maxLength: 40)
                var cr = try ControlResponseEncoder(wrapAndApplyHeader: raw)
                cr.correlationId = Int64(bitPattern: e); cr.code = code
                try cr.errorMessage(message)
                let crLength = try cr.finish()
                var crd = try ControlResponseDecoder(wrapAndCheckHeader: UnsafeRawBufferPointer(rebasing: read[0..<crLength]))
                let decodedMessage = try crd.errorMessageString()
                #expect(crd.correlationId == Int64(bitPattern: e) && crd.code == code && decodedMessage == message)
            }
        }
    }

    @Test func shmComposites() throws {
        var rng = SplitMix64(seed: 7)
        let slot = UnsafeMutableRawBufferPointer.allocate(byteCount: 256, alignment: 64)
        defer { slot.deallocate() }
        for _ in 0..<Self.iterations {
            let dims = (0..<8).map { _ in Int32.random(in: Int32.min...Int32.max, using: &rng) }
            let strides = (0..<8).map { _ in Int32.random(in: 0...Int32.max, using: &rng) }
            let dtype = Dtype(rawValue: Int16.random(in: -1...16, using: &rng))
            let order = MajorOrder(rawValue: Int16.random(in: 0...3, using: &rng))
            let frame = UInt64.random(in: 0...UInt64.max >> 1, using: &rng)
            let e = try TensorSlotHeader256Encoder(wrap: slot)
            e.commitWord = frame << 1; e.frameId = frame; e.dtype = dtype; e.majorOrder = order
            e.ndims = UInt8.random(in: 0...8, using: &rng); try e.setDims(dims); try e.setStrides(strides)
            let d = try TensorSlotHeader256Decoder(wrap: UnsafeRawBufferPointer(slot))
            #expect(d.commitWord == frame << 1 && d.frameId == frame && d.dtype == dtype && d.majorOrder == order && d.ndims == e.ndims)
            #expect((0..<8).map { d.dims(at: $0) } == dims && (0..<8).map { d.strides(at: $0) } == strides)

            let region = RegionType(rawValue: Int16.random(in: 0...3, using: &rng))
            let sb = try ShmRegionSuperblockEncoder(wrap: slot)
            sb.magic = frame; sb.epoch = ~frame; sb.regionType = region; sb.nslots = UInt32(truncatingIfNeeded: frame)
            sb.pid = frame >> 3; sb.activityTimestampNs = frame >> 1
            let sbd = try ShmRegionSuperblockDecoder(wrap: UnsafeRawBufferPointer(slot))
            #expect(sbd.magic == frame && sbd.epoch == ~frame && sbd.regionType == region && sbd.nslots == UInt32(truncatingIfNeeded: frame))
            #expect(sbd.pid == frame >> 3 && sbd.activityTimestampNs == frame >> 1)
        }
    }

    @Test func messagesWithGroupsAndData() throws {
        var rng = SplitMix64(seed: 1234)
        var storage = [UInt8](repeating: 0, count: 64 * 1024)
        try storage.withUnsafeMutableBytes { raw in
            for _ in 0..<Self.iterations {
                let pools = (0..<Int.random(in: 0...5, using: &rng)).map { _ in
                    (UInt16.random(in: 0...UInt16.max, using: &rng), UInt32.random(in: 0...UInt32.max, using: &rng), Self.randomASCII(&rng, maxLength: 60))
                }
                let headerUri = Self.randomASCII(&rng, maxLength: 60)
                var e = try ShmPoolAnnounceEncoder(wrapAndApplyHeader: raw)
                e.maxDims = 8
                var group = try e.payloadPoolsCount(pools.count)
                for p in pools { try group.next(); group.poolId = p.0; group.strideBytes = p.1; try group.regionUri(p.2) }
                try e.endPayloadPools(group)
                try e.headerRegionUri(headerUri)
                let length = try e.finish()
                var d = try ShmPoolAnnounceDecoder(wrapAndCheckHeader: UnsafeRawBufferPointer(rebasing: raw[0..<length]))
                var decoded: [(UInt16, UInt32, String)] = []
                var g = try d.payloadPools()
                while try g.next() { decoded.append((g.poolId, g.strideBytes, try g.regionUriString())) }
                #expect(decoded.map(\.0) == pools.map(\.0) && decoded.map(\.1) == pools.map(\.1) && decoded.map(\.2) == pools.map(\.2))
                #expect(try d.headerRegionUriString() == headerUri)

                let attributes = (0..<Int.random(in: 0...6, using: &rng)).map { _ in
                    (Self.randomASCII(&rng, maxLength: 20), Self.randomASCII(&rng, maxLength: 10),
                     (0..<Int.random(in: 0...100, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
                }
                var m = try DataSourceMetaEncoder(wrapAndApplyHeader: raw)
                m.streamId = 3
                var a = try m.attributesCount(attributes.count)
                for attribute in attributes {
                    try a.next(); try a.key(attribute.0); try a.format(attribute.1)
                    try attribute.2.withUnsafeBytes { try a.value($0) }
                }
                try m.endAttributes(a)
                let metaLength = try m.finish()
                var md = try DataSourceMetaDecoder(wrapAndCheckHeader: UnsafeRawBufferPointer(rebasing: raw[0..<metaLength]))
                var ad = try md.attributes()
                var index = 0
                while try ad.next() {
                    #expect(try ad.keyString() == attributes[index].0)
                    #expect(try ad.formatString() == attributes[index].1)
                    #expect(Array(try ad.value()) == attributes[index].2)
                    index += 1
                }
                #expect(index == attributes.count)
                #expect(try md.encodedLength() == metaLength)

                let name = Self.randomASCII(&rng, maxLength: 30)
                let summary = Self.randomASCII(&rng, maxLength: 30)
                var ann = try DataSourceAnnounceEncoder(wrapAndApplyHeader: raw)
                ann.metaVersion = 4
                try ann.name(name); try ann.summary(summary)
                let annLength = try ann.finish()
                var annd = try DataSourceAnnounceDecoder(wrapAndCheckHeader: UnsafeRawBufferPointer(rebasing: raw[0..<annLength]))
                let decodedName = try annd.nameString()
                let decodedSummary = try annd.summaryString()
                #expect(decodedName == name && decodedSummary == summary)

                let fallback = Self.randomASCII(&rng, maxLength: 50)
                var cc = try ConsumerConfigEncoder(wrapAndApplyHeader: raw)
                cc.decimation = 3
                try cc.payloadFallbackUri(fallback)
                let ccLength = try cc.finish()
                var ccd = try ConsumerConfigDecoder(wrapAndCheckHeader: UnsafeRawBufferPointer(rebasing: raw[0..<ccLength]))
                let decodedFallback = try ccd.payloadFallbackUriString()
                #expect(ccd.decimation == 3 && decodedFallback == fallback)
            }
        }
    }
}
