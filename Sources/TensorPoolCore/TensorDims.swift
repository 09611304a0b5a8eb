/// A fixed array of `MAX_DIMS` (8) int32 values: the `dims` or `strides` of a slot header.
///
/// Stored inline (no heap) as the wire's little-endian int32[8] image, so decoding copies the 32 bytes from
/// the codec's array view in one move and allocates nothing.
public struct TensorDims: Equatable, Sendable, CustomStringConvertible {
    @usableFromInline var storage: (Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32)

    /// All zeros.
    @inlinable public init() { storage = (0, 0, 0, 0, 0, 0, 0, 0) }

    /// The given values followed by zeros (at most 8 values are used).
    public init(_ values: [Int32]) {
        self.init()
        for (i, v) in values.prefix(RegionLayout.maxDims).enumerated() { self[i] = v }
    }

    /// Copies a wire image (little-endian int32[8], e.g. a codec's `dimsBytes`; shorter images are zero-padded).
    @inlinable
    init(wireBytes: UnsafeRawBufferPointer) {
        self.init()
        guard let source = wireBytes.baseAddress else { return }
        let count = min(wireBytes.count, 32)
        withUnsafeMutableBytes(of: &storage) { $0.baseAddress!.copyMemory(from: source, byteCount: count) }
    }

    /// Stores the wire image (little-endian int32[8], 32 bytes) at `destination`.
    @inlinable
    func storeWireImage(to destination: UnsafeMutableRawPointer) {
        #if _endian(little)
        withUnsafeBytes(of: storage) { destination.copyMemory(from: $0.baseAddress!, byteCount: 32) }
        #else
        for i in 0..<RegionLayout.maxDims {
            destination.storeBytes(of: self[i].littleEndian, toByteOffset: i * 4, as: Int32.self)
        }
        #endif
    }

    /// Stores the wire image unless `destination` already holds it. A producer that writes the same shape into a
    /// slot frame after frame then leaves the header's second cache line (dims[4...], strides) alone, so the copy a
    /// consumer on another core holds stays valid instead of crossing between the cores on every frame. The
    /// compare reads the writer's own earlier stores (one writer per ring), so it needs no ordering.
    @inlinable
    func storeWireImageIfChanged(to destination: UnsafeMutableRawPointer) {
        #if _endian(little)
        let differs = withUnsafeBytes(of: storage) { own in
            var difference: UInt64 = 0
            var i = 0
            while i < 32 {
                difference |= own.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    ^ UnsafeRawPointer(destination).loadUnaligned(fromByteOffset: i, as: UInt64.self)
                i &+= 8
            }
            return difference != 0
        }
        if differs { storeWireImage(to: destination) }
        #else
        storeWireImage(to: destination)
        #endif
    }

    // A switch over the tuple's elements, not a pointer closure: debug builds run it several times faster.
    /// The value at `index` (0 ..< 8); an index outside that range is a programming error and traps.
    @inlinable public subscript(index: Int) -> Int32 {
        get {
            switch index {
            case 0: return storage.0
            case 1: return storage.1
            case 2: return storage.2
            case 3: return storage.3
            case 4: return storage.4
            case 5: return storage.5
            case 6: return storage.6
            case 7: return storage.7
            default: preconditionFailure("dimension index out of range")
            }
        }
        set {
            switch index {
            case 0: storage.0 = newValue
            case 1: storage.1 = newValue
            case 2: storage.2 = newValue
            case 3: storage.3 = newValue
            case 4: storage.4 = newValue
            case 5: storage.5 = newValue
            case 6: storage.6 = newValue
            case 7: storage.7 = newValue
            default: preconditionFailure("dimension index out of range")
            }
        }
    }

    /// Compares all 8 entries, including those past `ndims` (headers zero them).
    @inlinable public static func == (lhs: TensorDims, rhs: TensorDims) -> Bool {
        lhs.storage.0 == rhs.storage.0 && lhs.storage.1 == rhs.storage.1 && lhs.storage.2 == rhs.storage.2
            && lhs.storage.3 == rhs.storage.3 && lhs.storage.4 == rhs.storage.4 && lhs.storage.5 == rhs.storage.5
            && lhs.storage.6 == rhs.storage.6 && lhs.storage.7 == rhs.storage.7
    }

    /// The first `count` values as an array (diagnostics; allocates).
    public func prefix(_ count: Int) -> [Int32] { (0..<max(0, min(count, 8))).map { self[$0] } }

    /// All 8 entries, e.g. `[640, 480, 3, 0, 0, 0, 0, 0]`, for diagnostics (allocates).
    public var description: String { "\(prefix(8))" }
}

#if _endian(big)
#error("TensorPoolCore copies little-endian wire images: big-endian hosts are out of scope in v1.1 (spec §15.1)")
#endif
