import Testing
import TensorPoolCore
@testable import TensorPool

@Suite struct SlotReadOutcomeTests {
    @Test(arguments: [
        (FrameDrop.headerIndexOutOfRange(99), DropReason.headerIndexOutOfRange),
        (.notCommitted, .notCommitted),
        (.stale, .staleCommit),
        (.frameIdMismatch(expected: 5, found: 21), .frameIdMismatch),
        (.frameIdMismatch(expected: 21, found: 5), .frameIdMismatch),
        (.torn, .torn),
        (.invalidHeader(.ndimsOutOfRange(12)), .invalidHeader),
        (.destinationTooSmall(required: 4096), .destinationTooSmall),
    ])
    func coreDropsMapToReasons(drop: FrameDrop, reason: DropReason) {
        #expect(DropReason(drop) == reason)
        #expect(SlotReadOutcome(FrameReadResult<Int>.dropped(drop)) == .dropped(reason))
    }

    @Test func acceptedMapsToAccepted() {
        #expect(SlotReadOutcome(FrameReadResult<Int>.accepted(3)) == .accepted)
    }

    @Test func lateClassificationForQos() {
        #expect(DropReason.notCommitted.isLate && DropReason.staleCommit.isLate && DropReason.torn.isLate)
        #expect(!DropReason.destinationTooSmall.isLate && !DropReason.destinationTooSmall.isPolicy)
    }
}
