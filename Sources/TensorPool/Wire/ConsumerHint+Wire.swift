import TensorPoolCodecs

extension ConsumerHint {
    /// The hint carried by a decoded `ConsumerHello`; unknown enum values are rejected.
    public init(_ d: ConsumerHelloDecoder) throws(WireDecodingError) {
        self.init(streamId: d.streamId, consumerId: d.consumerId,
                  supportsShm: try d.supportsShm.decode(field: "ConsumerHello.supportsShm"),
                  supportsProgress: try d.supportsProgress.decode(field: "ConsumerHello.supportsProgress"),
                  mode: try ConsumerMode.decode(d.mode, field: "ConsumerHello.mode"),
                  maxRateHz: d.maxRateHz, expectedLayoutVersion: d.expectedLayoutVersion,
                  progressIntervalUs: d.progressIntervalUs, progressBytesDelta: d.progressBytesDelta,
                  progressRowsDelta: d.progressRowsDelta)
    }

    /// Writes this hint into a `ConsumerHello` encoder (absent hints as the schema null value).
    public func encode(into e: ConsumerHelloEncoder) {
        e.streamId = streamId
        e.consumerId = consumerId
        e.supportsShm = BoolEnum(supportsShm)
        e.supportsProgress = BoolEnum(supportsProgress)
        e.mode = mode.wire
        e.maxRateHz = maxRateHz
        e.expectedLayoutVersion = expectedLayoutVersion
        e.progressIntervalUs = progressIntervalUs
        e.progressBytesDelta = progressBytesDelta
        e.progressRowsDelta = progressRowsDelta
    }
}
