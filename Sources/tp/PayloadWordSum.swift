/// The wrapping 64-bit sum of a payload's 8-byte words (a trailing partial word is ignored): the read workload of
/// the bench consumers, the same as the C prototype's `read=full` consumer.
///
/// gcc -O2 vectorizes the C loop into two 16-byte loads and `paddq`s per 32 bytes. A scalar Swift loop issues
/// twice the loads, which made our bench consumer, not the transport, the bottleneck at 64 KiB; accumulating in
/// `SIMD2<UInt64>` gives the same instruction mix as the C loop.
enum PayloadWordSum {
    @inline(__always)
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        guard let base = bytes.baseAddress else { return 0 }
        let end = bytes.count & ~7
        var low = SIMD2<UInt64>(), high = SIMD2<UInt64>()
        var offset = 0
        while offset &+ 32 <= end {
            low &+= base.loadUnaligned(fromByteOffset: offset, as: SIMD2<UInt64>.self)
            high &+= base.loadUnaligned(fromByteOffset: offset &+ 16, as: SIMD2<UInt64>.self)
            offset &+= 32
        }
        var total = (low &+ high).wrappedSum()
        while offset < end {
            total &+= base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            offset &+= 8
        }
        return total
    }
}
