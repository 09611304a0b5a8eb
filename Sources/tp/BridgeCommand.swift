import ArgumentParser

/// `tp bridge send|receive`: the bridge service (docs/BRIDGE.md).
struct BridgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bridge",
        abstract: "Carry a stream to another host over an Aeron channel (e.g. aeron:udp) and republish it there.",
        discussion: """
        Network channels need a media driver with UDP (the Aeron C or Java driver, --aeron-dir): the embedded \
        Swift driver is IPC only. Wire format: docs/BRIDGE.md (SBE schema 901, BridgeFrameChunk).
        """,
        subcommands: [BridgeSendCommand.self, BridgeReceiveCommand.self])
}
