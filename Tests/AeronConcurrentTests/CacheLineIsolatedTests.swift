import Testing
import AeronConcurrent

@Suite struct CacheLineIsolatedTests {
    struct ThreeWords { var a: Int64; var b: Int32; var c: Int64 }
    struct NineWords { var words: (Int, Int, Int, Int, Int, Int, Int, Int, Int) }

    /// Small values allocated one after the other never share a 64-byte line (plain small allocations do: the
    /// allocator packs them 16 bytes apart), and each keeps its value.
    @Test func eachValueGetsWholeLinesOfItsOwn() {
        var pointers: [UnsafeMutablePointer<ThreeWords>] = []
        var counters: [UnsafeMutablePointer<Int>] = []
        for i in 0..<64 {
            pointers.append(CacheLineIsolated.allocate(ThreeWords(a: Int64(i), b: Int32(i), c: -Int64(i))))
            counters.append(CacheLineIsolated.allocate(i))
        }
        let lines = (pointers.map { UInt(bitPattern: $0) } + counters.map { UInt(bitPattern: $0) }).map { $0 / 64 }
        #expect(Set(lines).count == lines.count)
        #expect(pointers.allSatisfy { UInt(bitPattern: $0) % 64 == 0 } && counters.allSatisfy { UInt(bitPattern: $0) % 64 == 0 })
        for (i, p) in pointers.enumerated() { #expect(p.pointee.a == Int64(i) && p.pointee.c == -Int64(i)) }
        for (i, p) in counters.enumerated() { #expect(p.pointee == i) }
        pointers.forEach(CacheLineIsolated.deallocate)
        counters.forEach(CacheLineIsolated.deallocate)
    }

    /// A value larger than a line gets as many whole lines as it needs: the next allocation starts past its end.
    @Test func largerValuesSpanWholeLines() {
        let big = CacheLineIsolated.allocate(NineWords(words: (1, 2, 3, 4, 5, 6, 7, 8, 9)))
        let next = CacheLineIsolated.allocate(0)
        let bigStart = UInt(bitPattern: big), nextStart = UInt(bitPattern: next)
        #expect(nextStart >= bigStart + 128 || nextStart + 64 <= bigStart)
        #expect(big.pointee.words.8 == 9)
        CacheLineIsolated.deallocate(big)
        CacheLineIsolated.deallocate(next)
    }
}
