/// Shorthands for the peers most tests need: a real C subscriber that verifies ``MessagePattern`` messages and a real
/// C publisher that sends them. Both take the Aeron directory of whichever driver is under test.
extension AeronPeerProcess {
    /// Starts `aeron_peer.py sub` and waits until its subscription is registered (`ready`), so a publisher started
    /// afterwards cannot be missed. Finish with `waitForSuccess(timeout:)`: it throws unless all `count` messages
    /// arrived in order with the expected sizes and content.
    ///
    /// - Parameter sizes: expected sizes, cycled (`nil`: any size; content is still checked).
    public static func startSubscriber(
        directory: String, channel: String = "aeron:ipc", stream: Int32 = 1001, count: Int, sizes: [Int]? = nil,
        timeoutSeconds: Double = 60, extraArguments: [String] = [], readyTimeout: Double = 30
    ) throws -> AeronPeerProcess {
        var arguments = ["--channel", channel, "--stream", "\(stream)", "--count", "\(count)",
                         "--timeout-s", "\(timeoutSeconds)"]
        if let sizes { arguments += ["--sizes", sizes.map(String.init).joined(separator: ",")] }
        let peer = try AeronPeerProcess("sub", directory: directory, arguments: arguments + extraArguments)
        try peer.waitForEvent("ready", timeout: readyTimeout)
        return peer
    }

    /// Starts `aeron_peer.py pub`: it waits for a subscriber itself, then offers `count` messages (message `i` is
    /// ``MessagePattern`` `i` of size `sizes[i % sizes.count]`). Finish with `waitForSuccess(timeout:)`.
    public static func startPublisher(
        directory: String, channel: String = "aeron:ipc", stream: Int32 = 1001, count: Int, sizes: [Int] = [32],
        exclusive: Bool = false, tryClaim: Bool = false, timeoutSeconds: Double = 60, extraArguments: [String] = []
    ) throws -> AeronPeerProcess {
        var arguments = ["--channel", channel, "--stream", "\(stream)", "--count", "\(count)",
                         "--sizes", sizes.map(String.init).joined(separator: ","), "--timeout-s", "\(timeoutSeconds)"]
        if exclusive { arguments.append("--exclusive") }
        if tryClaim { arguments.append("--try-claim") }
        return try AeronPeerProcess("pub", directory: directory, arguments: arguments + extraArguments)
    }
}
