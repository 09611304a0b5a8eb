import Testing
import SharedMemory
@testable import AeronConcurrent

@Suite struct TermAppenderReaderTests {
    static let termLength = 64 * 1024
    let region = TestRegion(length: 3 * termLength + LogBufferDescriptor.logMetaDataLength)
    var metadata: AtomicBuffer { region.buffer.slice(offset: 3 * Self.termLength, length: LogBufferDescriptor.logMetaDataLength) }
    func term(_ i: Int) -> AtomicBuffer { region.buffer.slice(offset: i * Self.termLength, length: Self.termLength) }

    func initialise(initialTermId: Int32 = 100) {
        LogBufferDescriptor.initialiseTailWithTermId(metadata, index: 0, termId: initialTermId)
        LogBufferDescriptor.initialiseTailWithTermId(metadata, index: 1, termId: initialTermId - 2)
        LogBufferDescriptor.initialiseTailWithTermId(metadata, index: 2, termId: initialTermId - 1)
    }

    func readAll(_ term: AtomicBuffer, from offset: Int = 0) -> (messages: [(UInt8, [UInt8])], offset: Int) {
        var header = Header(buffer: term, initialTermId: 100, positionBitsToShift: 16)
        var out: [(UInt8, [UInt8])] = []
        let r = TermReader.read(term, termOffset: offset, fragmentsLimit: .max, header: &header) { payload, h in out.append((h.flags, Array(payload))) }
        return (out, r.offset)
    }

    @Test func unfragmentedAppendThenRead() {
        initialise()
        let appender = TermAppender(termBuffer: term(0), metadata: metadata, partitionIndex: 0)
        let writer = HeaderWriter(sessionId: 7, streamId: 9)
        let a: [UInt8] = [1, 2, 3], b: [UInt8] = [4, 5]
        let r = a.withUnsafeBytes { ra in b.withUnsafeBytes { rb in appender.appendUnfragmented(header: writer, ra, rb) } }
        #expect(r.termId == 100 && r.resultingOffset == 64)
        let (messages, offset) = readAll(term(0))
        #expect(offset == 64)
        #expect(messages.count == 1 && messages[0].1 == [1, 2, 3, 4, 5] && messages[0].0 == 0xC0)
        #expect(term(0).int32(at: DataFrameHeader.sessionIdOffset) == 7)
        #expect(term(0).int32(at: DataFrameHeader.streamIdOffset) == 9)
        #expect(term(0).int32(at: DataFrameHeader.termIdOffset) == 100)
        #expect(term(0).int16(at: DataFrameHeader.typeOffset) == DataFrameHeader.typeData)
    }

    @Test func fragmentedAppendHasBeginMiddleEnd() {
        initialise()
        let appender = TermAppender(termBuffer: term(0), metadata: metadata, partitionIndex: 0)
        let writer = HeaderWriter(sessionId: 7, streamId: 9)
        let message = (0..<250).map { UInt8($0) }
        let r = message.withUnsafeBytes { appender.appendFragmented(header: writer, $0, UnsafeRawBufferPointer(start: nil, count: 0), maxPayloadLength: 100) }
        #expect(r.resultingOffset == DataFrameHeader.fragmentedFrameLength(250, maxPayloadLength: 100))
        let (messages, _) = readAll(term(0))
        #expect(messages.map(\.0) == [0x80, 0x00, 0x40])
        #expect(messages.flatMap(\.1) == message)
    }

    @Test func endOfTermWritesPaddingAndTrips() {
        initialise()
        let appender = TermAppender(termBuffer: term(0), metadata: metadata, partitionIndex: 0)
        let writer = HeaderWriter(sessionId: 7, streamId: 9)
        let body = [UInt8](repeating: 9, count: 1000) // 1056 aligned
        var appended = 0
        while true {
            let r = body.withUnsafeBytes { appender.appendUnfragmented(header: writer, $0, UnsafeRawBufferPointer(start: nil, count: 0)) }
            if r.resultingOffset == TermAppender.tripped { break }
            appended += 1
        }
        #expect(appended == Self.termLength / 1056)
        let padOffset = appended * 1056
        #expect(term(0).int16(at: padOffset + DataFrameHeader.typeOffset) == DataFrameHeader.typePadding)
        #expect(Int(term(0).int32(at: padOffset)) == Self.termLength - padOffset)
        let (messages, offset) = readAll(term(0))
        #expect(messages.count == appended)
        #expect(offset == Self.termLength)
        // Rotation moves the active term to partition 1 with term id 101.
        #expect(LogBufferDescriptor.rotateLog(metadata, termCount: 0, termId: 100))
        #expect(LogBufferDescriptor.activeTermCount(metadata) == 1)
        #expect(LogBufferDescriptor.termId(rawTail: LogBufferDescriptor.rawTailVolatile(metadata, 1)) == 101)
        // A second rotation attempt for the same term is a no-op.
        #expect(!LogBufferDescriptor.rotateLog(metadata, termCount: 0, termId: 100))
    }

    @Test func exclusiveAppenderAndClaim() {
        initialise()
        let appender = ExclusiveTermAppender(termBuffer: term(0), metadata: metadata, partitionIndex: 0)
        let writer = HeaderWriter(sessionId: 1, streamId: 2)
        let next = appender.claim(termId: 100, termOffset: 0, header: writer, length: 10)
        #expect(next == 64)
        #expect(readAll(term(0)).messages.isEmpty) // not committed: invisible
        DataFrameHeader.setFrameLengthOrdered(term(0), 0, 42)
        #expect(readAll(term(0)).messages.count == 1)
        #expect(LogBufferDescriptor.rawTailVolatile(metadata, 0) == LogBufferDescriptor.packTail(termId: 100, termOffset: 64))
    }

    @Test func readerStopsAtCorruptFrameLength() {
        term(0).setInt32(5, at: 0) // shorter than a header
        #expect(readAll(term(0)).messages.isEmpty)
        term(0).setInt32(Int32(Self.termLength + 64), at: 0) // beyond the term
        #expect(readAll(term(0)).messages.isEmpty)
    }

    @Test func positionsAndCleaner() {
        #expect(LogBufferDescriptor.computePosition(termId: 102, termOffset: 64, positionBitsToShift: 16, initialTermId: 100) == 2 * 65536 + 64)
        #expect(LogBufferDescriptor.computeTermId(position: 2 * 65536 + 64, positionBitsToShift: 16, initialTermId: 100) == 102)
        #expect(LogBufferDescriptor.indexByPosition(4 * 65536, positionBitsToShift: 16) == 1)
        #expect(LogBufferDescriptor.termOffset(rawTail: LogBufferDescriptor.packTail(termId: 1, termOffset: 70_000), termLength: 65536) == 65536)
        #expect(LogBufferDescriptor.computeLogLength(termLength: 65536, filePageSize: 4096) == 200_704)
        #expect(throws: LogBufferError.invalidTermLength(1000)) { try LogBufferDescriptor.checkTermLength(1000) }
        term(0).fill(0xFF, at: 0, count: 128)
        TermCleaner.clean(term(0), offset: 0, length: 128)
        #expect(term(0).bytes(at: 0, count: 128).allSatisfy { $0 == 0 })
    }

    @Test func logBuffersMapAndValidate() throws {
        let path = "/dev/shm/tp-logbuffers-test-\(UInt32.random(in: 0...UInt32.max))"
        defer { unlinkFile(path) }
        let created = try LogBuffers(creating: path, termLength: 65536)
        created.initialiseMetadata(correlationId: 4, initialTermId: -5, mtu: 1408, sessionId: 3, streamId: 1001)
        let mapped = try LogBuffers(path: path)
        #expect(mapped.termLength == 65536)
        #expect(LogBufferDescriptor.initialTermId(mapped.metadata) == -5)
        #expect(LogBufferDescriptor.mtuLength(mapped.metadata) == 1408)
        #expect(mapped.metadata.uint8(at: LogBufferDescriptor.defaultFrameHeaderOffset + DataFrameHeader.flagsOffset) == 0xC0)
        mapped.metadata.setInt32(1000, at: LogBufferDescriptor.termLengthOffset)
        #expect(throws: LogBufferError.self) { try LogBuffers(path: path) }
    }
}

#if canImport(Glibc)
import Glibc
#endif
func unlinkFile(_ path: String) { unlink(path) }
