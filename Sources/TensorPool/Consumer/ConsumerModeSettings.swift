/// The frame-selection policy of a consumer: mode, decimation, rate limit and resync threshold.
///
/// Built from configuration at startup and replaced at runtime from `ConsumerConfig` messages
/// (spec §10.1.3) through ``FrameAdmission/apply(_:)``.
public struct ConsumerModeSettings: Sendable, Hashable {
    /// Frame-selection mode.
    public var mode: ConsumerMode
    /// DECIMATED: deliver one frame, then skip until `seq >= delivered + decimation`. 1 = every frame.
    public var decimation: UInt16
    /// Maximum delivered frames per second; 0 = unlimited. Applies in every mode.
    public var maxRateHz: UInt16
    /// Resynchronise when more than this many frames behind the producer; 0 disables it.
    public var maxOutstandingSeqGap: UInt64

    /// Defaults are the `[consumer]` defaults: STREAM, every frame, no rate limit, resync when more than 256 frames
    /// behind. Not validated here (see ``validationError``).
    public init(mode: ConsumerMode = .stream, decimation: UInt16 = 1, maxRateHz: UInt16 = 0,
                maxOutstandingSeqGap: UInt64 = 256) {
        self.mode = mode
        self.decimation = decimation
        self.maxRateHz = maxRateHz
        self.maxOutstandingSeqGap = maxOutstandingSeqGap
    }

    /// Minimum interval between delivered frames in nanoseconds (0 when unlimited).
    public var minDeliveryIntervalNs: UInt64 {
        maxRateHz == 0 ? 0 : 1_000_000_000 / UInt64(maxRateHz)
    }

    /// Why these settings cannot be applied, or `nil` when they are valid.
    public var validationError: String? {
        if decimation == 0 { return "decimation must be >= 1 (1 = every frame), got 0" }
        return nil
    }
}
