import Testing
@testable import TensorPool

@Suite struct SlotReadValidatorTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var seq: UInt64
        var index: UInt32
        var before: UInt64
        var after: UInt64
        var frameId: UInt64
        var valid = true
        var expected: SlotReadOutcome
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "committed", seq: 5, index: 5, before: 10, after: 10, frameId: 5, expected: .accepted),
        Case(name: "odd first read", seq: 5, index: 5, before: 11, after: 11, frameId: 5, expected: .dropped(.notCommitted)),
        Case(name: "changed between reads", seq: 5, index: 5, before: 10, after: 43, frameId: 5, expected: .dropped(.torn)),
        Case(name: "changed to even", seq: 5, index: 5, before: 10, after: 42, frameId: 5, expected: .dropped(.torn)),
        Case(name: "overwritten by newer frame", seq: 5, index: 5, before: 42, after: 42, frameId: 21, expected: .dropped(.frameIdMismatch)),
        Case(name: "header frame id differs", seq: 5, index: 5, before: 10, after: 10, frameId: 6, expected: .dropped(.frameIdMismatch)),
        Case(name: "index out of range", seq: 5, index: 16, before: 10, after: 10, frameId: 5, expected: .dropped(.headerIndexOutOfRange)),
        Case(name: "invalid header", seq: 5, index: 5, before: 10, after: 10, frameId: 5, valid: false, expected: .dropped(.invalidHeader)),
    ]

    @Test(arguments: cases)
    func validate(_ c: Case) {
        var v = SlotReadValidator(headerNslots: 16)
        #expect(v.validate(seq: c.seq, headerIndex: c.index, commitBefore: c.before, commitAfter: c.after,
                           headerFrameId: c.frameId, headerValid: c.valid) == c.expected)
    }

    @Test func commitLowerThanSeenForSlotIsStale() {
        var v = SlotReadValidator(headerNslots: 16)
        #expect(v.validate(seq: 21, headerIndex: 5, commitBefore: 42, commitAfter: 42, headerFrameId: 21, headerValid: true) == .accepted)
        #expect(v.validate(seq: 5, headerIndex: 5, commitBefore: 10, commitAfter: 10, headerFrameId: 5, headerValid: true) == .dropped(.staleCommit))
        // Other slots are independent.
        #expect(v.validate(seq: 6, headerIndex: 6, commitBefore: 12, commitAfter: 12, headerFrameId: 6, headerValid: true) == .accepted)
        v.reset(headerNslots: 16)
        #expect(v.validate(seq: 5, headerIndex: 5, commitBefore: 10, commitAfter: 10, headerFrameId: 5, headerValid: true) == .accepted)
    }

    @Test func resetCanResize() {
        var v = SlotReadValidator(headerNslots: 4)
        v.reset(headerNslots: 32)
        #expect(v.slotCount == 32)
        #expect(v.validate(seq: 20, headerIndex: 20, commitBefore: 40, commitAfter: 40, headerFrameId: 20, headerValid: true) == .accepted)
    }
}
