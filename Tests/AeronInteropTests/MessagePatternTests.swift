import AeronInteropSupport
import Testing

@Suite struct MessagePatternTests {
    @Test func swiftPatternEqualsThePythonPeersPattern() throws {
        let cases: [(UInt64, Int)] = [
            (0, 0), (1, 1), (2, 7), (3, 8), (4, 9), (255, 31), (256, 32), (257, 300), (0x0102_0304_0506_0708, 16),
            (UInt64.max, 12), (99_999, 1409), (12_345, 65_536),
        ]
        let spec = cases.map { "\($0.0):\($0.1)" }.joined(separator: ",")
        let run = try AeronPeerProcess.run("pattern", directory: nil, arguments: ["--cases", spec], timeout: PeerTimeouts.run)
        let events = run.all("pattern")
        try #require(events.count == cases.count)
        for (event, (index, size)) in zip(events, cases) {
            let hex = MessagePattern.bytes(index: index, size: size).map { byte in
                let digits = String(byte, radix: 16)
                return byte < 16 ? "0" + digits : digits
            }.joined()
            #expect(event.string("hex") == hex, "index \(index) size \(size)")
        }
    }

    @Test func layoutIsLittleEndianIndexThenRamp() {
        let bytes = MessagePattern.bytes(index: 0x0102_0304_0506_0708, size: 11)
        #expect(bytes == [0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0x10, 0x11, 0x12])
        #expect(MessagePattern.bytes(index: 258, size: 3) == [0x02, 0x01, 0x00])
        #expect(MessagePattern.bytes(index: 250, size: 0).isEmpty)
    }

    @Test func verificationFindsTheFirstCorruptByte() {
        var bytes = MessagePattern.bytes(index: 77, size: 100)
        bytes.withUnsafeBytes { #expect(MessagePattern.matches($0, index: 77, expectedSize: 100)) }
        bytes.withUnsafeBytes { #expect(!MessagePattern.matches($0, index: 78, expectedSize: 100)) }
        bytes.withUnsafeBytes { #expect(!MessagePattern.matches($0, index: 77, expectedSize: 101)) }
        bytes[42] ^= 0xFF
        bytes.withUnsafeBytes { #expect(MessagePattern.firstMismatch($0, index: 77) == 42) }
    }

    @Test func sizesCycleLikeThePeer() {
        let sizes = [0, 1, 32]
        #expect((0..<7).map { MessagePattern.size(index: $0, cycling: sizes) } == [0, 1, 32, 0, 1, 32, 0])
    }
}
