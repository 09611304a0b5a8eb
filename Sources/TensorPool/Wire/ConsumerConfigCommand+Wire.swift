import SBE
import TensorPoolCodecs

extension ConsumerConfigCommand {
    /// The command carried by a decoded `ConsumerConfig`. An empty `payload_fallback_uri` reads as
    /// absent; unknown enum values and URIs longer than ``WireDecodingError/maxUriLength`` are rejected.
    public init(_ d: inout ConsumerConfigDecoder) throws(WireDecodingError) {
        let useShm = try d.useShm.decode(field: "ConsumerConfig.useShm")
        let mode = try ConsumerMode.decode(d.mode, field: "ConsumerConfig.mode")
        let uriBytes: UnsafeRawBufferPointer
        do { uriBytes = try d.payloadFallbackUri() } catch { throw .sbe(error) }
        guard uriBytes.count <= WireDecodingError.maxUriLength else {
            throw .tooLong(field: "ConsumerConfig.payloadFallbackUri", length: uriBytes.count, maximum: WireDecodingError.maxUriLength)
        }
        let uri = uriBytes.isEmpty ? nil : SBEText.string(uriBytes)
        self.init(streamId: d.streamId, consumerId: d.consumerId, useShm: useShm, mode: mode, decimation: d.decimation,
                  payloadFallbackUri: uri)
    }

    /// Writes this command into a `ConsumerConfig` encoder and returns the encoded length.
    public func encode(into e: inout ConsumerConfigEncoder) throws(SBEError) -> Int {
        e.streamId = streamId
        e.consumerId = consumerId
        e.useShm = BoolEnum(useShm)
        e.mode = mode.wire
        e.decimation = decimation
        try e.payloadFallbackUri(payloadFallbackUri ?? "")
        return try e.finish()
    }
}
