import Foundation
import SBE

/// Checks and normalises numeric literals from a schema (null values, constants, enum values).
enum PrimitiveLiteral {
    /// Returns `text` normalised (trimmed, hex expanded to decimal) when it is a valid value of `type`.
    static func normalise(_ text: String, as type: SBEPrimitiveType, context: String, line: Int?) throws(SchemaError) -> String {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        switch type {
        case .float, .double:
            if value == "NaN" || value == "nan" { return "NaN" }
            guard let parsed = Double(value), parsed.isFinite else {
                throw SchemaError("\(context): '\(text)' is not a valid \(type.rawValue)", line: line)
            }
            return String(parsed)
        case .char:
            // A char literal is a single character or a number 0...255.
            if let number = UInt8(value) { return String(number) }
            let scalars = Array(value.unicodeScalars)
            guard scalars.count == 1, scalars[0].isASCII else {
                throw SchemaError("\(context): '\(text)' is not a valid char", line: line)
            }
            return String(scalars[0].value)
        default:
            guard let big = parseInteger(value) else {
                throw SchemaError("\(context): '\(text)' is not an integer", line: line)
            }
            guard fits(big, type) else {
                throw SchemaError("\(context): \(text) does not fit \(type.rawValue)", line: line)
            }
            return big.text
        }
    }

    struct Integer {
        var negative: Bool
        var magnitude: UInt64
        var text: String { negative && magnitude != 0 ? "-\(magnitude)" : "\(magnitude)" }
    }

    static func parseInteger(_ text: String) -> Integer? {
        var body = Substring(text)
        var negative = false
        if body.hasPrefix("-") { negative = true; body = body.dropFirst() } else if body.hasPrefix("+") { body = body.dropFirst() }
        if body.hasPrefix("0x") || body.hasPrefix("0X") {
            guard let v = UInt64(body.dropFirst(2), radix: 16) else { return nil }
            return Integer(negative: negative, magnitude: v)
        }
        guard let v = UInt64(body) else { return nil }
        return Integer(negative: negative, magnitude: v)
    }

    static func fits(_ value: Integer, _ type: SBEPrimitiveType) -> Bool {
        let (minMagnitude, max): (UInt64, UInt64)
        switch type {
        case .int8: (minMagnitude, max) = (128, 127)
        case .int16: (minMagnitude, max) = (32768, 32767)
        case .int32: (minMagnitude, max) = (2_147_483_648, 2_147_483_647)
        case .int64: (minMagnitude, max) = (9_223_372_036_854_775_808, 9_223_372_036_854_775_807)
        case .uint8, .char: (minMagnitude, max) = (0, 255)
        case .uint16: (minMagnitude, max) = (0, 65535)
        case .uint32: (minMagnitude, max) = (0, 4_294_967_295)
        case .uint64: (minMagnitude, max) = (0, UInt64.max)
        case .float, .double: return true
        }
        return value.negative ? value.magnitude <= minMagnitude : value.magnitude <= max
    }

    /// Integer value as Int64 (for enum values); nil when out of Int64 range.
    static func int64(_ text: String) -> Int64? {
        guard let v = parseInteger(text) else { return nil }
        if v.negative {
            if v.magnitude == 9_223_372_036_854_775_808 { return Int64.min }
            guard v.magnitude <= UInt64(Int64.max) else { return nil }
            return -Int64(v.magnitude)
        }
        guard v.magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(v.magnitude)
    }
}
