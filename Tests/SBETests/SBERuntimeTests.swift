import MallocCounter
import SBE
import Testing

@Suite struct SBEWireTests {
    @Test func loadsAndStoresAreLittleEndianAtAnyAlignment() {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: 32, alignment: 8)
        defer { memory.deallocate() }
        for offset in 0..<8 {
            memory.initializeMemory(as: UInt8.self, repeating: 0, count: 32)
            SBEWire.storeUInt64(memory, offset + 1, 0x0102_0304_0506_0708)
            let bytes = (0..<8).map { memory.load(fromByteOffset: offset + 1 + $0, as: UInt8.self) }
            #expect(bytes == [8, 7, 6, 5, 4, 3, 2, 1])
            #expect(SBEWire.loadUInt64(memory, offset + 1) == 0x0102_0304_0506_0708)
            SBEWire.storeInt32(memory, offset + 3, -2)
            #expect((0..<4).map { memory.load(fromByteOffset: offset + 3 + $0, as: UInt8.self) } == [0xFE, 0xFF, 0xFF, 0xFF])
            #expect(SBEWire.loadInt32(memory, offset + 3) == -2)
            SBEWire.storeUInt16(memory, offset + 1, 0xABCD)
            #expect(memory.load(fromByteOffset: offset + 1, as: UInt8.self) == 0xCD)
            #expect(SBEWire.loadUInt16(memory, offset + 1) == 0xABCD)
            SBEWire.storeInt16(memory, offset, -300)
            #expect(SBEWire.loadInt16(memory, offset) == -300)
            SBEWire.storeInt64(memory, offset + 5, Int64.min)
            #expect(SBEWire.loadInt64(memory, offset + 5) == Int64.min)
            SBEWire.storeUInt32(memory, offset + 7, 0xDEAD_BEEF)
            #expect(SBEWire.loadUInt32(memory, offset + 7) == 0xDEAD_BEEF)
            SBEWire.storeInt8(memory, offset, -1)
            #expect(SBEWire.loadInt8(memory, offset) == -1 && SBEWire.loadUInt8(memory, offset) == 0xFF)
            SBEWire.storeFloat(memory, offset + 1, 1.5)
            #expect((0..<4).map { memory.load(fromByteOffset: offset + 1 + $0, as: UInt8.self) } == [0, 0, 0xC0, 0x3F])
            #expect(SBEWire.loadFloat(memory, offset + 1) == 1.5)
            SBEWire.storeDouble(memory, offset + 3, -2.25)
            #expect(SBEWire.loadDouble(memory, offset + 3) == -2.25)
            #expect(SBEWire.loadUInt64(memory, offset + 3) == 0xC002_0000_0000_0000)
        }
    }

    @Test func boundsRejectNegativeAndShortRanges() throws {
        try SBEBounds.check(offset: 0, length: 8, capacity: 8)
        #expect(throws: SBEError.bufferTooShort(required: 9, capacity: 8)) { try SBEBounds.check(offset: 1, length: 8, capacity: 8) }
        #expect(throws: SBEError.invalidOffset(offset: -1, capacity: 8)) { try SBEBounds.check(offset: -1, length: 1, capacity: 8) }
        #expect(throws: SBEError.invalidOffset(offset: 0, capacity: -1)) { try SBEBounds.check(offset: 0, length: 0, capacity: -1) }
        #expect(throws: SBEError.bufferTooShort(required: 3, capacity: 8)) { try SBEBounds.check(offset: 4, length: -1, capacity: 8) }
        // An offset near Int.max must not wrap the end of the range round to a small value.
        #expect(throws: SBEError.bufferTooShort(required: Int.max, capacity: 8)) { try SBEBounds.check(offset: Int.max, length: 2, capacity: 8) }
        #expect(throws: SBEError.bufferTooShort(required: Int.max, capacity: 8)) { try SBEBounds.check(offset: Int.max - 3, length: 8, capacity: 8) }
    }
}

@Suite struct SBEVarDataTests {
    @Test(arguments: [SBELengthType.uint8, .uint16, .uint32])
    func writeThenReadEachPrefixWidth(prefix: SBELengthType) throws {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 8)
        defer { memory.deallocate() }
        var position = 3
        let text: [UInt8] = Array("hello".utf8)
        try text.withUnsafeBytes { bytes in
            try SBEVarData.write(memory, capacity: 64, position: &position, bytes: bytes, lengthType: prefix, maxLength: 100)
        }
        #expect(position == 3 + prefix.size + 5)
        #expect(memory.load(fromByteOffset: 3, as: UInt8.self) == 5)
        var readPosition = 3
        let view = try SBEVarData.read(UnsafeRawPointer(memory), capacity: position, position: &readPosition, lengthType: prefix, maxLength: 100)
        #expect(Array(view) == text && readPosition == position)
        #expect(view.baseAddress == UnsafeRawPointer(memory + 3 + prefix.size), "a view, not a copy")
        var short = 3
        #expect(throws: SBEError.bufferTooShort(required: position, capacity: position - 1)) {
            try SBEVarData.read(UnsafeRawPointer(memory), capacity: position - 1, position: &short, lengthType: prefix, maxLength: 100)
        }
        var limited = 3
        #expect(throws: SBEError.varDataTooLong(length: 5, maximum: 4)) {
            try SBEVarData.read(UnsafeRawPointer(memory), capacity: 64, position: &limited, lengthType: prefix, maxLength: 4)
        }
    }

    @Test func writeRejectsDataLongerThanThePrefixOrTheBuffer() {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: 400, alignment: 8)
        defer { memory.deallocate() }
        let big = [UInt8](repeating: 7, count: 300)
        var position = 0
        #expect(throws: SBEError.varDataTooLong(length: 300, maximum: 255)) {
            try big.withUnsafeBytes { try SBEVarData.write(memory, capacity: 400, position: &position, bytes: $0, lengthType: .uint8, maxLength: 1000) }
        }
        #expect(throws: SBEError.bufferTooShort(required: 302, capacity: 200)) {
            try big.withUnsafeBytes { try SBEVarData.write(memory, capacity: 200, position: &position, bytes: $0, lengthType: .uint16, maxLength: 1000) }
        }
        #expect(position == 0, "a failed write leaves the cursor unchanged")
    }

    @Test func copyChecksTheDestinationSize() throws {
        let source: [UInt8] = [1, 2, 3]
        var destination = [UInt8](repeating: 0, count: 3)
        let copied = try source.withUnsafeBytes { s in try destination.withUnsafeMutableBytes { try SBEVarData.copy(s, into: $0) } }
        #expect(copied == 3 && destination == source)
        var small = [UInt8](repeating: 0, count: 2)
        #expect(throws: SBEError.bufferTooShort(required: 3, capacity: 2)) {
            try source.withUnsafeBytes { s in try small.withUnsafeMutableBytes { try SBEVarData.copy(s, into: $0) } }
        }
    }

    @Test func readingAndWritingAllocateNothing() throws {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 8)
        defer { memory.deallocate() }
        let payload = UnsafeMutableRawBufferPointer.allocate(byteCount: 16, alignment: 1)
        defer { payload.deallocate() }
        payload.initializeMemory(as: UInt8.self, repeating: 9)
        var total = 0
        var iteration = 0
        let before = malloc_counter_thread_allocations()
        while iteration < 1000 {
            var position = 0
            try SBEVarData.write(memory, capacity: 64, position: &position, bytes: UnsafeRawBufferPointer(payload), lengthType: .uint32, maxLength: 64)
            var readPosition = 0
            total += try SBEVarData.read(UnsafeRawPointer(memory), capacity: 64, position: &readPosition, lengthType: .uint32, maxLength: 64).count
            iteration += 1
        }
        #expect(malloc_counter_thread_allocations() - before == 0)
        #expect(total == 16_000)
    }
}

@Suite struct SBETextTests {
    @Test func fixedStringsStopAtTheFirstNul() {
        let bytes: [UInt8] = [0x61, 0x62, 0, 0x63]
        bytes.withUnsafeBytes { #expect(SBEText.fixedString($0) == "ab") }
        [UInt8](repeating: 0x7A, count: 3).withUnsafeBytes { #expect(SBEText.fixedString($0) == "zzz") }
    }

    @Test func storeFixedPadsWithNulAndRejectsLongValues() throws {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 1)
        defer { memory.deallocate() }
        memory.initializeMemory(as: UInt8.self, repeating: 0xEE, count: 8)
        try [UInt8](Array("ab".utf8)).withUnsafeBytes { try SBEText.storeFixed(memory, 1, length: 4, bytes: $0) }
        #expect((0..<6).map { memory.load(fromByteOffset: $0, as: UInt8.self) } == [0xEE, 0x61, 0x62, 0, 0, 0xEE])
        #expect(throws: SBEError.valueOutOfRange) {
            try [UInt8](repeating: 1, count: 5).withUnsafeBytes { try SBEText.storeFixed(memory, 0, length: 4, bytes: $0) }
        }
    }

    @Test func asciiOnlyRejectsOtherCharacters() throws {
        let count = try SBEText.withBytes(of: "plain", asciiOnly: true) { (bytes: UnsafeRawBufferPointer) throws(SBEError) in bytes.count }
        #expect(count == 5)
        #expect(throws: SBEError.invalidCharacterEncoding) {
            try SBEText.withBytes(of: "café", asciiOnly: true) { (_: UnsafeRawBufferPointer) throws(SBEError) in 0 }
        }
        let utf8 = try SBEText.withBytes(of: "café", asciiOnly: false) { (bytes: UnsafeRawBufferPointer) throws(SBEError) in bytes.count }
        #expect(utf8 == 5)
    }

    @Test func errorsDescribeThemselves() {
        #expect(SBEError.wrongSchemaId(expected: 900, actual: 1).description == "wrong schema id 1, expected 900")
        #expect(SBEError.bufferTooShort(required: 10, capacity: 4).description == "buffer too short: need 10 bytes, have 4")
        #expect(SBEError.unknownTemplateId(99).description.contains("99"))
    }
}

@Suite struct SBESchemaModelTests {
    @Test func primitiveDefaultsFollowTheSBESpecification() {
        #expect(SBEPrimitiveType.char.defaultNullValue == "0")
        #expect(SBEPrimitiveType.int8.defaultNullValue == "-128")
        #expect(SBEPrimitiveType.uint16.defaultNullValue == "65535")
        #expect(SBEPrimitiveType.int64.defaultNullValue == "-9223372036854775808")
        #expect(SBEPrimitiveType.uint64.defaultNullValue == "18446744073709551615")
        #expect(SBEPrimitiveType.double.defaultNullValue == "NaN")
        #expect(SBEPrimitiveType.allCases.map(\.size) == [1, 1, 2, 4, 8, 1, 2, 4, 8, 4, 8])
    }

    @Test func constantTypesTakeNoSpace() {
        let constant = SBEEncodedType(name: "c", primitiveType: .uint16, presence: .constant, constantValue: "9000")
        #expect(constant.encodedLength == 0)
        #expect(SBEType.encoded(SBEEncodedType(name: "a", primitiveType: .int32, length: 8)).encodedLength == 32)
    }
}
