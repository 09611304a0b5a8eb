import Testing
@testable import TensorPool

@Suite struct CadenceTimerTests {
    func firings(_ t: inout CadenceTimer, at times: [UInt64]) -> [UInt64] {
        times.filter { t.isDue(nowNs: $0) }
    }

    @Test func firstCheckIsDueThenEveryInterval() {
        var t = CadenceTimer(intervalNs: 100)
        #expect(firings(&t, at: [5, 50, 104, 105, 150, 205, 299, 305]) == [5, 105, 205, 305])
    }

    @Test func lateChecksDoNotDrift() {
        var t = CadenceTimer(intervalNs: 100)
        #expect(firings(&t, at: [0, 130, 200, 260, 300]) == [0, 130, 200, 300])
    }

    @Test func stallFiresOnceAndReanchors() {
        var t = CadenceTimer(intervalNs: 100)
        #expect(firings(&t, at: [0, 1_000, 1_001, 1_099, 1_100]) == [0, 1_000, 1_100])
    }

    @Test func expediteAndZeroInterval() {
        var t = CadenceTimer(intervalNs: 100)
        _ = t.isDue(nowNs: 0)
        t.expedite()
        #expect(firings(&t, at: [10, 20, 110]) == [10, 110])
        var every = CadenceTimer(intervalNs: 0)
        #expect(firings(&every, at: [1, 1, 2]) == [1, 1, 2])
    }
}
