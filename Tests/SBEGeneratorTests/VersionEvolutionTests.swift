import SBE
import Testing

/// Version 1 and version 0 codecs of the Car schema exchanging messages in both directions.
@Suite struct VersionEvolutionTests {
    @Test func version1MessageReadByVersion0Decoder() throws {
        var storage = [UInt8](repeating: 0, count: 1024)
        let values = CarValues()
        let length = try storage.withUnsafeMutableBytes { try CarCodec.encode(values, into: $0) }
        try storage.withUnsafeBytes { all in
            let raw = UnsafeRawBufferPointer(rebasing: all[0..<length])
            var car = try V0CarDecoder(wrapAndCheckHeader: raw)
            #expect(car.sbeActingVersion == 1)
            #expect(car.sbeActingBlockLength == 95, "the newer, longer block is skipped by its length")
            #expect(V0CarDecoder.blockLength == 93)
            #expect(car.serialNumber == values.serialNumber)
            #expect(car.trimLetter == values.trimLetter)
            #expect(car.engine.booster.horsePower == values.horsePower)
            // Model.D is new in version 1: the old decoder surfaces it as unrecognized.
            #expect(car.code == .a)
            var fuel = try car.fuelFigures()
            #expect(fuel.sbeActingBlockLength == 8, "group entries carry the v1 co2 field")
            var usages: [String] = []
            while try fuel.next() { usages.append(try fuel.usageDescriptionString()) }
            #expect(usages == values.fuel.map(\.usage))
            var performance = try car.performanceFigures()
            var octanes: [UInt8] = []
            while try performance.next() { octanes.append(performance.octaneRating) }
            #expect(octanes == values.performance.map(\.octane))
            #expect(try car.manufacturerString() == values.manufacturer)
            #expect(try car.modelString() == values.model)
            #expect(Array(try car.activationCode()) == values.activationCode)
            // The v1 trailing `notes` data is unknown to v0 and simply not read.
            #expect(try car.encodedLength() == length - 2 - values.notes.utf8.count)
        }
    }

    @Test func version0MessageReadByVersion1Decoder() throws {
        var storage = [UInt8](repeating: 0, count: 1024)
        let length = try storage.withUnsafeMutableBytes { raw in
            var car = try V0CarEncoder(wrapAndApplyHeader: raw)
            car.serialNumber = 99
            car.code = .b
            car.trimLetter = UInt8(ascii: "Q")
            var fuel = try car.fuelFiguresCount(1)
            try fuel.next()
            fuel.speed = 10
            fuel.mpg = 1.5
            try fuel.usageDescription("old")
            try car.endFuelFigures(fuel)
            try car.manufacturer("Old Motors")
            try car.model("T")
            return try car.finish()
        }
        try storage.withUnsafeBytes { all in
            let raw = UnsafeRawBufferPointer(rebasing: all[0..<length])
            var car = try CarDecoder(wrapAndCheckHeader: raw)
            #expect(car.sbeActingVersion == 0)
            #expect(car.sbeActingBlockLength == 93)
            #expect(car.serialNumber == 99)
            #expect(car.code == .b)
            #expect(car.trimLetter == UInt8(ascii: "Q"))
            #expect(car.cupHolderCount == nil, "a field newer than the acting version reads as nil")
            #expect(car.owner == nil)
            var fuel = try car.fuelFigures()
            #expect(try fuel.next())
            #expect(fuel.speed == 10 && fuel.mpg == 1.5)
            #expect(fuel.co2 == nil, "group field newer than the acting version")
            #expect(try fuel.usageDescriptionString() == "old")
            #expect(try !fuel.next())
            #expect(try car.manufacturerString() == "Old Motors")
            #expect(try car.modelString() == "T")
            #expect(try car.activationCode().isEmpty)
            #expect(try car.notes().isEmpty, "var data newer than the acting version is absent")
            #expect(try car.encodedLength() == length)
        }
    }

    @Test func trailingGroupOfNewerVersionIsIgnoredByOlderDecoder() throws {
        var storage = [UInt8](repeating: 0, count: 256)
        let length = try storage.withUnsafeMutableBytes { raw in
            var ping = try PingEncoder(wrapAndApplyHeader: raw)
            ping.sequence = 7
            ping.signedSmall = -5
            var history = try ping.serviceHistoryCount(2)
            try history.next()
            history.mileage = 1000
            try history.setDealerCode("DLR1")
            try history.next()
            history.mileage = 2000
            try ping.endServiceHistory(history)
            return try ping.finish()
        }
        #expect(length == 8 + 16 + 2 + 2 * 10)
        try storage.withUnsafeBytes { all in
            let raw = UnsafeRawBufferPointer(rebasing: all[0..<length])
            let old = try V0PingDecoder(wrapAndCheckHeader: raw)
            #expect(old.sequence == 7 && old.signedSmall == -5)
            var new = try PingDecoder(wrapAndCheckHeader: raw)
            var history = try new.serviceHistory()
            #expect(history.count == 2)
            #expect(try history.next())
            #expect(history.mileage == 1000 && history.dealerCodeString == "DLR1")
            #expect(try history.next())
            #expect(history.mileage == 2000)
        }
        // And the other way: a v0 Ping has no serviceHistory; the v1 decoder sees an empty group.
        let oldLength = try storage.withUnsafeMutableBytes { raw in
            let ping = try V0PingEncoder(wrapAndApplyHeader: raw)
            ping.sequence = 8
            return ping.encodedLength
        }
        try storage.withUnsafeBytes { all in
            var new = try PingDecoder(wrapAndCheckHeader: UnsafeRawBufferPointer(rebasing: all[0..<oldLength]))
            #expect(new.sequence == 8)
            var history = try new.serviceHistory()
            #expect(history.count == 0)
            #expect(try !history.next())
        }
    }

    @Test func version0ReadsUnknownEnumAndSetBitsOfVersion1() throws {
        var storage = [UInt8](repeating: 0, count: 1024)
        var values = CarValues()
        values.code = .d
        values.extras = [.heatedSeats, .sunRoof]
        let length = try storage.withUnsafeMutableBytes { try CarCodec.encode(values, into: $0) }
        try storage.withUnsafeBytes { all in
            let car = try V0CarDecoder(wrapAndCheckHeader: UnsafeRawBufferPointer(rebasing: all[0..<length]))
            #expect(car.code == .unrecognized(UInt8(ascii: "D")))
            #expect(car.extras.contains(.sunRoof))
            #expect(car.extras.rawValue == 0b1000_0001, "unknown bits are kept, not dropped")
        }
    }

    @Test func wrongSchemaIdAndTemplateAreRejected() throws {
        var storage = [UInt8](repeating: 0, count: 64)
        try storage.withUnsafeMutableBytes { raw in
            _ = try PingEncoder(wrapAndApplyHeader: raw)
            #expect(throws: SBEError.wrongTemplateId(expected: 1, actual: 2)) {
                try CarDecoder(wrapAndCheckHeader: UnsafeRawBufferPointer(raw))
            }
            raw.storeBytes(of: UInt16(78).littleEndian, toByteOffset: 4, as: UInt16.self)
            #expect(throws: SBEError.wrongSchemaId(expected: 77, actual: 78)) {
                try PingDecoder(wrapAndCheckHeader: UnsafeRawBufferPointer(raw))
            }
            raw.storeBytes(of: UInt16(77).littleEndian, toByteOffset: 4, as: UInt16.self)
            raw.storeBytes(of: UInt16(6).littleEndian, toByteOffset: 0, as: UInt16.self)
            #expect(throws: SBEError.blockLengthTooSmall(minimum: 8, actual: 6)) {
                try PingDecoder(wrapAndCheckHeader: UnsafeRawBufferPointer(raw))
            }
        }
    }
}
