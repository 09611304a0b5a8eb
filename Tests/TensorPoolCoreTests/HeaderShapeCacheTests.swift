import SharedMemory
import Testing
@testable import TensorPoolCore

/// The cached validation must give exactly the uncached verdict, whatever the previous header left in the cache.
@Suite struct HeaderShapeCacheTests {
    @Test func cachedVerdictEqualsUncachedForEveryOrderOfHeaders() {
        var headers: [TensorSlotHeader] = []
        for (_, mutate, _) in HeaderValidationTests.cases {
            var header = HeaderValidationTests.base()
            mutate(&header)
            headers.append(header)
        }
        // Same shape as the base, but values_len, slot or pool make it invalid: a cached extent must not hide them.
        var shorter = HeaderValidationTests.base()
        shorter.valuesLenBytes = 95
        var wrongSlot = HeaderValidationTests.base()
        wrongSlot.payloadSlot = 1
        var beyondStride = HeaderValidationTests.base()
        beyondStride.payloadOffset = 4050
        headers += [shorter, wrongSlot, beyondStride]
        // A shape that differs from a cached one only in a dimension beyond ndims or in one stride bit.
        var extraDim = HeaderValidationTests.base()
        extraDim.dims = TensorDims([4, 6, 7])
        var stride = HeaderValidationTests.base()
        stride.strides = TensorDims([24, 5])
        headers += [extraDim, stride]

        var cache = HeaderShapeCache()
        for previous in headers {
            for header in headers {
                for pool in [4096, nil] as [Int?] {
                    _ = previous.validate(headerIndex: 2, poolStrideBytes: 4096, cache: &cache)
                    let cached = header.validate(headerIndex: 2, poolStrideBytes: pool, cache: &cache)
                    let again = header.validate(headerIndex: 2, poolStrideBytes: pool, cache: &cache)
                    let uncached = header.validate(headerIndex: 2, poolStrideBytes: pool)
                    #expect(cached == uncached && again == uncached)
                }
            }
        }
    }

    @Test func aCacheHitStillChecksValuesLenSlotAndPool() {
        var cache = HeaderShapeCache()
        let base = HeaderValidationTests.base()
        #expect(base.validate(headerIndex: 2, poolStrideBytes: 4096, cache: &cache) == nil)
        var header = base
        header.valuesLenBytes = 95
        #expect(header.validate(headerIndex: 2, poolStrideBytes: 4096, cache: &cache)
            == .extentExceedsValuesLen(extent: 96, valuesLenBytes: 95))
        #expect(base.validate(headerIndex: 3, poolStrideBytes: 4096, cache: &cache) == .payloadSlotMismatch(payloadSlot: 2, headerIndex: 3))
        #expect(base.validate(headerIndex: 2, poolStrideBytes: nil, cache: &cache) == .unknownPool(1))
        #expect(base.validate(headerIndex: 2, poolStrideBytes: 64, cache: &cache) == .valuesLenExceedsStride(end: 96, strideBytes: 64))
    }
}
