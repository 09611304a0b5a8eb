import Testing

/// Tests that run the real Aeron C media driver and clients. Serialized as a whole: each test starts a driver
/// and several Python peers, and running them side by side on a 2-core machine only makes each slower.
@Suite(.serialized)
struct RealAeron {}

/// Generous bounds for peer waits on a loaded machine (they bound hangs; they do not measure anything).
enum PeerTimeouts {
    static let ready: Double = 30
    static let run: Double = 120
}
