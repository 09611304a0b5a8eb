import ArgumentParser

/// `--duration` and `--quiet`, shared by the frame-moving role commands (each declares its own `--count`, whose
/// meaning differs: frames produced, accepted, sent, received or republished).
struct RoleLifetimeOptions: ParsableArguments {
    @Option(help: "Stop after this many seconds.")
    var duration: Double?

    @Flag(help: "No per-second line.")
    var quiet = false
}
