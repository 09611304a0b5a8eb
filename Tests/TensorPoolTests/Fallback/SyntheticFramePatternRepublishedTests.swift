import Testing
@testable import TensorPool

/// `isWholeFrame` accepts a whole synthetic frame of any (epoch, seq) — what a republished stream delivers —
/// and rejects torn, mixed or corrupted payloads.
@Suite struct SyntheticFramePatternRepublishedTests {
    static func frame(epoch: UInt64, seq: UInt64, count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { SyntheticFramePattern.fill($0, count: count, epoch: epoch, seq: seq) }
        return bytes
    }

    @Test func wholeFramesOfAnyIdentityPass() {
        for (epoch, seq, count) in [(UInt64(1), UInt64(0), 64), (0xABCD, 12345, 4093), (.max, 7, 8), (3, 3, 1 << 16)] {
            let bytes = Self.frame(epoch: epoch, seq: seq, count: count)
            #expect(bytes.withUnsafeBytes { SyntheticFramePattern.isWholeFrame($0) }, "epoch \(epoch) seq \(seq) \(count) B")
            // The exact check needs the identity the republisher does not carry.
            #expect(!bytes.withUnsafeBytes { SyntheticFramePattern.matches($0, epoch: epoch &+ 1, seq: seq) })
        }
    }

    @Test func tornMixedOrCorruptedPayloadsFail() {
        let a = Self.frame(epoch: 5, seq: 10, count: 4096)
        let b = Self.frame(epoch: 5, seq: 11, count: 4096)
        let torn = Array(a[..<2048] + b[2048...])
        #expect(!torn.withUnsafeBytes { SyntheticFramePattern.isWholeFrame($0) })
        var flipped = a
        flipped[1000] ^= 0x10
        #expect(!flipped.withUnsafeBytes { SyntheticFramePattern.isWholeFrame($0) })
        var tail = Self.frame(epoch: 5, seq: 10, count: 4093)
        tail[4092] ^= 1
        #expect(!tail.withUnsafeBytes { SyntheticFramePattern.isWholeFrame($0) })
    }
}
