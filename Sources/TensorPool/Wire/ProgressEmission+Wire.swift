import TensorPoolCodecs

extension ProgressEmission {
    /// Writes this emission as a `FrameProgress` of `streamId`/`epoch` (hot path: no allocation).
    @inlinable
    public func encode(into e: FrameProgressEncoder, streamId: UInt32, epoch: UInt64) {
        e.streamId = streamId
        e.epoch = epoch
        e.frameId = frameId
        e.headerIndex = headerIndex
        e.payloadBytesFilled = payloadBytesFilled
        e.state = TensorPoolCodecs.FrameProgressState(rawValue: state.rawValue)
        e.rowsFilled = rowsFilled
    }
}
