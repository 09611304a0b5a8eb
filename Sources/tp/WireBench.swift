import ArgumentParser
import Foundation
import TensorPoolCodecs

/// `tp wire bench`: ns/op of the generated codecs on the hot-path messages (build with -c release).
struct WireBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Print encode/decode cost (ns/op) of FrameDescriptor and TensorSlotHeader256 codecs.")

    @Option(name: .long, help: "Operations per measurement.") var iterations = 20_000_000
    @Option(name: .long, help: "Measurements; the best is reported.") var rounds = 5

    /// Messages are spread over 64 slots so loads and stores cannot be hoisted out of the loop.
    static let slots = 64
    static let stride = 256

    func run() throws {
        let capacity = Self.slots * Self.stride
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: capacity)
        var sink: UInt64 = 0
        let cases: [(String, (UnsafeMutableRawPointer, Int, Int) throws -> UInt64)] = [
            ("FrameDescriptor encode (with header)", Self.encodeFrameDescriptor),
            ("FrameDescriptor decode (header checked)", Self.decodeFrameDescriptor),
            ("TensorSlotHeader256 encode (all fields)", Self.encodeSlotHeader),
            ("TensorSlotHeader256 decode (all fields)", Self.decodeSlotHeader),
        ]
        print("tp wire bench: \(iterations) ops x \(rounds) rounds, best round reported")
        for (name, body) in cases {
            sink &+= try body(buffer, capacity, 100_000)
            var best = Double.infinity
            for _ in 0..<rounds {
                let start = DispatchTime.now().uptimeNanoseconds
                sink &+= try body(buffer, capacity, iterations)
                let elapsed = DispatchTime.now().uptimeNanoseconds - start
                best = min(best, Double(elapsed) / Double(iterations))
            }
            let padded = name.padding(toLength: 42, withPad: " ", startingAt: 0)
            print(padded + String(format: "%8.2f ns/op", best))
        }
        print("(checksum \(sink & 0xFFFF))")
    }

    @inline(never)
    static func encodeFrameDescriptor(_ buffer: UnsafeMutableRawPointer, _ capacity: Int, _ count: Int) throws -> UInt64 {
        for i in 0..<count {
            let e = try FrameDescriptorEncoder(wrapAndApplyHeader: buffer, offset: (i & (slots - 1)) * stride, capacity: capacity)
            let seq = UInt64(truncatingIfNeeded: i)
            e.streamId = 1; e.epoch = 7; e.seq = seq; e.headerIndex = UInt32(truncatingIfNeeded: i & 1023)
            e.timestampNs = seq; e.metaVersion = nil
        }
        return 0
    }

    @inline(never)
    static func decodeFrameDescriptor(_ buffer: UnsafeMutableRawPointer, _ capacity: Int, _ count: Int) throws -> UInt64 {
        var sum: UInt64 = 0
        for i in 0..<count {
            let d = try FrameDescriptorDecoder(wrapAndCheckHeader: UnsafeRawPointer(buffer), offset: (i & (slots - 1)) * stride, capacity: capacity)
            sum &+= d.seq &+ d.epoch &+ UInt64(d.streamId) &+ UInt64(d.headerIndex) &+ (d.timestampNs ?? 1) &+ UInt64(d.metaVersion ?? 2)
        }
        return sum
    }

    @inline(never)
    static func encodeSlotHeader(_ buffer: UnsafeMutableRawPointer, _ capacity: Int, _ count: Int) throws -> UInt64 {
        for i in 0..<count {
            let e = try TensorSlotHeader256Encoder(wrap: buffer, offset: (i & (slots - 1)) * stride, capacity: capacity)
            let frame = UInt64(truncatingIfNeeded: i)
            e.commitWord = frame << 1 | 1; e.frameId = frame; e.timestampNs = frame; e.metaVersion = 1
            e.valuesLenBytes = 921_600; e.payloadSlot = UInt32(truncatingIfNeeded: i & 1023); e.payloadOffset = 0; e.poolId = 1
            e.dtype = .uint8; e.majorOrder = .row; e.ndims = 3; e.padAlign = 0
            e.setDims(at: 0, 480); e.setDims(at: 1, 640); e.setDims(at: 2, 3)
            e.setStrides(at: 0, 1920); e.setStrides(at: 1, 3); e.setStrides(at: 2, 1)
            e.commitWord = frame << 1
        }
        return 0
    }

    @inline(never)
    static func decodeSlotHeader(_ buffer: UnsafeMutableRawPointer, _ capacity: Int, _ count: Int) throws -> UInt64 {
        var sum: UInt64 = 0
        for i in 0..<count {
            let d = try TensorSlotHeader256Decoder(wrap: UnsafeRawPointer(buffer), offset: (i & (slots - 1)) * stride, capacity: capacity)
            sum &+= d.commitWord &+ d.frameId &+ d.timestampNs &+ UInt64(d.metaVersion) &+ UInt64(d.valuesLenBytes)
            sum &+= UInt64(d.payloadSlot) &+ UInt64(d.payloadOffset) &+ UInt64(d.poolId) &+ UInt64(d.ndims)
            sum &+= UInt64(bitPattern: Int64(d.dtype.rawValue)) &+ UInt64(bitPattern: Int64(d.majorOrder.rawValue))
            for k in 0..<3 { sum &+= UInt64(bitPattern: Int64(d.dims(at: k)) &+ Int64(d.strides(at: k))) }
        }
        return sum
    }
}
