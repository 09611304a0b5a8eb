#if canImport(Glibc)
import Glibc
#endif

/// A received message compared with the stored bytes of an earlier one: how the roles recognise periodic re-sends
/// (announces, metadata) without decoding them or allocating.
enum MessageBytes {
    /// Whether `a` and `b` hold the same bytes.
    static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard a.count > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return true }
        return memcmp(pa, pb, a.count) == 0
    }

    /// Whether `stored` holds exactly the bytes of `received`.
    static func equal(_ stored: [UInt8], _ received: UnsafeRawBufferPointer) -> Bool {
        stored.withUnsafeBytes { equal($0, received) }
    }

    /// Whether `stored` holds the bytes of `received` except within `ignored` (a field that changes on every
    /// re-send, such as a timestamp).
    static func equal(_ stored: [UInt8], _ received: UnsafeRawBufferPointer, ignoring ignored: Range<Int>) -> Bool {
        guard stored.count == received.count else { return false }
        let lower = min(max(ignored.lowerBound, 0), received.count)
        let upper = min(max(ignored.upperBound, lower), received.count)
        return stored.withUnsafeBytes { bytes in
            equal(UnsafeRawBufferPointer(rebasing: bytes[0..<lower]), UnsafeRawBufferPointer(rebasing: received[0..<lower]))
                && equal(UnsafeRawBufferPointer(rebasing: bytes[upper...]), UnsafeRawBufferPointer(rebasing: received[upper...]))
        }
    }
}
