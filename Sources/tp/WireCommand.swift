import ArgumentParser
import Foundation
import SBE
import TensorPoolCodecs

/// `tp wire`: decode SBE messages of the tensor-pool schema to JSON lines and encode them back.
struct WireCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wire",
        abstract: "Decode/encode tensor-pool SBE messages (schema id 900) as JSON lines.",
        subcommands: [WireDecodeCommand.self, WireEncodeCommand.self, WireBenchCommand.self])
}

/// Shared helpers of the wire subcommands.
enum WireIO {
    static func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("tp wire: \(message)\n".utf8))
        return ExitCode.failure
    }

    static func shmType(_ name: String?) throws -> SBEMessage? {
        guard let name else { return nil }
        guard let message = TensorPoolSchema.model.message(named: name) else {
            throw fail(WireError.unknownType(name).description)
        }
        return message
    }

    /// Hex text to bytes; whitespace and `0x` prefixes are ignored. Nil when not hex.
    static func parseHex(_ data: Data) -> [UInt8]? {
        var digits: [UInt8] = []
        var previous: UInt8 = 0
        for byte in data {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t") {
                previous = byte
                continue
            }
            if (byte == UInt8(ascii: "x") || byte == UInt8(ascii: "X")), previous == UInt8(ascii: "0"), let last = digits.last, last == 0 {
                digits.removeLast()
                previous = byte
                continue
            }
            guard let value = hexValue(byte) else { return nil }
            digits.append(value)
            previous = byte
        }
        guard digits.count % 2 == 0 else { return nil }
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

struct WireDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Read messages (each with its 8-byte SBE header, back to back) from stdin; print one JSON object per line.")

    @Flag(name: .long, help: "Input is hex text.") var hex = false
    @Flag(name: .long, help: "Input is raw bytes.") var raw = false
    @Option(name: .long, help: "Decode header-less SHM composites of this message type (ShmRegionSuperblock, TensorSlotHeader256).")
    var type: String?

    func run() throws {
        guard !(hex && raw) else { throw WireIO.fail("--hex and --raw are exclusive") }
        let input = FileHandle.standardInput.readDataToEndOfFile()
        let bytes: [UInt8]
        if raw {
            bytes = Array(input)
        } else if let parsed = WireIO.parseHex(input) {
            bytes = parsed
        } else if hex {
            throw WireIO.fail("invalid input: not hex text (odd number of digits or a non-hex character)")
        } else {
            bytes = Array(input)
        }
        guard !bytes.isEmpty else { throw WireIO.fail("invalid input: no bytes on stdin") }
        let shmType = try WireIO.shmType(type)
        let decoder = WireDecoder(schema: TensorPoolSchema.model, bytes: bytes)
        var offset = 0
        var output = ""
        while offset < bytes.count {
            do {
                let (json, length) = try shmType.map { message throws(WireError) in
                    try decoder.decodeBlockOnly(message, at: offset)
                } ?? decoder.decodeMessage(at: offset)
                output += json.text + "\n"
                offset += length
            } catch {
                FileHandle.standardOutput.write(Data(output.utf8))
                throw WireIO.fail("message at byte offset \(offset): \(error)")
            }
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}

struct WireEncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Read JSON objects (one per line, as printed by decode) from stdin; print each message as a hex line.")

    @Option(name: .long, help: "Encode header-less SHM composites of this message type (ShmRegionSuperblock, TensorSlotHeader256).")
    var type: String?

    func run() throws {
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        let shmType = try WireIO.shmType(type)
        var output = ""
        for (number, line) in input.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            do {
                let json = try WireJSON.parse(text)
                var encoder = WireEncoder(schema: TensorPoolSchema.model)
                if let shmType {
                    try encoder.encodeBlockOnly(json, as: shmType)
                } else {
                    try encoder.encodeMessage(json)
                }
                output += WireIO.hex(encoder.bytes) + "\n"
            } catch {
                FileHandle.standardOutput.write(Data(output.utf8))
                throw WireIO.fail("line \(number + 1): \(error)")
            }
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}
