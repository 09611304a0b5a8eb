import SBE
import Testing

/// Everything a Car message carries, as plain values (for comparing encodes and decodes).
struct CarValues: Equatable {
    struct Fuel: Equatable { var speed: UInt16; var mpg: Float; var co2: UInt16?; var usage: String }
    struct Acceleration: Equatable { var mph: UInt16; var seconds: Float }
    struct Performance: Equatable {
        var octane: UInt8
        var accelerations: [Acceleration]
        var latitude = 1.25
        var trackCode = "TRK"
        var conditions: OptionalExtras = [.sportsPack]
        var wet: BooleanType? = nil
        var accuracy: Float? = nil
    }

    var serialNumber: UInt64 = 1234
    var modelYear: UInt16 = 2013
    var available: BooleanType = .t
    var code: Model = .a
    var someNumbers: [Int32] = [1, -2, 3, Int32.min]
    var vehicleCode = "abcdef"
    var extras: OptionalExtras = [.sunRoof, .cruiseControl]
    var engineCapacity: UInt16 = 2000
    var engineCylinders: UInt8 = 4
    var manufacturerCode = "123"
    var boostType: BoostType = .nitrous
    var horsePower: UInt8 = 200
    var latitude = 51.5072
    var longitude = -0.1276
    var accuracy: Float? = 3.5
    var region: Region? = .northAmerica
    var temperature: Float = -12.25
    var rating: Double? = 4.75
    var tirePressure: Int8 = -3
    var odometer: Int32 = 123_456
    var tripMeter: Int64? = nil
    var warranty: Int16? = 36
    var trimLetter: UInt8 = UInt8(ascii: "Z")
    var cupHolderCount: UInt8? = 6
    var owner: Model? = .d
    var fuel: [Fuel] = [
        Fuel(speed: 30, mpg: 35.9, co2: 120, usage: "Urban Cycle"),
        Fuel(speed: 55, mpg: 49.0, co2: nil, usage: "Combined Cycle"),
        Fuel(speed: 75, mpg: 40.0, co2: 99, usage: "Highway Cycle – ünïcode"),
    ]
    var performance: [Performance] = [
        Performance(octane: 95, accelerations: [.init(mph: 30, seconds: 4.0), .init(mph: 60, seconds: 7.5), .init(mph: 100, seconds: 12.2)]),
        Performance(octane: 99, accelerations: [], latitude: -3.5, trackCode: "NURBRG", conditions: [], wet: .t, accuracy: 0.5),
    ]
    var manufacturer = "Honda"
    var model = "Civic VTi"
    var activationCode: [UInt8] = [0, 1, 2, 0xFF, 0x80]
    var notes = "first owner"
}

enum CarCodec {
    static func encode(_ v: CarValues, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var car = try CarEncoder(wrapAndApplyHeader: buffer)
        car.serialNumber = v.serialNumber
        car.modelYear = v.modelYear
        car.available = v.available
        car.code = v.code
        try car.setSomeNumbers(v.someNumbers)
        try car.setVehicleCode(v.vehicleCode)
        car.extras = v.extras
        let engine = car.engine
        engine.capacity = v.engineCapacity
        engine.numCylinders = v.engineCylinders
        try engine.setManufacturerCode(v.manufacturerCode)
        engine.booster.boostType = v.boostType
        engine.booster.horsePower = v.horsePower
        car.location.latitude = v.latitude
        car.location.longitude = v.longitude
        car.location.accuracy = v.accuracy
        car.region = v.region
        car.temperature = v.temperature
        car.rating = v.rating
        car.tirePressure = v.tirePressure
        car.odometer = v.odometer
        car.tripMeter = v.tripMeter
        car.warranty = v.warranty
        car.trimLetter = v.trimLetter
        car.cupHolderCount = v.cupHolderCount ?? 0
        car.owner = v.owner
        var fuel = try car.fuelFiguresCount(v.fuel.count)
        for f in v.fuel {
            try fuel.next()
            fuel.speed = f.speed
            fuel.mpg = f.mpg
            fuel.co2 = f.co2 ?? 0
            try fuel.usageDescription(f.usage)
        }
        try car.endFuelFigures(fuel)
        var performance = try car.performanceFiguresCount(v.performance.count)
        for p in v.performance {
            try performance.next()
            performance.octaneRating = p.octane
            performance.trackLocation.latitude = p.latitude
            performance.trackLocation.longitude = 0
            performance.trackLocation.accuracy = p.accuracy
            try performance.setTrackCode(p.trackCode)
            performance.conditions = p.conditions
            performance.wet = p.wet
            var acceleration = try performance.accelerationCount(p.accelerations.count)
            for a in p.accelerations {
                try acceleration.next()
                acceleration.mph = a.mph
                acceleration.seconds = a.seconds
            }
            try performance.endAcceleration(acceleration)
        }
        try car.endPerformanceFigures(performance)
        try car.manufacturer(v.manufacturer)
        try car.model(v.model)
        try v.activationCode.withUnsafeBytes { try car.activationCode($0) }
        try car.notes(v.notes)
        return try car.finish()
    }

    static func decode(_ buffer: UnsafeRawBufferPointer) throws -> (CarValues, Int) {
        var car = try CarDecoder(wrapAndCheckHeader: buffer)
        var v = CarValues()
        v.serialNumber = car.serialNumber
        v.modelYear = car.modelYear
        v.available = car.available
        v.code = car.code
        v.someNumbers = (0..<CarDecoder.someNumbersLength).map { car.someNumbers(at: $0) }
        v.vehicleCode = car.vehicleCodeString
        v.extras = car.extras
        let engine = car.engine
        v.engineCapacity = engine.capacity
        v.engineCylinders = engine.numCylinders
        v.manufacturerCode = engine.manufacturerCodeString
        v.boostType = engine.booster.boostType
        v.horsePower = engine.booster.horsePower
        v.latitude = car.location.latitude
        v.longitude = car.location.longitude
        v.accuracy = car.location.accuracy
        v.region = car.region
        v.temperature = car.temperature
        v.rating = car.rating
        v.tirePressure = car.tirePressure
        v.odometer = car.odometer
        v.tripMeter = car.tripMeter
        v.warranty = car.warranty
        v.trimLetter = car.trimLetter
        v.cupHolderCount = car.cupHolderCount
        v.owner = car.owner
        v.fuel = []
        var fuel = try car.fuelFigures()
        while try fuel.next() {
            v.fuel.append(.init(speed: fuel.speed, mpg: fuel.mpg, co2: fuel.co2, usage: try fuel.usageDescriptionString()))
        }
        v.performance = []
        var performance = try car.performanceFigures()
        while try performance.next() {
            var p = CarValues.Performance(
                octane: performance.octaneRating, accelerations: [], latitude: performance.trackLocation.latitude,
                trackCode: performance.trackCodeString, conditions: performance.conditions, wet: performance.wet,
                accuracy: performance.trackLocation.accuracy)
            var acceleration = try performance.acceleration()
            while try acceleration.next() {
                p.accelerations.append(.init(mph: acceleration.mph, seconds: acceleration.seconds))
            }
            v.performance.append(p)
        }
        v.manufacturer = try car.manufacturerString()
        v.model = try car.modelString()
        v.activationCode = Array(try car.activationCode())
        v.notes = try car.notesString()
        return (v, try car.encodedLength())
    }
}

@Suite struct CarRoundTripTests {
    @Test func allFeaturesRoundTrip() throws {
        var storage = [UInt8](repeating: 0xEE, count: 1024)
        let values = CarValues()
        let length = try storage.withUnsafeMutableBytes { try CarCodec.encode(values, into: $0) }
        let (decoded, decodedLength) = try storage.withUnsafeBytes {
            try CarCodec.decode(UnsafeRawBufferPointer(rebasing: $0[0..<length]))
        }
        #expect(decoded.fuel[1].co2 == 0, "co2 was written as 0 for the nil entry")
        var expected = values
        expected.fuel[1].co2 = 0
        #expect(decoded == expected)
        #expect(decodedLength == length)
    }

    @Test func constantsAndStaticLayout() throws {
        var storage = [UInt8](repeating: 0, count: 512)
        try storage.withUnsafeMutableBytes { raw in
            _ = try CarCodec.encode(CarValues(), into: raw)
            let car = try CarDecoder(wrapAndCheckHeader: UnsafeRawBufferPointer(raw))
            #expect(car.discountedModel == .c)
            #expect(car.engine.maxRpm == 9000)
            #expect(car.engine.fuel == "Petrol")
            #expect(EngineDecoder.encodedLength == 2 + 1 + 3 + 2)
            #expect(CarDecoder.blockLength == 95)
            #expect(CarDecoder.minimumBlockLength == 93)
            #expect(CarDecoder.FuelFiguresDecoder.blockLength == 8)
            #expect(CarSchema.id == 77 && CarSchema.version == 1)
        }
    }

    @Test func optionalFieldsReadNilFromNullValues() throws {
        var storage = [UInt8](repeating: 0, count: 512)
        try storage.withUnsafeMutableBytes { raw in
            var values = CarValues()
            values.region = nil
            values.rating = nil
            values.tripMeter = nil
            values.warranty = nil
            values.accuracy = nil
            values.owner = nil
            _ = try CarCodec.encode(values, into: raw)
            // Null values per schema (tripMeter nullValue -1) or SBE defaults (int16 min, NaN, char 0).
            #expect(raw.loadUnaligned(fromByteOffset: 8 + CarDecoder.tripMeterOffset, as: Int64.self) == -1)
            #expect(raw.loadUnaligned(fromByteOffset: 8 + CarDecoder.warrantyOffset, as: Int16.self) == Int16.min)
            #expect(raw.loadUnaligned(fromByteOffset: 8 + CarDecoder.regionOffset, as: Int16.self) == Int16.min)
            #expect(raw[8 + CarDecoder.ownerOffset] == 0)
            let car = try CarDecoder(wrapAndCheckHeader: UnsafeRawBufferPointer(raw))
            #expect(car.region == nil && car.rating == nil && car.tripMeter == nil)
            #expect(car.warranty == nil && car.location.accuracy == nil && car.owner == nil)
        }
    }

    @Test func unknownEnumValuesAreSurfacedNotTrapped() throws {
        var storage = [UInt8](repeating: 0, count: 512)
        try storage.withUnsafeMutableBytes { raw in
            _ = try CarCodec.encode(CarValues(), into: raw)
            raw[8 + CarDecoder.codeOffset] = UInt8(ascii: "X")
            raw.storeBytes(of: Int16(77).littleEndian, toByteOffset: 8 + CarDecoder.regionOffset, as: Int16.self)
            raw[8 + CarDecoder.availableOffset] = 9
            let car = try CarDecoder(wrapAndCheckHeader: UnsafeRawBufferPointer(raw))
            #expect(car.code == .unrecognized(UInt8(ascii: "X")))
            #expect(car.code.schemaName == nil)
            #expect(car.region == .unrecognized(77))
            #expect(car.available == .unrecognized(9))
            #expect(Model(rawValue: UInt8(ascii: "B")) == .b)
            #expect(Region.northAmerica.rawValue == -1)
        }
    }

    @Test func skippedGroupsAndDataAreWrittenEmptyAndSkippedOnRead() throws {
        var storage = [UInt8](repeating: 0xAA, count: 512)
        try storage.withUnsafeMutableBytes { raw in
            var car = try CarEncoder(wrapAndApplyHeader: raw)
            car.serialNumber = 5
            try car.model("only the model")
            let length = try car.finish()
            // header 8 + block 95 + fuel header 4 + performance header 4 + manufacturer u16 0
            // + model u8 14 + text + activationCode u32 0 + notes u16 0
            #expect(length == 8 + 95 + 4 + 4 + 2 + 1 + 14 + 4 + 2)
            var decoder = try CarDecoder(wrapAndCheckHeader: UnsafeRawBufferPointer(rebasing: raw[0..<length]))
            #expect(try decoder.modelString() == "only the model")
            #expect(throws: SBEError.accessOutOfOrder) { try decoder.fuelFigures() }
            #expect(try decoder.notes().count == 0)
            #expect(try decoder.encodedLength() == length)
        }
    }

    @Test func encoderRejectsMisuse() throws {
        var storage = [UInt8](repeating: 0, count: 512)
        try storage.withUnsafeMutableBytes { raw in
            var car = try CarEncoder(wrapAndApplyHeader: raw)
            #expect(throws: SBEError.valueOutOfRange) { try car.setVehicleCode("toolong!") }
            #expect(throws: SBEError.invalidCharacterEncoding) { try car.setVehicleCode("é") }
            #expect(throws: SBEError.valueOutOfRange) { try car.setSomeNumbers([1, 2, 3, 4, 5]) }
            var fuel = try car.fuelFiguresCount(1)
            #expect(throws: SBEError.accessOutOfOrder) { try car.manufacturer("x") }
            try fuel.next()
            #expect(throws: SBEError.groupEntryOverflow(count: 1)) { try fuel.next() }
            try car.endFuelFigures(fuel)
            #expect(throws: SBEError.groupCountOutOfRange(count: 70_000, maximum: 65535)) { try car.performanceFiguresCount(70_000) }
            var performance = try car.performanceFiguresCount(2)
            try performance.next()
            #expect(throws: SBEError.groupIncomplete(written: 1, count: 2)) { try car.endPerformanceFigures(performance) }
            #expect(throws: SBEError.invalidCharacterEncoding) {
                var again = try CarEncoder(wrapAndApplyHeader: raw)
                try again.model("naïve")
            }
            let big = [UInt8](repeating: 1, count: 300)
            #expect(throws: SBEError.varDataTooLong(length: 300, maximum: 255)) {
                var again = try CarEncoder(wrapAndApplyHeader: raw)
                try big.withUnsafeBytes { try again.model($0) }
            }
        }
        var small = [UInt8](repeating: 0, count: 50)
        small.withUnsafeMutableBytes { raw in
            #expect(throws: SBEError.bufferTooShort(required: 103, capacity: 50)) { try CarEncoder(wrapAndApplyHeader: raw) }
        }
    }

    @Test func setsKeepUnknownBits() throws {
        var storage = [UInt8](repeating: 0, count: 64)
        try storage.withUnsafeMutableBytes { raw in
            let ping = try PingEncoder(wrapAndApplyHeader: raw)
            ping.flags = [.sportsPack, .heatedSeats]
            #expect(raw[8 + PingEncoder.flagsOffset] == 0b1000_0010)
            let decoder = try PingDecoder(wrapAndCheckHeader: UnsafeRawBufferPointer(raw))
            #expect(decoder.flags.contains(.heatedSeats))
            #expect(!decoder.flags.contains(.sunRoof))
        }
    }
}
